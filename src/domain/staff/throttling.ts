// Sign-in throttling in Redis, by account (the normalised address, known or not, so the answer
// tells nothing) and by IP address. The first failures are free; then each failure doubles a wait
// before the next attempt is heard; at the threshold the subject is locked out for a while. Times
// come from the injectable clock; Redis expiry only cleans up.
import type { Redis } from 'ioredis';
import { AppError, ErrorCodes } from '../../errors';

const MAX_BACKOFF_MS = 60_000;

export interface ThrottleSettings {
  freeFailures: number;
  lockoutThreshold: number;
  lockoutMs: number;
  ipFailures: number;
}

export type ThrottleSubject = { kind: 'account'; key: string } | { kind: 'ip'; key: string };

export class TooManyAttemptsError extends AppError {
  constructor(readonly retryAfterMs: number) {
    super(ErrorCodes.RATE_LIMITED, 'too many sign-in attempts; try again later', { retryAfterSeconds: Math.ceil(retryAfterMs / 1000) });
  }
}

export interface FailureOutcome {
  failures: number;
  /** True for exactly the failure that crossed the threshold (the one to audit). */
  lockedOut: boolean;
}

export class LoginThrottle {
  constructor(private readonly deps: { redis: Redis; prefix: string; now: () => Date; settings: ThrottleSettings }) {}

  /** Throws TooManyAttemptsError while any subject must wait. */
  async assertAllowed(subjects: ThrottleSubject[]): Promise<void> {
    const now = this.deps.now().getTime();
    const waits = await Promise.all(subjects.map(async (s) => Number(await this.deps.redis.hget(this.key(s), 'nextAt')) || 0));
    const until = Math.max(...waits);
    if (until > now) throw new TooManyAttemptsError(until - now);
  }

  async recordFailure(subject: ThrottleSubject): Promise<FailureOutcome> {
    const { redis, settings } = this.deps;
    const key = this.key(subject);
    const now = this.deps.now().getTime();
    // A quiet period as long as a lockout forgives the past failures.
    const lastAt = Number(await redis.hget(key, 'lastAt')) || 0;
    if (lastAt && now - lastAt > settings.lockoutMs) await redis.hdel(key, 'failures', 'nextAt');
    // HINCRBY is atomic: exactly one concurrent failure sees the threshold.
    const failures = await redis.hincrby(key, 'failures', 1);
    const threshold = subject.kind === 'ip' ? settings.ipFailures : settings.lockoutThreshold;
    // An office behind one address makes honest mistakes too: half its allowance costs nothing.
    const free = subject.kind === 'ip' ? Math.floor(settings.ipFailures / 2) : settings.freeFailures;
    let wait = 0;
    if (failures >= threshold) wait = settings.lockoutMs;
    else if (failures > free) wait = Math.min(1000 * 2 ** (failures - free - 1), MAX_BACKOFF_MS);
    const fields: Record<string, number> = { lastAt: now };
    if (wait) fields.nextAt = now + wait;
    await redis.hset(key, fields);
    await redis.pexpire(key, settings.lockoutMs * 2 + MAX_BACKOFF_MS);
    return { failures, lockedOut: failures === threshold };
  }

  /** A successful sign-in clears the account's record (never the IP's: one good password is no alibi). */
  async clear(subject: ThrottleSubject): Promise<void> {
    await this.deps.redis.del(this.key(subject));
  }

  private key(s: ThrottleSubject): string {
    return `${this.deps.prefix}:staff-throttle:${s.kind}:${s.key}`;
  }
}
