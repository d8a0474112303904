import { Schema, type Connection, type InferSchemaType } from 'mongoose';

// received: recorded, not yet decided; kept: nothing done, left in the inbox for a person.
export const INBOUND_OUTCOMES = ['received', 'applied', 'review', 'ignored', 'failed', 'kept'] as const;

// What arrived at the mailbox. Recorded before it is classified and before any effect, so a message
// that hangs the classifier is still on record, and polling is idempotent across crashes and
// UIDVALIDITY changes.
const inboundMessageSchema = new Schema(
  {
    // Message-ID when present, else a digest of the raw message: duplicates collide here.
    dedupeKey: { type: String, required: true },
    messageId: { type: String },
    mailbox: { type: String, required: true },
    // "UIDVALIDITY:UID" within the mailbox.
    uidKey: { type: String, required: true },
    from: { type: String },
    fromHash: { type: String },
    subject: { type: String },
    kind: { type: String },
    classification: { type: Schema.Types.Mixed },
    // Set when classification starts: still set without a classification means the attempt never
    // finished (the process hung or died on this message), and it is not tried again.
    classifyStartedAt: { type: Date },
    authentication: { type: Schema.Types.Mixed },
    outcome: { type: String, enum: INBOUND_OUTCOMES, default: 'received' },
    effects: { type: [String], default: [] },
    error: { type: String },
    // Why it went to review or was ignored (the mailbox poller's effects), for the reviewer.
    note: { type: String },
    // The raw message, kept 90 days for review; the classification outlives it.
    raw: { type: String },
    receivedAt: { type: Date, required: true },
    // The UTC day of receivedAt (YYYY-MM-DD): the figures per day ask for days by equality.
    receivedDay: { type: String },
    movedTo: { type: String },
    // Left in the inbox on purpose (a question for a person): later polls pass it by.
    leftInInbox: { type: Boolean },
    // How a bounce or complaint was proven to concern our mail (verp | message-id | recent-delivery | feedback-loop).
    matchedBy: { type: String },
    // A person's decision in the review queue: the kind applied, by whom, when (mailbox-review.ts).
    decision: {
      type: new Schema({ kind: { type: String, required: true }, actor: { type: String, required: true }, at: { type: Date, required: true } }, { _id: false }),
    },
  },
  { timestamps: true },
);
// Same message seen again (re-delivery, UIDVALIDITY reset): skip.
inboundMessageSchema.index({ dedupeKey: 1 }, { unique: true });
// Same mailbox slot seen again.
inboundMessageSchema.index({ mailbox: 1, uidKey: 1 }, { unique: true });
// A person's own mail: their page, the access export and erasure look up by the sender's keyed hash.
inboundMessageSchema.index({ fromHash: 1 });
// Review queue and retention of raw bodies.
inboundMessageSchema.index({ outcome: 1, receivedAt: 1 });
// Messages per kind per day (the DPO's figures): receivedDay $in the last days.
inboundMessageSchema.index({ receivedDay: 1 });

export type InboundMessageDoc = InferSchemaType<typeof inboundMessageSchema>;
export const inboundMessageModel = (conn: Connection) => conn.model('InboundMessage', inboundMessageSchema, 'inbound_messages');
