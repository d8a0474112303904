// Writes the proof of consent. Insert-only: no method here updates or deletes an event; erasure
// anonymises through anonymise(), which strips identifiers and keeps what happened and when. Every
// insert is its person's next link in a hash chain (ledger-chain.ts).
import { createHash } from 'node:crypto';
import { Types } from 'mongoose';
import type { ConsentChannel, ConsentEventType } from '../../data/consent-event.model';
import type { Models } from '../../data/models';
import { ERASABLE_FIELDS, type RawEvent } from './ledger-canonical';
import { LedgerChain } from './ledger-chain';
import { consentEventQueries } from '../../data/consent-event.queries';

export interface ConsentEventInput {
  subscriberId?: Types.ObjectId | string;
  emailHash: string;
  list?: string;
  type: ConsentEventType;
  channel: ConsentChannel;
  ip?: string;
  /** X-Forwarded-For as a trusted proxy passed it on (bounded); `ip` is its validated client entry. */
  forwardedFor?: string;
  userAgent?: string;
  policyVersion?: number;
  consentTextHash?: string;
  consentText?: string;
  requestRef?: string;
  campaignId?: Types.ObjectId | string;
  messageId?: string;
  actor?: string;
  note?: string;
  consentedAt?: Date;
  source?: string;
  effectDelayMs?: number;
  subscriptionId?: Types.ObjectId | string;
  fromVersion?: number;
  /** When it happened, if the caller must write the same time into a state; default now. */
  at?: Date;
}

// The agency's calendar day of an event (YYYY-MM-DD in Riga), stored beside `at`: the dashboard asks
// for days with an equality ($in), the one query shape FerretDB's SQLite backend serves from an index;
// a range on `at` would read every event of the type.
const RIGA_DAY = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Riga', year: 'numeric', month: '2-digit', day: '2-digit' });
export function rigaDay(at: Date): string {
  return RIGA_DAY.format(at);
}

export class ConsentLedger {
  private readonly chain: LedgerChain;

  constructor(private readonly deps: { models: Models; now: () => Date; ledgerKey: string }) {
    this.chain = new LedgerChain({ models: deps.models, ledgerKey: deps.ledgerKey });
  }

  async record(event: ConsentEventInput): Promise<void> {
    await this.chain.append(await this.prepare({ ...event, at: event.at ?? this.deps.now() }));
  }

  /**
   * Records the event unless one was recorded under `key` before, and says whether this call did.
   * The event's _id is derived from the key and _id is unique on every server, so one insert both
   * decides and records (a separate claim cost the one-click path a second write); a retry finds the
   * event by that _id and appends nothing to the chain.
   */
  async recordOnce(key: string, event: ConsentEventInput): Promise<boolean> {
    return this.chain.append(await this.prepare({ _id: eventIdFor(key), ...event, at: event.at ?? this.deps.now() }));
  }

  /**
   * recordOnce() for many keys at once (a group of one-click unsubscribes): one read of the chains'
   * heads and one insert for the lot. Returns the keys this call recorded.
   */
  async recordOnceMany(entries: Array<{ key: string; event: ConsentEventInput }>): Promise<Set<string>> {
    if (entries.length === 0) return new Set();
    const prepared = await Promise.all(entries.map(({ key, event }) => this.prepare({ _id: eventIdFor(key), ...event, at: event.at ?? this.deps.now() })));
    const appended = await this.chain.appendBulk(prepared);
    return new Set(entries.filter((_entry, i) => appended.has(String(prepared[i]!._id))).map((entry) => entry.key));
  }

  async recordMany(events: ConsentEventInput[]): Promise<void> {
    const at = this.deps.now();
    // In order: each one is its person's next link.
    for (const e of events) await this.chain.append(await this.prepare({ ...e, at }));
  }

  /**
   * Bulk path (imports of 100,000 rows): the driver inserts the events as given, without Mongoose
   * hydrating each one, which costs more than the insert itself; ids must already be ObjectIds.
   * Events keyed by a deterministic _id (see eventIdFor) that are already there stay as they are.
   */
  async recordBulk(events: Array<ConsentEventInput & { subscriberId?: Types.ObjectId; _id?: Types.ObjectId }>): Promise<void> {
    if (events.length === 0) return;
    const at = this.deps.now();
    const day = rigaDay(at);
    await this.chain.appendBulk(events.map((e) => withoutUndefined({ _id: e._id ?? new Types.ObjectId(), ...e, at, day })));
  }

  history(subscriberId: Types.ObjectId | string) {
    return consentEventQueries.ofSubscriber(this.deps.models, subscriberId).lean();
  }

  /**
   * Erasure: the events stay as evidence, linked only by the keyed hash. The chain keeps verifying:
   * the stripped fields are hashed only through the digest each event keeps (ledger-canonical.ts).
   */
  async anonymise(emailHash: string): Promise<number> {
    const result = await consentEventQueries.anonymise(this.deps.models, emailHash, {
      $unset: Object.fromEntries(ERASABLE_FIELDS.map((field) => [field, 1])),
      $set: { anonymised: true },
    });
    return result.modifiedCount;
  }

  /** The document as Mongoose casts and validates it, ready to be chained and inserted as it is. */
  private async prepare(event: ConsentEventInput & { _id?: Types.ObjectId; at: Date }): Promise<RawEvent> {
    const doc = new this.deps.models.consentEvents({ ...event, day: rigaDay(event.at) });
    await doc.validate();
    return withoutUndefined(doc.toObject({ depopulate: true, versionKey: false }) as RawEvent);
  }
}

function withoutUndefined<T extends object>(doc: T): T {
  return Object.fromEntries(Object.entries(doc).filter(([, v]) => v !== undefined)) as T;
}

/** 12 bytes of the key's SHA-256: an ObjectId-shaped _id that is the same for the same key. */
export function eventIdFor(key: string): Types.ObjectId {
  return new Types.ObjectId(createHash('sha256').update(key).digest().subarray(0, 12));
}
