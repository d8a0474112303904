// Signing in: password, then (for dpo and admin always, for a marketer who enrolled) a TOTP code.
// An unknown address, a deactivated or invited account and a wrong password get the same answer
// after the same work (a scrypt run against a dummy hash), and count against the same throttles.
import type { Models } from '../../data/models';
import { staffQueries } from '../../data/staff.queries';
import type { StaffDoc } from '../../data/staff.model';
import { AppError, ErrorCodes } from '../../errors';
import type { AdminRole } from './admin-token';
import type { AuditLog } from '../audit';
import { staffEmail } from './accounts';
import { assertAcceptablePassword, type PasswordHasher } from './passwords';
import type { SessionStage, StaffSession, StaffSessions } from './sessions';
import type { LoginThrottle, ThrottleSubject } from './throttling';
import type { TotpEnrolment, TotpVerifier } from './totp';
import { openTotpSecret, sealTotpSecret } from './totp-secrets';

/** Roles that may not work without a second factor. */
export const TOTP_REQUIRED: ReadonlySet<AdminRole> = new Set(['dpo', 'admin']);

export class WrongCredentialsError extends AppError {
  constructor(message = 'wrong email or password') {
    super(ErrorCodes.UNAUTHENTICATED, message);
  }
}

export interface SignInResult {
  sessionId: string;
  session: StaffSession;
}

export class StaffSignIn {
  constructor(
    private readonly deps: {
      models: Models;
      hasher: PasswordHasher;
      throttle: LoginThrottle;
      sessions: StaffSessions;
      totp: TotpVerifier;
      audit: AuditLog;
      now: () => Date;
      /** Seals TOTP secrets at rest (see totp-secrets.ts). */
      totpKey: Buffer;
    },
  ) {}

  /** Checks the password; the session it opens is active, or waits for a TOTP code or enrolment. */
  async withPassword(input: { email: unknown; password: unknown; ip?: string }): Promise<SignInResult> {
    const email = tryStaffEmail(input.email);
    const password = typeof input.password === 'string' ? input.password : '';
    const account: ThrottleSubject = { kind: 'account', key: email ?? 'invalid' };
    const ip: ThrottleSubject = { kind: 'ip', key: input.ip ?? 'unknown' };
    await this.deps.throttle.assertAllowed([account, ip]);

    const staff = email ? await staffQueries.ofEmail(this.deps.models, email).lean<StaffDoc>() : null;
    const matches = staff?.password ? await this.deps.hasher.verify(password, staff.password) : await this.deps.hasher.verifyDummy(password);
    if (!staff || !matches || staff.status !== 'active') {
      await this.fail({ email: email ?? String(input.email).slice(0, 200), role: staff?.role, ip: input.ip }, account, ip, 'password');
      throw new WrongCredentialsError();
    }
    await this.deps.throttle.clear(account);
    const stage: SessionStage = staff.totpSecret ? 'totp' : TOTP_REQUIRED.has(staff.role as AdminRole) ? 'enrol' : 'active';
    const opened = await this.deps.sessions.create({ staffId: String(staff._id), email: staff.email, role: staff.role as AdminRole }, stage);
    if (stage === 'active') await this.signedIn(opened.session, input.ip);
    return { sessionId: opened.id, session: opened.session };
  }

  /** The second step: a code from the enrolled authenticator turns a pending session into a full one. */
  async withTotp(sessionId: string, session: StaffSession, code: unknown, ip?: string): Promise<SignInResult> {
    if (session.stage !== 'totp') throw new AppError(ErrorCodes.INVALID_STATE, 'no TOTP code is expected for this session');
    const staff = await staffQueries.byId(this.deps.models, session.staffId).lean<StaffDoc>();
    const secret = staff?.totpSecret ? openTotpSecret(staff.totpSecret, this.deps.totpKey) : undefined;
    if (!secret || staff?.status !== 'active') throw new WrongCredentialsError('the sign-in is no longer valid; start again');
    await this.checkCode(session, secret, code, ip);
    return this.promote(sessionId, session, ip);
  }

  /** A new secret and its QR code; kept in the session until a code confirms it. */
  async startEnrolment(sessionId: string, session: StaffSession): Promise<TotpEnrolment> {
    if (session.stage === 'totp') throw new AppError(ErrorCodes.INVALID_STATE, 'enter the code from your authenticator first');
    const enrolment = await this.deps.totp.enrolment(session.email);
    await this.deps.sessions.update(sessionId, { pendingTotpSecret: enrolment.secret });
    return enrolment;
  }

  /** Stores the secret once a code proves the authenticator has it; a pending sign-in becomes full. */
  async confirmEnrolment(sessionId: string, session: StaffSession, code: unknown, ip?: string): Promise<SignInResult> {
    if (session.stage === 'totp' || !session.pendingTotpSecret) throw new AppError(ErrorCodes.INVALID_STATE, 'start the enrolment first');
    await this.checkCode(session, session.pendingTotpSecret, code, ip);
    await staffQueries.enableTotp(this.deps.models, session.staffId, sealTotpSecret(session.pendingTotpSecret, this.deps.totpKey), this.deps.now());
    await this.deps.audit.record({ sub: session.email, role: session.role, ip }, 'staff.totp.enrol', session.email);
    return this.promote(sessionId, session, ip);
  }

  /**
   * A signed-in member changes their own password: the current one is checked (and throttled like a
   * sign-in), every session ends, and this browser gets a fresh one.
   */
  async changePassword(sessionId: string, session: StaffSession, current: string, next: string, ip?: string): Promise<SignInResult> {
    if (session.stage !== 'active') throw new AppError(ErrorCodes.UNAUTHENTICATED, 'sign in first');
    const account: ThrottleSubject = { kind: 'account', key: session.email };
    const ipSubject: ThrottleSubject = { kind: 'ip', key: ip ?? 'unknown' };
    await this.deps.throttle.assertAllowed([account, ipSubject]);
    assertAcceptablePassword(next);
    const staff = await staffQueries.byId(this.deps.models, session.staffId).lean<StaffDoc>();
    if (!staff?.password || !(await this.deps.hasher.verify(current, staff.password))) {
      await this.fail({ email: session.email, role: session.role, ip }, account, ipSubject, 'password');
      throw new WrongCredentialsError('the current password is wrong');
    }
    await staffQueries.changePassword(this.deps.models, session.staffId, await this.deps.hasher.hash(next), this.deps.now());
    const ended = await this.deps.sessions.revokeAll(session.staffId);
    await this.deps.audit.record({ sub: session.email, role: session.role, ip }, 'staff.password.change', session.email, { sessionsEnded: ended });
    const opened = await this.deps.sessions.create({ staffId: session.staffId, email: session.email, role: session.role }, 'active');
    return { sessionId: opened.id, session: opened.session };
  }

  async signOut(sessionId: string, session: StaffSession, ip?: string): Promise<void> {
    await this.deps.sessions.revoke(sessionId);
    await this.deps.audit.record({ sub: session.email, role: session.role, ip }, 'staff.logout', session.email);
  }

  private async checkCode(session: StaffSession, secret: string, code: unknown, ip?: string): Promise<void> {
    const account: ThrottleSubject = { kind: 'account', key: session.email };
    const ipSubject: ThrottleSubject = { kind: 'ip', key: ip ?? 'unknown' };
    await this.deps.throttle.assertAllowed([account, ipSubject]);
    if (typeof code === 'string' && (await this.deps.totp.verify(session.staffId, secret, code))) {
      await this.deps.throttle.clear(account);
      return;
    }
    await this.fail({ email: session.email, role: session.role, ip }, account, ipSubject, 'totp');
    throw new WrongCredentialsError('wrong or already used code');
  }

  /** A fresh id for the full session (the pending one may have been seen), the old one ended. */
  private async promote(sessionId: string, session: StaffSession, ip?: string): Promise<SignInResult> {
    await this.deps.sessions.revoke(sessionId);
    const opened = await this.deps.sessions.create({ staffId: session.staffId, email: session.email, role: session.role }, 'active');
    await this.signedIn(opened.session, ip);
    return { sessionId: opened.id, session: opened.session };
  }

  private async signedIn(session: StaffSession, ip?: string): Promise<void> {
    await staffQueries.markSignedIn(this.deps.models, session.staffId, this.deps.now());
    await this.deps.audit.record({ sub: session.email, role: session.role, ip }, 'staff.login', session.email);
  }

  private async fail(who: { email: string; role?: string; ip?: string }, account: ThrottleSubject, ip: ThrottleSubject, step: 'password' | 'totp'): Promise<void> {
    const [byAccount, byIp] = await Promise.all([this.deps.throttle.recordFailure(account), this.deps.throttle.recordFailure(ip)]);
    // The same write for a known and an unknown address (it matches nothing then): same time.
    await staffQueries.countFailure(this.deps.models, who.email);
    const actor = { sub: who.email, role: who.role ?? 'unknown', ip: who.ip };
    await this.deps.audit.record(actor, 'staff.login.failure', who.email, { step, failures: byAccount.failures });
    if (byAccount.lockedOut) await this.deps.audit.record(actor, 'staff.lockout', who.email, { failures: byAccount.failures });
    if (byIp.lockedOut) await this.deps.audit.record(actor, 'staff.lockout.ip', who.ip, { failures: byIp.failures });
  }
}

function tryStaffEmail(input: unknown): string | undefined {
  try {
    return staffEmail(input);
  } catch {
    return undefined;
  }
}
