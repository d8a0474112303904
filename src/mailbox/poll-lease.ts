// One poll per mailbox at a time, across worker processes: a Redis SET NX lease. A poll that runs
// longer than the interval would otherwise meet the next scheduled poll working on the same messages.
import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';

export interface PollLease {
  /** The release function, or undefined when someone else holds the lease. */
  acquire(mailbox: string): Promise<(() => Promise<void>) | undefined>;
}

// Deletes the key only if it still holds our token: an expired lease taken over by another poller stays theirs.
const RELEASE_SCRIPT = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end";

export class RedisPollLease implements PollLease {
  constructor(private readonly deps: { redis: Redis; prefix: string; ttlMs: number }) {}

  async acquire(mailbox: string): Promise<(() => Promise<void>) | undefined> {
    const { redis, prefix, ttlMs } = this.deps;
    const key = `${prefix}:mailbox:lease:${mailbox}`;
    const token = randomUUID();
    if ((await redis.set(key, token, 'PX', ttlMs, 'NX')) !== 'OK') return undefined;
    return async () => {
      await redis.eval(RELEASE_SCRIPT, 1, key, token);
    };
  }
}
