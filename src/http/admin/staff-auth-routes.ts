// Signing in to the console: password, TOTP (or its enrolment), sign-out, who am I, and setting a
// password with a one-time link. Mounted before authentication (these routes are how one gets it);
// each one that needs a session says so.
import express, { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import type { Container } from '../../container';
import { STAFF_STATUSES } from '../../data/staff.model';
import { staffQueries } from '../../data/staff.queries';
import { ADMIN_ROLES } from '../../domain/staff/admin-token';
import { TOTP_REQUIRED } from '../../domain/staff/sign-in';
import type { StaffSession } from '../../domain/staff/sessions';
import { TooManyAttemptsError } from '../../domain/staff/throttling';
import { AppError, ErrorCodes } from '../../errors';
import { assertSameOrigin, clearSessionCookie, guardCookieRequests, readStaffSession, setSessionCookie } from '../staff-session';
import { parseOr400 } from '../validate';

export const loginBody = z.strictObject({ email: z.string().max(320), password: z.string().max(1024) });
export const totpBody = z.strictObject({ code: z.string().regex(/^\d{6}$/, 'six digits') });
export const setPasswordBody = z.strictObject({ token: z.string().min(1).max(400), password: z.string().max(1024) });
export const emptyBody = z.strictObject({}).optional();
export const changePasswordBody = z.strictObject({ currentPassword: z.string().max(1024), newPassword: z.string().max(1024) });

export const meResponse = z.strictObject({
  email: z.string(),
  name: z.string(),
  role: z.enum(ADMIN_ROLES),
  csrfToken: z.string().nullable(),
  totpEnabled: z.boolean(),
  via: z.enum(['session', 'bearer']),
});
export const signInResponse = z.discriminatedUnion('status', [
  z.strictObject({ status: z.literal('signed-in'), me: meResponse }),
  z.strictObject({ status: z.enum(['totp-required', 'totp-enrolment-required']), csrfToken: z.string() }),
]);
export const enrolResponse = z.strictObject({ secret: z.string(), otpauthUri: z.string().startsWith('otpauth://'), qrCode: z.string().startsWith('data:image/svg+xml') });
export const setPasswordResponse = z.strictObject({ email: z.string(), status: z.enum(STAFF_STATUSES), totpRequired: z.boolean() });

export interface Me {
  email: string;
  name: string;
  role: string;
  /** The value every state-changing cookie request repeats in X-CSRF-Token; null for Bearer. */
  csrfToken: string | null;
  totpEnabled: boolean;
  via: 'session' | 'bearer';
}

export async function describeMe(c: Pick<Container, 'models'>, sub: string, role: string, session?: StaffSession): Promise<Me> {
  const staff = await staffQueries.ofEmail(c.models, sub).lean();
  return { email: sub, name: staff?.name ?? '', role, csrfToken: session?.csrfToken ?? null, totpEnabled: Boolean(staff?.totpSecret), via: session ? 'session' : 'bearer' };
}

export function staffAuthRoutes(c: Pick<Container, 'config' | 'staff' | 'models'>): Router {
  const router = Router();
  router.use('/auth', express.json({ limit: '10kb', strict: true }));
  router.use(readStaffSession(c));

  const me = (sub: string, role: string, session?: StaffSession) => describeMe(c, sub, role, session);
  const signedIn = async (res: Response, result: { sessionId: string; session: StaffSession }) => {
    setSessionCookie(res, c.config, result.sessionId);
    const { session } = result;
    if (session.stage === 'active') return res.json({ status: 'signed-in', me: await me(session.email, session.role, session) });
    const status = session.stage === 'totp' ? 'totp-required' : 'totp-enrolment-required';
    res.json({ status, csrfToken: session.csrfToken });
  };
  const pending = (req: Request): { id: string; session: StaffSession } => {
    if (!req.staffSession) throw new AppError(ErrorCodes.UNAUTHENTICATED, 'sign in first');
    return req.staffSession;
  };

  // No session yet: only a foreign Origin is refused here (login CSRF); a cookie plays no part.
  router.post('/auth/login', throttled(async (req, res) => {
    assertSameOrigin(req, c.config, false);
    const body = parseOr400(loginBody, req.body);
    const result = await c.staff.signIn.withPassword({ ...body, ip: req.ip });
    // Signing in again in the same browser ends the session it had.
    if (req.staffSession) await c.staff.sessions.revoke(req.staffSession.id);
    await signedIn(res, result);
  }));

  router.post('/auth/password', async (req, res) => {
    assertSameOrigin(req, c.config, false);
    const body = parseOr400(setPasswordBody, req.body);
    const staff = await c.staff.accounts.setPassword(body.token, body.password, req.ip);
    if (req.staffSession) clearSessionCookie(res, c.config);
    res.json({ email: staff.email, status: staff.status, totpRequired: TOTP_REQUIRED.has(staff.role) });
  });

  // From here on, for every admin route behind this router: a cookie request proves its origin.
  router.use(guardCookieRequests(c.config));

  router.post('/auth/totp', throttled(async (req, res) => {
    const { id, session } = pending(req);
    const { code } = parseOr400(totpBody, req.body);
    await signedIn(res, await c.staff.signIn.withTotp(id, session, code, req.ip));
  }));

  router.post('/auth/totp/enrol', async (req, res) => {
    const { id, session } = pending(req);
    parseOr400(emptyBody, req.body);
    res.json(await c.staff.signIn.startEnrolment(id, session));
  });

  router.post('/auth/totp/enrol/confirm', throttled(async (req, res) => {
    const { id, session } = pending(req);
    const { code } = parseOr400(totpBody, req.body);
    await signedIn(res, await c.staff.signIn.confirmEnrolment(id, session, code, req.ip));
  }));

  router.post('/auth/password/change', throttled(async (req, res) => {
    const { id, session } = pending(req);
    const body = parseOr400(changePasswordBody, req.body);
    await signedIn(res, await c.staff.signIn.changePassword(id, session, body.currentPassword, body.newPassword, req.ip));
  }));

  router.post('/auth/logout', async (req, res) => {
    if (req.staffSession) await c.staff.signIn.signOut(req.staffSession.id, req.staffSession.session, req.ip);
    clearSessionCookie(res, c.config);
    res.status(204).end();
  });
  return router;
}

/** 429 answers carry Retry-After, so the console can say how long to wait. */
function throttled(handler: (req: Request, res: Response) => Promise<unknown>) {
  return async (req: Request, res: Response) => {
    try {
      await handler(req, res);
    } catch (err) {
      if (err instanceof TooManyAttemptsError) res.set('Retry-After', String(Math.ceil(err.retryAfterMs / 1000)));
      throw err;
    }
  };
}
