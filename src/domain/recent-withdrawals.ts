// Consent is read once per send batch, and a batch can take seconds to go out. So that a send that
// begins after an unsubscribe committed never goes out (invariant 1), every withdrawal also raises
// a short-lived flag in Redis before it commits, and the send worker checks each chunk against the
// flags just before claiming it: one MGET, no database scan.
import type { Redis } from 'ioredis';

// Longer than any batch can live (retries included); after that the database read is the truth.
const FLAG_TTL_SECONDS = 7 * 24 * 3600;

export class RecentWithdrawals {
  constructor(private readonly deps: { redis: Redis; prefix: string }) {}

  private key(subscriberId: string, list: string): string {
    return `${this.deps.prefix}:withdrawn:${subscriberId}:${list}`;
  }

  async mark(subscriberId: string, list: string): Promise<void> {
    await this.deps.redis.set(this.key(subscriberId, list), '1', 'EX', FLAG_TTL_SECONDS);
  }

  /** Of the given subscribers, those who withdrew from `list` in the last days. */
  async among(subscriberIds: string[], list: string): Promise<Set<string>> {
    if (subscriberIds.length === 0) return new Set();
    const flags = await this.deps.redis.mget(subscriberIds.map((id) => this.key(id, list)));
    return new Set(subscriberIds.filter((_id, i) => flags[i] !== null));
  }

  /** Erasure: the flags name a subscriber id, which must not outlive the person. */
  async forget(subscriberId: string): Promise<number> {
    const { redis, prefix } = this.deps;
    let removed = 0;
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:withdrawn:${subscriberId}:*`, 'COUNT', 1000);
      if (keys.length > 0) removed += await redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
    return removed;
  }
}
