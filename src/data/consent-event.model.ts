import { Schema, Types, type Connection, type InferSchemaType } from 'mongoose';

export const CONSENT_EVENT_TYPES = [
  'requested',
  'confirmed',
  'withdrawn',
  'imported',
  'restricted',
  'restriction-lifted',
  'erased',
  'suppressed',
  // The DPO lifted a wrong suppression (bounce, complaint, manual), with the reason in the note.
  'suppression-lifted',
  'rectified',
  // An unconfirmed sign-up removed by retention.
  'expired',
  // The person's own confirmed opt-in removed their opt-out record for the list.
  'opt-out-lifted',
  // Consent not renewed by the deadline of a re-consent campaign: no longer mailed on that list.
  'lapsed',
] as const;
export type ConsentEventType = (typeof CONSENT_EVENT_TYPES)[number];

export const CONSENT_CHANNELS = [
  'web-form',
  'api',
  'one-click',
  'unsubscribe-page',
  'mailbox',
  'bounce',
  'complaint',
  'admin',
  'import',
  'retention',
  // Written by the ledger reconciliation for a state a crash left without its event.
  'reconciliation',
  // Asked to consent again after a material policy change (confirmations and lapses).
  're-consent',
] as const;
export type ConsentChannel = (typeof CONSENT_CHANNELS)[number];

// The proof of consent (GDPR art. 7(1)). Append-only: code only ever inserts; the exceptions are
// erasure, which strips the person's identifiers (ERASABLE_FIELDS) and keeps the event, and the
// one-off `ledger migrate`, which chains events written before the chain existed.
const consentEventSchema = new Schema(
  {
    subscriberId: { type: Types.ObjectId },
    emailHash: { type: String, required: true },
    list: { type: String },
    type: { type: String, enum: CONSENT_EVENT_TYPES, required: true },
    channel: { type: String, enum: CONSENT_CHANNELS, required: true },
    at: { type: Date, required: true },
    // The Riga calendar day of `at` (YYYY-MM-DD), for the dashboard's per-day counts.
    day: { type: String },
    ip: { type: String },
    // X-Forwarded-For as the trusted proxy passed it on, at most 512 characters.
    forwardedFor: { type: String },
    userAgent: { type: String },
    policyVersion: { type: Number },
    consentTextHash: { type: String },
    consentText: { type: String },
    // Ties a request to its confirmation (the sign-up nonce).
    requestRef: { type: String },
    campaignId: { type: Types.ObjectId },
    messageId: { type: String },
    actor: { type: String },
    note: { type: String },
    // Imports: when and where the person originally consented (the event's `at` is the import).
    consentedAt: { type: Date },
    source: { type: String },
    // Withdrawals: milliseconds from receiving the request (HTTP POST, mail arrival) to the committed change.
    effectDelayMs: { type: Number },
    anonymised: { type: Boolean },
    // Subscription transitions: the subscription and the version it moved from (see subscription-state.ts).
    subscriptionId: { type: Types.ObjectId },
    fromVersion: { type: Number },
    // The person's hash chain (src/domain/consent/ledger-canonical.ts, docs/ledger.md): set once, at
    // the insert, from the event as inserted; events older than the chain get them from `ledger migrate`.
    chainFormat: { type: Number },
    seq: { type: Number },
    chainLink: { type: String },
    prevHash: { type: String },
    erasableDigest: { type: String },
    hash: { type: String },
  },
  { versionKey: false },
);
// A subscriber's consent history in order (admin consent view, access export).
consentEventSchema.index({ subscriberId: 1, at: 1 });
// Erasure anonymises by hash; audits of an erased person search by hash; a chain's head and its
// verification read a person's events by hash (the chain key, which erasure keeps).
consentEventSchema.index({ emailHash: 1 });
// One event per place in a person's chain: the insert that takes `<emailHash>:<seq>` wins, a second
// writer retries after the new head (ConsentLedger appends). Sparse: events not chained yet have none
// (MongoDB would otherwise count them as one null; FerretDB's SQLite index ignores nulls anyway).
consentEventSchema.index({ chainLink: 1 }, { unique: true, sparse: true });
// Unsubscribe metrics: withdrawals of the last days by channel (GET /admin/metrics/unsubscribe).
consentEventSchema.index({ type: 1, at: 1 });
// Dashboard: sign-ups, confirmations and unsubscribes per day ({day: {$in: last N days}, type: {$in}}).
consentEventSchema.index({ day: 1, type: 1 });
// Campaign report: the withdrawals a campaign's mail led to ({campaignId, type: 'withdrawn'}).
consentEventSchema.index({ campaignId: 1, type: 1 });

export type ConsentEventDoc = InferSchemaType<typeof consentEventSchema>;
export const consentEventModel = (conn: Connection) => conn.model('ConsentEvent', consentEventSchema, 'consent_events');
