// Admin bearer tokens: HS256 pinned, issuer, audience and expiry required, one role per token.
import jwt from 'jsonwebtoken';
import { AppError, ErrorCodes } from '../errors';

export const ADMIN_ROLES = ['marketer', 'dpo', 'admin'] as const;
export type AdminRole = (typeof ADMIN_ROLES)[number];

export interface AdminPrincipal {
  sub: string;
  role: AdminRole;
}

export interface AdminJwtSettings {
  secret: string;
  issuer: string;
  audience: string;
}

export function issueAdminToken(settings: AdminJwtSettings, principal: AdminPrincipal, ttl: string): string {
  if (!ADMIN_ROLES.includes(principal.role)) throw new AppError(ErrorCodes.VALIDATION, `role must be one of ${ADMIN_ROLES.join(', ')}`);
  return jwt.sign({ role: principal.role }, settings.secret, {
    algorithm: 'HS256',
    subject: principal.sub,
    issuer: settings.issuer,
    audience: settings.audience,
    expiresIn: ttl as jwt.SignOptions['expiresIn'],
  });
}

export function verifyAdminToken(settings: AdminJwtSettings, token: string): AdminPrincipal {
  let payload: jwt.JwtPayload | string;
  try {
    payload = jwt.verify(token, settings.secret, {
      algorithms: ['HS256'],
      issuer: settings.issuer,
      audience: settings.audience,
    });
  } catch (err) {
    throw new AppError(ErrorCodes.UNAUTHENTICATED, `invalid token: ${(err as Error).message}`);
  }
  if (typeof payload === 'string' || typeof payload.exp !== 'number' || typeof payload.sub !== 'string' || !payload.sub) {
    throw new AppError(ErrorCodes.UNAUTHENTICATED, 'token must carry sub and exp');
  }
  if (!ADMIN_ROLES.includes(payload.role)) throw new AppError(ErrorCodes.UNAUTHENTICATED, 'token carries no valid role');
  return { sub: payload.sub, role: payload.role };
}
