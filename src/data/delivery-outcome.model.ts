// What became of one delivery: written once, by the run that holds its claim (delivery.model.ts),
// and never updated on the send path. Insert-only because FerretDB v1 updates are slow and not
// isolated, while a bulk insert into a unique index is fast and atomic on both databases.
// A temporary SMTP failure writes no outcome: its claim is deleted instead, so the retry re-claims
// it. A claim without an outcome is in flight, or (once its batch is done) ambiguous: its worker
// died between claiming and recording, and it is never resent.
import { Schema, Types, type Connection, type InferSchemaType } from 'mongoose';

export const OUTCOME_STATES = ['sent', 'skipped', 'failed', 'ambiguous'] as const;
export type OutcomeState = (typeof OUTCOME_STATES)[number];

const deliveryOutcomeSchema = new Schema(
  {
    campaignId: { type: Types.ObjectId, required: true },
    subscriberId: { type: Types.ObjectId, required: true },
    status: { type: String, enum: OUTCOME_STATES, required: true },
    // skipped: not-active | suppressed | restricted | unknown; failed: rejected | retries-exhausted;
    // ambiguous: connection-lost.
    reason: { type: String },
    messageId: { type: String },
    smtpResponse: { type: String },
    at: { type: Date, required: true },
    // Set when retention removed the details (after 24 months).
    pseudonymised: { type: Boolean },
  },
  { versionKey: false },
);
// One final outcome per delivery: a second writer (a stale run) gets a duplicate key, never an overwrite.
deliveryOutcomeSchema.index({ campaignId: 1, subscriberId: 1 }, { unique: true });
// A person's outcomes for the access export and erasure.
deliveryOutcomeSchema.index({ subscriberId: 1 });
// The retention sweep's range (details older than 24 months).
deliveryOutcomeSchema.index({ at: 1 });

export type DeliveryOutcomeDoc = InferSchemaType<typeof deliveryOutcomeSchema>;
export const deliveryOutcomeModel = (conn: Connection) => conn.model('DeliveryOutcome', deliveryOutcomeSchema, 'delivery_outcomes');
