import { Schema, Types, type Connection, type InferSchemaType } from 'mongoose';

export const REQUEST_TYPES = ['access', 'rectification', 'erasure', 'restriction', 'withdrawal'] as const;
export type RequestType = (typeof REQUEST_TYPES)[number];
export const REQUEST_STATES = ['awaiting-verification', 'open', 'done', 'rejected'] as const;
export type RequestState = (typeof REQUEST_STATES)[number];
export const REQUEST_CHANNELS = ['mailbox', 'admin', 'letter', 'web'] as const;

const actionSchema = new Schema(
  { at: { type: Date, required: true }, actor: { type: String, required: true }, action: { type: String, required: true }, note: String },
  { _id: false },
);

const dataSubjectRequestSchema = new Schema(
  {
    // Human-readable number (DSR-2026-0001), claimed through a unique index, not a counter update.
    number: { type: String, required: true },
    type: { type: String, enum: REQUEST_TYPES, required: true },
    channel: { type: String, enum: REQUEST_CHANNELS, required: true },
    email: { type: String },
    emailHash: { type: String, required: true },
    subscriberId: { type: Types.ObjectId },
    receivedAt: { type: Date, required: true },
    dueAt: { type: Date, required: true },
    extensionReason: { type: String },
    status: { type: String, enum: REQUEST_STATES, required: true },
    verifiedAt: { type: Date },
    note: { type: String },
    rejectionReason: { type: String },
    inboundMessageId: { type: String },
    rectification: { name: String, locale: String },
    // Language of the mails to the requester when no subscriber says otherwise.
    locale: { type: String, enum: ['lv', 'en'], default: 'lv' },
    // Months added to the one-month deadline (art. 12(3): at most two).
    extendedMonths: { type: Number, default: 0 },
    // When it was completed or rejected, by the injectable clock: retention counts from here.
    closedAt: { type: Date },
    actions: { type: [actionSchema], default: [] },
  },
  { timestamps: true },
);
// Request numbers are unique per year.
dataSubjectRequestSchema.index({ number: 1 }, { unique: true });
// The DPO's queue: open requests by due date.
dataSubjectRequestSchema.index({ status: 1, dueAt: 1 });
// Everything about one person (access export, erasure).
dataSubjectRequestSchema.index({ emailHash: 1 });
// Retention of closed requests by age.
dataSubjectRequestSchema.index({ closedAt: 1 });
// A mailed request, once per message (dataSubjectRequestQueries.fromMessage): not a scan per inbound mail.
dataSubjectRequestSchema.index({ inboundMessageId: 1 });

export type DataSubjectRequestDoc = InferSchemaType<typeof dataSubjectRequestSchema>;
export const dataSubjectRequestModel = (conn: Connection) =>
  conn.model('DataSubjectRequest', dataSubjectRequestSchema, 'data_subject_requests');
