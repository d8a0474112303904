// One re-consent mail to one person: (campaign, subscriber, kind) is claimed by inserting it before
// SMTP, so a retried or re-run batch never mails a person twice and the reminder goes at most once.
import { Schema, Types, type Connection, type InferSchemaType } from 'mongoose';

export const RE_CONSENT_MAIL_KINDS = ['invitation', 'reminder'] as const;
export type ReConsentMailKind = (typeof RE_CONSENT_MAIL_KINDS)[number];

const reConsentMailSchema = new Schema(
  {
    campaignId: { type: Types.ObjectId, required: true },
    subscriberId: { type: Types.ObjectId, required: true },
    kind: { type: String, enum: RE_CONSENT_MAIL_KINDS, required: true },
    at: { type: Date, required: true },
  },
  { versionKey: false },
);
// The at-most-once claim per person and kind; also "who was asked" for the deadline sweep.
reConsentMailSchema.index({ campaignId: 1, kind: 1, subscriberId: 1 }, { unique: true });
// A person's re-consent mails (erasure removes them with the person).
reConsentMailSchema.index({ subscriberId: 1 });

export type ReConsentMailDoc = InferSchemaType<typeof reConsentMailSchema>;
export const reConsentMailModel = (conn: Connection) => conn.model('ReConsentMail', reConsentMailSchema, 're_consent_mails');
