// Consent is read once per send batch, and a batch can take seconds to go out. So that no mail goes
// out after an unsubscribe has been answered (invariant 1), the send worker and every withdrawal
// meet in Redis, each writing before it reads:
// - a withdrawal raises a flag for (person, list), commits, then waits while a send to that person
//   on that list is in flight;
// - the send worker marks a chunk's recipients in flight, then reads their flags in the same
//   MULTI, skips the flagged ones, and clears the marks once SMTP has answered.
// Redis runs commands one at a time, so either the worker sees the flag (and skips), or the
// withdrawal sees the mark (and answers only after the mail was handed over). One MULTI and one
// script call per chunk, one GET per withdrawal; no database read.
import type { Redis } from 'ioredis';

// Longer than any batch can live (retries included); after that the database read is the truth.
const FLAG_TTL_SECONDS = 7 * 24 * 3600;
// A killed worker cannot clear its marks; they lapse after this long.
const IN_FLIGHT_TTL_SECONDS = 60;
// How long a withdrawal waits for a send in flight before it answers anyway (a worker was killed).
const SETTLE_TIMEOUT_MS = 10_000;
const SETTLE_POLL_MS = 20;
// Decrements each mark and deletes it at 0 (or below: it lapsed and came back), so no key is left
// without an expiry, and none names a person an erasure has just forgotten.
const END_SENDING = `for _, key in ipairs(KEYS) do
  if redis.call('DECR', key) <= 0 then redis.call('DEL', key) end
end`;

export class RecentWithdrawals {
  constructor(private readonly deps: { redis: Redis; prefix: string }) {}

  private flagKey(subscriberId: string, list: string): string {
    return `${this.deps.prefix}:withdrawn:${subscriberId}:${list}`;
  }

  private inFlightKey(subscriberId: string, list: string): string {
    return `${this.deps.prefix}:sending:${subscriberId}:${list}`;
  }

  async mark(subscriberId: string, list: string): Promise<void> {
    await this.deps.redis.set(this.flagKey(subscriberId, list), '1', 'EX', FLAG_TTL_SECONDS);
  }

  /**
   * After the withdrawal committed: returns once no send to this person on this list is in flight
   * (at once, nearly always), or after SETTLE_TIMEOUT_MS. Returns whether it had to wait.
   */
  async settle(subscriberId: string, list: string): Promise<boolean> {
    const key = this.inFlightKey(subscriberId, list);
    const deadline = Date.now() + SETTLE_TIMEOUT_MS;
    let waited = false;
    while (Number(await this.deps.redis.get(key)) > 0 && Date.now() < deadline) {
      waited = true;
      await new Promise((resolve) => setTimeout(resolve, SETTLE_POLL_MS));
    }
    return waited;
  }

  /**
   * Marks the recipients in flight, then reads their flags, in one MULTI; returns those who withdrew.
   * A counter, not a flag: two campaigns on one list may send to the same person at once.
   */
  async beginSending(subscriberIds: string[], list: string): Promise<Set<string>> {
    if (subscriberIds.length === 0) return new Set();
    const multi = this.deps.redis.multi();
    for (const id of subscriberIds) multi.incr(this.inFlightKey(id, list)).expire(this.inFlightKey(id, list), IN_FLIGHT_TTL_SECONDS);
    multi.mget(subscriberIds.map((id) => this.flagKey(id, list)));
    const results = (await multi.exec()) ?? [];
    const [err, flags] = results[results.length - 1] ?? [new Error('MULTI returned nothing')];
    if (err) throw err;
    return new Set(subscriberIds.filter((_id, i) => (flags as Array<string | null>)[i] !== null));
  }

  /** SMTP has answered for these recipients: they are no longer in flight (a mark at 0 goes). */
  async endSending(subscriberIds: string[], list: string): Promise<void> {
    if (subscriberIds.length === 0) return;
    const keys = subscriberIds.map((id) => this.inFlightKey(id, list));
    await this.deps.redis.eval(END_SENDING, keys.length, ...keys);
  }

  /** Erasure: the flags and marks name a subscriber id, which must not outlive the person. */
  async forget(subscriberId: string): Promise<number> {
    const { redis, prefix } = this.deps;
    let removed = 0;
    for (const kind of ['withdrawn', 'sending']) {
      let cursor = '0';
      do {
        const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:${kind}:${subscriberId}:*`, 'COUNT', 1000);
        if (keys.length > 0) removed += await redis.del(...keys);
        cursor = next;
      } while (cursor !== '0');
    }
    return removed;
  }
}
