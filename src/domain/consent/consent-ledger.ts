// Writes the proof of consent. Insert-only: no method here updates or deletes an event; erasure
// anonymises through anonymise(), which strips identifiers and keeps what happened and when.
import { createHash } from 'node:crypto';
import { Types } from 'mongoose';
import type { ConsentChannel, ConsentEventType } from '../../data/consent-event.model';
import type { Models } from '../../data/models';
import { isDuplicateKeyError } from '../../errors';
import { insertOnce } from '../claims';

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
  constructor(private readonly deps: { models: Models; now: () => Date }) {}

  async record(event: ConsentEventInput): Promise<void> {
    const at = event.at ?? this.deps.now();
    await this.deps.models.consentEvents.create({ ...event, at, day: rigaDay(at) });
  }

  /**
   * Records the event unless one was recorded under `key` before, and says whether this call did.
   * The event's _id is derived from the key and _id is unique on every server, so one insert both
   * decides and records (a separate claim cost the one-click path a second write).
   */
  recordOnce(key: string, event: ConsentEventInput): Promise<boolean> {
    const at = event.at ?? this.deps.now();
    return insertOnce(() => this.deps.models.consentEvents.create({ _id: eventIdFor(key), ...event, at, day: rigaDay(at) }));
  }

  async recordMany(events: ConsentEventInput[]): Promise<void> {
    if (events.length === 0) return;
    const at = this.deps.now();
    const day = rigaDay(at);
    await this.deps.models.consentEvents.insertMany(events.map((e) => ({ ...e, at, day })), { ordered: false });
  }

  /**
   * Bulk path (imports of 100,000 rows): the driver inserts the events as given, without Mongoose
   * hydrating each one, which costs more than the insert itself; ids must already be ObjectIds.
   */
  async recordBulk(events: Array<ConsentEventInput & { subscriberId?: Types.ObjectId; _id?: Types.ObjectId }>): Promise<void> {
    if (events.length === 0) return;
    const at = this.deps.now();
    const day = rigaDay(at);
    try {
      await this.deps.models.consentEvents.collection.insertMany(events.map((e) => ({ ...e, at, day })), { ordered: false, ignoreUndefined: true });
    } catch (err) {
      // Events keyed by a deterministic _id (see eventIdFor) that are already there stay as they are.
      const writeErrors = (err as { writeErrors?: unknown }).writeErrors;
      const errors = (Array.isArray(writeErrors) ? writeErrors : writeErrors ? [writeErrors] : []) as Array<{ code?: number }>;
      if (errors.length === 0 || errors.some((e) => !isDuplicateKeyError(e))) throw err;
    }
  }

  history(subscriberId: Types.ObjectId | string) {
    return this.deps.models.consentEvents.find({ subscriberId }).sort({ at: 1, _id: 1 }).lean();
  }

  /** Erasure: the events stay as evidence, linked only by the keyed hash. */
  async anonymise(emailHash: string): Promise<number> {
    const result = await this.deps.models.consentEvents.updateMany(
      { emailHash },
      { $unset: { subscriberId: 1, subscriptionId: 1, ip: 1, forwardedFor: 1, userAgent: 1, messageId: 1, note: 1 }, $set: { anonymised: true } },
    );
    return result.modifiedCount;
  }
}

/** 12 bytes of the key's SHA-256: an ObjectId-shaped _id that is the same for the same key. */
export function eventIdFor(key: string): Types.ObjectId {
  return new Types.ObjectId(createHash('sha256').update(key).digest().subarray(0, 12));
}
