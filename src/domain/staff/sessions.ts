// Console sessions in Redis. The cookie holds a random id; Redis holds only its SHA-256, so a copy
// of Redis gives nobody a usable cookie. A session ends after an idle period and, whatever happens,
// after an absolute lifetime, both measured with the injectable clock (Redis expiry only cleans up).
// Every session of a staff member is indexed under their id, so a password or role change, a
// deactivation or a TOTP reset ends them all.
import { createHash, randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { AdminRole } from './admin-token';

/** `totp`: password accepted, code pending; `enrol`: password accepted, TOTP must be set up first. */
export type SessionStage = 'active' | 'totp' | 'enrol';

export interface StaffSession {
  staffId: string;
  email: string;
  role: AdminRole;
  stage: SessionStage;
  csrfToken: string;
  createdAt: number;
  lastSeenAt: number;
  /** A TOTP secret shown for enrolment, kept until a code from it confirms it. */
  pendingTotpSecret?: string;
}

export interface SessionSettings {
  sessionIdleMs: number;
  sessionMaxMs: number;
}

// A half-finished sign-in (password given, code not yet) lasts this long.
const PENDING_MAX_MS = 10 * 60_000;

export class StaffSessions {
  constructor(private readonly deps: { redis: Redis; prefix: string; now: () => Date; settings: SessionSettings }) {}

  async create(staff: { staffId: string; email: string; role: AdminRole }, stage: SessionStage): Promise<{ id: string; session: StaffSession }> {
    const id = randomBytes(32).toString('base64url');
    const now = this.deps.now().getTime();
    const session: StaffSession = { ...staff, stage, csrfToken: randomBytes(32).toString('base64url'), createdAt: now, lastSeenAt: now };
    const key = this.key(id);
    await this.deps.redis
      .multi()
      .set(key, JSON.stringify(session), 'PX', this.maxMs(session))
      .sadd(this.indexKey(staff.staffId), digest(id))
      .pexpire(this.indexKey(staff.staffId), this.deps.settings.sessionMaxMs)
      .exec();
    return { id, session };
  }

  /** The live session for a cookie value, its idle clock restarted; undefined when none. */
  async touch(id: string): Promise<StaffSession | undefined> {
    const session = await this.peek(id);
    if (!session) return undefined;
    session.lastSeenAt = this.deps.now().getTime();
    await this.deps.redis.set(this.key(id), JSON.stringify(session), 'KEEPTTL', 'XX');
    return session;
  }

  async update(id: string, change: Partial<Pick<StaffSession, 'pendingTotpSecret'>>): Promise<void> {
    const session = await this.peek(id);
    if (!session) return;
    await this.deps.redis.set(this.key(id), JSON.stringify({ ...session, ...change }), 'KEEPTTL', 'XX');
  }

  async revoke(id: string): Promise<void> {
    const session = await this.read(id);
    await this.deps.redis.del(this.key(id));
    if (session) await this.deps.redis.srem(this.indexKey(session.staffId), digest(id));
  }

  /** Ends every session of a staff member; returns how many there were. */
  async revokeAll(staffId: string): Promise<number> {
    const digests = await this.deps.redis.smembers(this.indexKey(staffId));
    const keys = digests.map((d) => `${this.deps.prefix}:staff-session:${d}`);
    const removed = keys.length ? await this.deps.redis.del(...keys) : 0;
    await this.deps.redis.del(this.indexKey(staffId));
    return removed;
  }

  private async peek(id: string): Promise<StaffSession | undefined> {
    const session = await this.read(id);
    if (!session) return undefined;
    const now = this.deps.now().getTime();
    if (now - session.lastSeenAt > this.deps.settings.sessionIdleMs || now - session.createdAt > this.maxMs(session)) {
      await this.revoke(id);
      return undefined;
    }
    return session;
  }

  private async read(id: string): Promise<StaffSession | undefined> {
    if (!/^[A-Za-z0-9_-]{43}$/.test(id)) return undefined;
    const text = await this.deps.redis.get(this.key(id));
    return text ? (JSON.parse(text) as StaffSession) : undefined;
  }

  private maxMs(session: StaffSession): number {
    return session.stage === 'active' ? this.deps.settings.sessionMaxMs : Math.min(PENDING_MAX_MS, this.deps.settings.sessionMaxMs);
  }

  private key(id: string): string {
    return `${this.deps.prefix}:staff-session:${digest(id)}`;
  }

  private indexKey(staffId: string): string {
    return `${this.deps.prefix}:staff-sessions:${staffId}`;
  }
}

function digest(id: string): string {
  return createHash('sha256').update(id).digest('base64url');
}
