// The console's way in: a session cookie. Reads the cookie, and guards every state-changing
// request that carries one with a CSRF token header and an Origin (or Referer) check, since a
// browser attaches cookies to requests that other sites start. Scripts keep the Bearer header,
// which no other site can make a browser send; a request with one is left to admin-auth.ts.
import { timingSafeEqual } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import type { Config } from '../config';
import type { Container } from '../container';
import type { StaffSession } from '../domain/staff/sessions';
import { AppError, ErrorCodes } from '../errors';

declare module 'express-serve-static-core' {
  interface Request {
    staffSession?: { id: string; session: StaffSession };
  }
}

export const CSRF_HEADER = 'X-CSRF-Token';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** `__Host-` binds the cookie to our exact origin, but browsers accept it only with Secure (https). */
export function sessionCookieName(config: Pick<Config, 'publicBaseUrl'>): string {
  return isHttps(config) ? '__Host-ej_session' : 'ej_session';
}

function isHttps(config: Pick<Config, 'publicBaseUrl'>): boolean {
  return config.publicBaseUrl.startsWith('https:');
}

export function setSessionCookie(res: Response, config: Config, id: string): void {
  res.cookie(sessionCookieName(config), id, { httpOnly: true, secure: isHttps(config), sameSite: 'strict', path: '/' });
}

export function clearSessionCookie(res: Response, config: Config): void {
  res.clearCookie(sessionCookieName(config), { httpOnly: true, secure: isHttps(config), sameSite: 'strict', path: '/' });
}

function readCookie(req: Request, name: string): string | undefined {
  const header = req.get('cookie');
  if (!header || header.length > 8192) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

/** Finds the session a cookie names; an active one authenticates the request as its staff member. */
export function readStaffSession(c: Pick<Container, 'config' | 'staff'>) {
  return async (req: Request, _res: Response, next: NextFunction) => {
    if (req.get('authorization')) return next();
    const id = readCookie(req, sessionCookieName(c.config));
    if (!id) return next();
    const session = await c.staff.sessions.touch(id);
    if (session) {
      req.staffSession = { id, session };
      if (session.stage === 'active') req.principal = { sub: session.email, role: session.role };
    }
    next();
  };
}

export class CrossSiteError extends AppError {
  constructor(reason: 'origin' | 'csrf', message: string) {
    super(ErrorCodes.FORBIDDEN, message, { reason });
  }
}

/**
 * A foreign Origin is refused always. `requireSource`: a request that acts with a session cookie
 * must also show where it came from (Origin, or a Referer on our origin).
 */
export function assertSameOrigin(req: Request, config: Pick<Config, 'publicBaseUrl'>, requireSource: boolean): void {
  const ours = new URL(config.publicBaseUrl).origin;
  const origin = req.get('origin');
  if (origin !== undefined) {
    if (origin !== ours) throw new CrossSiteError('origin', 'request from another site refused');
    return;
  }
  if (!requireSource) return;
  const referer = req.get('referer');
  if (!referer || !URL.canParse(referer) || new URL(referer).origin !== ours) {
    throw new CrossSiteError('origin', 'request without an Origin or Referer from this site refused');
  }
}

/** CSRF token and Origin on every state-changing request that carries a session cookie. */
export function guardCookieRequests(config: Pick<Config, 'publicBaseUrl'>) {
  return (req: Request, _res: Response, next: NextFunction) => {
    if (!req.staffSession || SAFE_METHODS.has(req.method)) return next();
    assertSameOrigin(req, config, true);
    const given = Buffer.from(req.get(CSRF_HEADER) ?? '');
    const expected = Buffer.from(req.staffSession.session.csrfToken);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      throw new CrossSiteError('csrf', `${CSRF_HEADER} header missing or wrong`);
    }
    next();
  };
}
