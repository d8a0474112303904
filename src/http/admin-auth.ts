// Only specially authorised persons see the data (privacy policy clause 3): every admin route needs a
// valid bearer token or a console session, and each router names the roles it admits.
import type { NextFunction, Request, Response } from 'express';
import { verifyAdminToken, type AdminJwtSettings, type AdminPrincipal, type AdminRole } from '../domain/staff/admin-token';
import type { Actor } from '../domain/audit';
import { AppError, ErrorCodes } from '../errors';

declare module 'express-serve-static-core' {
  interface Request {
    principal?: AdminPrincipal;
  }
}

export function authenticate(settings: AdminJwtSettings) {
  return (req: Request, _res: Response, next: NextFunction) => {
    // A console session cookie already authenticated the request (see staff-session.ts).
    if (req.principal && req.staffSession) return next();
    const header = req.get('authorization') ?? '';
    const match = /^Bearer ([A-Za-z0-9_.-]+)$/.exec(header);
    if (!match) return next(new AppError(ErrorCodes.UNAUTHENTICATED, 'Authorization: Bearer <token> required'));
    try {
      req.principal = verifyAdminToken(settings, match[1]!);
      next();
    } catch (err) {
      next(err);
    }
  };
}

/** Admin always passes; others only with a listed role. */
export function requireRole(...roles: AdminRole[]) {
  return (req: Request, _res: Response, next: NextFunction) => {
    const role = req.principal?.role;
    if (!role) return next(new AppError(ErrorCodes.UNAUTHENTICATED, 'not authenticated'));
    if (role !== 'admin' && !roles.includes(role)) {
      return next(new AppError(ErrorCodes.FORBIDDEN, `role ${role} may not do this`));
    }
    next();
  };
}

export function actorOf(req: Request): Actor {
  return { sub: req.principal!.sub, role: req.principal!.role, ip: req.ip };
}
