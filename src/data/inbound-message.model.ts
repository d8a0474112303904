import { Schema, type Connection, type InferSchemaType } from 'mongoose';

export const INBOUND_OUTCOMES = ['received', 'applied', 'review', 'ignored', 'failed'] as const;

// What arrived at the mailbox. Recorded before any effect, so polling is idempotent across crashes
// and UIDVALIDITY changes.
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
    authentication: { type: Schema.Types.Mixed },
    outcome: { type: String, enum: INBOUND_OUTCOMES, default: 'received' },
    effects: { type: [String], default: [] },
    error: { type: String },
    // Why it went to review or was ignored (the mailbox poller's effects), for the reviewer.
    note: { type: String },
    // The raw message, kept 90 days for review; the classification outlives it.
    raw: { type: String },
    receivedAt: { type: Date, required: true },
    movedTo: { type: String },
  },
  { timestamps: true },
);
// Same message seen again (re-delivery, UIDVALIDITY reset): skip.
inboundMessageSchema.index({ dedupeKey: 1 }, { unique: true });
// Same mailbox slot seen again.
inboundMessageSchema.index({ mailbox: 1, uidKey: 1 }, { unique: true });
// Review queue and retention of raw bodies.
inboundMessageSchema.index({ outcome: 1, receivedAt: 1 });

export type InboundMessageDoc = InferSchemaType<typeof inboundMessageSchema>;
export const inboundMessageModel = (conn: Connection) => conn.model('InboundMessage', inboundMessageSchema, 'inbound_messages');
