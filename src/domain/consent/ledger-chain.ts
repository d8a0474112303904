// Appends consent events to their person's hash chain without transactions. The chain is keyed by
// emailHash (the keyed hash of the address), which erasure keeps, so an erased person's chain stays
// whole. One insert does everything: the event carries seq, prevHash and hash, and its unique
// `chainLink` (`<emailHash>:<seq>`) makes two writers that read the same head collide; the loser
// reads the new head and tries again. An event whose _id is already there (recordOnce, a retried
// import) is not appended twice: any collision first asks whether this very event exists.
import type { Collection } from 'mongodb';
import type { Models } from '../../data/models';
import { isDuplicateKeyError } from '../../errors';
import { chainFieldsFor, GENESIS_HASH, type RawEvent } from './ledger-canonical';
import { consentEventQueries } from '../../data/consent-event.queries';

// Ten writers for one person at once each win within a few rounds; this many is a broken database.
const MAX_ATTEMPTS = 200;

export interface Head {
  seq: number;
  hash: string;
}

export class LedgerChain {
  constructor(private readonly deps: { models: Models; ledgerKey: string }) {}

  private get events(): Collection {
    return this.deps.models.consentEvents.collection as unknown as Collection;
  }

  /** Appends `event` as the next link of its chain; false if an event with its _id was already there. */
  async append(event: RawEvent): Promise<boolean> {
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const head = await this.head(event.emailHash);
      try {
        await this.events.insertOne(this.link(event, head));
        return true;
      } catch (err) {
        if (!isDuplicateKeyError(err)) throw err;
        if (await this.exists(event._id)) return false;
        // Someone else took this place: let the crowd thin before reading the head again.
        await pause(attempt);
      }
    }
    throw new Error(`consent ledger: no free place in the chain after ${MAX_ATTEMPTS} attempts`);
  }

  /**
   * Many events, mostly of different people (an import): one read of their heads, one unordered
   * insert of each person's first event; what collided (a concurrent writer, an event already
   * there) and a person's further events go the single way, in order. Never two events of one person
   * in one unordered insert: the second would link to the first even if the first lost its place.
   * Returns the _ids (hex) of the events this call appended; the others were there already.
   */
  async appendBulk(events: RawEvent[]): Promise<Set<string>> {
    const firsts: RawEvent[] = [];
    const rest: RawEvent[] = [];
    const seen = new Set<string>();
    for (const event of events) {
      (seen.has(event.emailHash) ? rest : firsts).push(event);
      seen.add(event.emailHash);
    }
    const heads = await this.heads([...seen]);
    let failed: RawEvent[] = [];
    try {
      await this.events.insertMany(
        firsts.map((event) => this.link(event, heads.get(event.emailHash))),
        { ordered: false },
      );
    } catch (err) {
      const writeErrors = (err as { writeErrors?: unknown }).writeErrors;
      const errors = (Array.isArray(writeErrors) ? writeErrors : writeErrors ? [writeErrors] : []) as Array<{ code?: number; index?: number }>;
      if (errors.length === 0 || errors.some((e) => !isDuplicateKeyError(e))) throw err;
      failed = errors.some((e) => typeof e.index !== 'number') ? firsts : errors.map((e) => firsts[e.index!]!);
    }
    const failedIds = new Set(failed.map((event) => String(event._id)));
    const appended = new Set(firsts.filter((event) => !failedIds.has(String(event._id))).map((event) => String(event._id)));
    for (const event of [...failed, ...rest]) if (await this.append(event)) appended.add(String(event._id));
    return appended;
  }

  /** The last link of a person's chain; events not chained yet (no seq) sort after every chained one. */
  async head(emailHash: string): Promise<Head | undefined> {
    const [last] = await consentEventQueries.headOf(this.deps.models, emailHash).toArray();
    return last && typeof last.seq === 'number' ? { seq: last.seq, hash: String(last.hash) } : undefined;
  }

  async heads(emailHashes: string[]): Promise<Map<string, Head>> {
    const heads = new Map<string, Head>();
    for (let i = 0; i < emailHashes.length; i += 1000) {
      const found = await consentEventQueries.linksOf(this.deps.models, emailHashes.slice(i, i + 1000)).toArray();
      for (const e of found) {
        if (typeof e.seq !== 'number') continue;
        const known = heads.get(e.emailHash);
        if (!known || e.seq > known.seq) heads.set(e.emailHash, { seq: e.seq, hash: String(e.hash) });
      }
    }
    return heads;
  }

  /** `event` with the chain fields of the place after `head`. */
  link(event: RawEvent, head: Head | undefined): RawEvent & { seq: number; hash: string } {
    const seq = head ? head.seq + 1 : 0;
    return { ...event, ...chainFieldsFor(event, seq, head?.hash ?? GENESIS_HASH, this.deps.ledgerKey) };
  }

  private async exists(id: RawEvent['_id']): Promise<boolean> {
    return (await consentEventQueries.countById(this.deps.models, id)) > 0;
  }
}

function pause(attempt: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(50, 2 + attempt * 2)));
}
