// Admin bearer tokens: HS256 pinned, issuer, audience and expiry required, one role per token, and
// a lifetime no longer than ADMIN_JWT_MAX_TTL (a leaked token with `exp` in the year 5000 is
// otherwise a permanent key).
import jwt from 'jsonwebtoken';
import { parseDuration } from '../../config';
import { AppError, ErrorCodes } from '../../errors';

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
  maxTtlMs: number;
}

// Clocks of the issuing and the verifying machine may differ a little.
const CLOCK_SKEW_S = 60;

export function issueAdminToken(settings: AdminJwtSettings, principal: AdminPrincipal, ttl: string): string {
  if (!ADMIN_ROLES.includes(principal.role)) throw new AppError(ErrorCodes.VALIDATION, `role must be one of ${ADMIN_ROLES.join(', ')}`);
  let ttlMs: number;
  try {
    ttlMs = parseDuration(ttl);
  } catch {
    throw new AppError(ErrorCodes.VALIDATION, 'ttl must look like 30m, 8h or 7d');
  }
  if (ttlMs <= 0) throw new AppError(ErrorCodes.VALIDATION, 'ttl must be positive');
  if (ttlMs > settings.maxTtlMs) {
    throw new AppError(ErrorCodes.VALIDATION, `ttl ${ttl} is longer than ADMIN_JWT_MAX_TTL (${Math.floor(settings.maxTtlMs / 1000)} s)`);
  }
  return jwt.sign({ role: principal.role }, settings.secret, {
    algorithm: 'HS256',
    subject: principal.sub,
    issuer: settings.issuer,
    audience: settings.audience,
    expiresIn: Math.floor(ttlMs / 1000),
  });
}

export function verifyAdminToken(settings: AdminJwtSettings, token: string, nowMs: number = Date.now()): AdminPrincipal {
  let payload: jwt.JwtPayload | string;
  try {
    payload = jwt.verify(token, settings.secret, {
      algorithms: ['HS256'],
      issuer: settings.issuer,
      audience: settings.audience,
      clockTimestamp: Math.floor(nowMs / 1000),
    });
  } catch (err) {
    throw new AppError(ErrorCodes.UNAUTHENTICATED, `invalid token: ${(err as Error).message}`);
  }
  if (typeof payload === 'string' || typeof payload.exp !== 'number' || typeof payload.sub !== 'string' || !payload.sub) {
    throw new AppError(ErrorCodes.UNAUTHENTICATED, 'token must carry sub and exp');
  }
  const now = nowMs / 1000;
  const maxTtl = settings.maxTtlMs / 1000;
  // Both bounds: from now (a token without iat) and from its issue time (one issued for too long).
  if (payload.exp - now > maxTtl + CLOCK_SKEW_S) throw new AppError(ErrorCodes.UNAUTHENTICATED, 'token lives longer than ADMIN_JWT_MAX_TTL allows');
  if (payload.iat !== undefined) {
    if (typeof payload.iat !== 'number' || payload.iat > now + CLOCK_SKEW_S) throw new AppError(ErrorCodes.UNAUTHENTICATED, 'token issued in the future');
    if (payload.exp - payload.iat > maxTtl) throw new AppError(ErrorCodes.UNAUTHENTICATED, 'token lives longer than ADMIN_JWT_MAX_TTL allows');
  }
  if (!ADMIN_ROLES.includes(payload.role)) throw new AppError(ErrorCodes.UNAUTHENTICATED, 'token carries no valid role');
  return { sub: payload.sub, role: payload.role };
}
