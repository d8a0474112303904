// The withdrawal gate. Consent is read once per send batch, and a batch can take seconds to go out.
// So that no mail goes out after anything that stops mail to a person has been answered (invariant
// 1 and 2: unsubscribe, restriction, suppression, erasure), the send worker and every such change
// meet in Redis, each writing before it reads:
// - a change raises a flag, commits, then waits while a send to that person is in flight;
// - the send worker marks a chunk's recipients in flight, then reads their flags in the same
//   MULTI, re-checks the flagged ones, and clears the marks once SMTP has answered.
// Redis runs commands one at a time, so either the worker sees the flag, or the change sees the mark
// (and answers only after the mail was handed over). One MULTI and one script call per chunk, one
// GET per change; no database read unless someone is flagged.
//
// Keys name the address's keyed hash, never the subscriber: the hash outlives an erasure anyway (the
// tombstone), so flags can lapse by themselves instead of being hunted down. A flag holds the time
// it went up; a flag older than the person's last confirmed opt-in is no longer justified (see
// flaggedAt and send-batch.ts).
//
// The gate lives in Redis, so Redis losing its data (a flush, a restart without persistence) loses
// flags and marks with it. A generation key, set once with the time it was set, tells both sides:
// a batch whose generation changed since it read consent reads it again; a change made within
// SETTLE_TIMEOUT_MS of a new generation, while a campaign is sending, waits out that window, as
// marks from before may be gone.
import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';

// Longer than any batch can live (retries included); after that the database read is the truth.
const FLAG_TTL_SECONDS = 7 * 24 * 3600;
// A killed worker cannot clear its marks; they lapse after this long.
const IN_FLIGHT_TTL_SECONDS = 60;
// How long a change waits for a send in flight before it answers anyway (a worker was killed).
const SETTLE_TIMEOUT_MS = 10_000;
const SETTLE_POLL_MS = 20;
// A flag for every list of the person: restriction, suppression, erasure.
const EVERY_LIST = '*';
// Decrements each mark and deletes it at 0 (or below: it lapsed and came back), so no key is left
// without an expiry.
const END_SENDING = `for _, key in ipairs(KEYS) do
  if redis.call('DECR', key) <= 0 then redis.call('DEL', key) end
end`;

export class RecentWithdrawals {
  constructor(
    private readonly deps: {
      redis: Redis;
      prefix: string;
      now?: () => Date;
      /** Whether any campaign is sending now (the database's word, which a Redis loss leaves intact). */
      campaignsSending?: () => Promise<boolean>;
    },
  ) {}

  private flagKey(person: string, list: string): string {
    return `${this.deps.prefix}:withdrawn:${person}:${list}`;
  }

  private inFlightKey(person: string, list: string): string {
    return `${this.deps.prefix}:sending:${person}:${list}`;
  }

  private get generationKey(): string {
    return `${this.deps.prefix}:withdrawals:generation`;
  }

  /**
   * At a process's start: a Redis without a generation that nobody has used yet is a fresh start,
   * not a loss, and gets a generation without a waiting window (time 0). Whoever asks first after a
   * loss while running sets one that starts now (generation()).
   */
  async initialise(): Promise<void> {
    await this.deps.redis.set(this.generationKey, `0:${randomBytes(6).toString('hex')}`, 'NX');
  }

  /** The gate's memory, `since:id`: it changes whenever Redis has lost it. */
  async generation(): Promise<string> {
    const fresh = `${Date.now()}:${randomBytes(6).toString('hex')}`;
    const results = (await this.deps.redis.multi().set(this.generationKey, fresh, 'NX').get(this.generationKey).exec()) ?? [];
    const [err, value] = results[1] ?? [new Error('MULTI returned nothing')];
    if (err) throw err;
    return String(value);
  }

  private stamp(): string {
    return String((this.deps.now?.() ?? new Date()).getTime());
  }

  /** Before a withdrawal from one list commits. `person` is the address's keyed hash. */
  async mark(person: string, list: string): Promise<void> {
    await this.deps.redis.set(this.flagKey(person, list), this.stamp(), 'EX', FLAG_TTL_SECONDS);
  }

  /** mark() for many (person, list) pairs in one round trip: a group of one-click unsubscribes. */
  async markMany(pairs: Array<[person: string, list: string]>): Promise<void> {
    if (pairs.length === 0) return;
    const stamp = this.stamp();
    const pipeline = this.deps.redis.pipeline();
    for (const [person, list] of pairs) pipeline.set(this.flagKey(person, list), stamp, 'EX', FLAG_TTL_SECONDS);
    for (const [err] of (await pipeline.exec()) ?? []) if (err) throw err;
  }

  /** Before a change that stops all mail to the person commits (restriction, suppression, erasure). */
  async markEveryList(person: string): Promise<void> {
    await this.mark(person, EVERY_LIST);
  }

  /** After the person's own confirmed opt-in committed: their earlier "no" on this list is spent. */
  async clear(person: string, list: string): Promise<void> {
    await this.deps.redis.del(this.flagKey(person, list));
  }

  /** After a restriction was lifted or a tombstone gave way to a fresh opt-in. */
  async clearEveryList(person: string): Promise<void> {
    await this.deps.redis.del(this.flagKey(person, EVERY_LIST));
  }

  /**
   * After the change committed: returns once no send to this person on this list is in flight
   * (at once, nearly always), or after SETTLE_TIMEOUT_MS. Returns whether it had to wait.
   */
  async settle(person: string, list: string): Promise<boolean> {
    return this.settleAll(person, [list]);
  }

  /** settle() for each of the lists the person may be sent on; a lost generation is outwaited once. */
  async settleAll(person: string, lists: string[]): Promise<boolean> {
    const deadline = Date.now() + SETTLE_TIMEOUT_MS;
    const outwaited = await this.outwaitLostMarks();
    const waited = await Promise.all([...new Set(lists)].map((list) => this.whileInFlight(this.inFlightKey(person, list), deadline)));
    return outwaited || waited.some(Boolean);
  }

  /**
   * settle() for many (person, list) pairs: one read of all their marks, then polls only the marked
   * ones (nearly always none).
   */
  async settleMany(pairs: Array<[person: string, list: string]>): Promise<boolean> {
    if (pairs.length === 0) return false;
    const deadline = Date.now() + SETTLE_TIMEOUT_MS;
    const outwaited = await this.outwaitLostMarks();
    const keys = [...new Set(pairs.map(([person, list]) => this.inFlightKey(person, list)))];
    const marks = await this.deps.redis.mget(keys);
    const marked = keys.filter((_key, i) => Number(marks[i]) > 0);
    const waited = await Promise.all(marked.map((key) => this.whileInFlight(key, deadline)));
    return outwaited || waited.some(Boolean);
  }

  private async whileInFlight(key: string, deadline: number): Promise<boolean> {
    let waited = false;
    while (Number(await this.deps.redis.get(key)) > 0 && Date.now() < deadline) {
      waited = true;
      await new Promise((resolve) => setTimeout(resolve, SETTLE_POLL_MS));
    }
    return waited;
  }

  /**
   * Redis lost its data a moment ago: a send marked in flight before that is invisible, so wait
   * until any such send has had SETTLE_TIMEOUT_MS, the time a mark is trusted to cover.
   */
  private async outwaitLostMarks(): Promise<boolean> {
    const until = Number((await this.generation()).split(':')[0]) + SETTLE_TIMEOUT_MS;
    if (Date.now() >= until) return false;
    // A young generation is also a fresh start: with no campaign sending, no mark can have been lost.
    if (this.deps.campaignsSending && !(await this.deps.campaignsSending())) return false;
    await new Promise((resolve) => setTimeout(resolve, until - Date.now()));
    return true;
  }

  /**
   * Marks the recipients in flight, then reads their flags (this list's and every-list), in one
   * MULTI; returns the flagged ones with the time of their newest flag. A counter, not a flag: two
   * campaigns on one list may send to the same person at once.
   */
  async beginSending(persons: string[], list: string): Promise<Map<string, number>> {
    if (persons.length === 0) return new Map();
    const multi = this.deps.redis.multi();
    for (const p of persons) multi.incr(this.inFlightKey(p, list)).expire(this.inFlightKey(p, list), IN_FLIGHT_TTL_SECONDS);
    multi.mget(persons.flatMap((p) => [this.flagKey(p, list), this.flagKey(p, EVERY_LIST)]));
    const results = (await multi.exec()) ?? [];
    const [err, flags] = results[results.length - 1] ?? [new Error('MULTI returned nothing')];
    if (err) throw err;
    const values = flags as Array<string | null>;
    const flagged = new Map<string, number>();
    persons.forEach((p, i) => {
      const stamps = [values[2 * i], values[2 * i + 1]].filter((v): v is string => v !== null).map(flaggedAt);
      if (stamps.length) flagged.set(p, Math.max(...stamps));
    });
    return flagged;
  }

  /** SMTP has answered for these recipients: they are no longer in flight (a mark at 0 goes). */
  async endSending(persons: string[], list: string): Promise<void> {
    if (persons.length === 0) return;
    const keys = persons.map((p) => this.inFlightKey(p, list));
    await this.deps.redis.eval(END_SENDING, keys.length, ...keys);
  }
}

/** A flag's time; one without (written before flags carried it) counts as justified for its lifetime. */
function flaggedAt(value: string): number {
  const at = Number(value);
  return Number.isFinite(at) && value !== '1' ? at : Number.POSITIVE_INFINITY;
}
