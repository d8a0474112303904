import { Schema, type Connection, type InferSchemaType } from 'mongoose';

export const SUPPRESSION_REASONS = ['hard-bounce', 'soft-bounce', 'complaint', 'erasure', 'manual'] as const;
export type SuppressionReason = (typeof SUPPRESSION_REASONS)[number];

// Addresses that are never mailed, kept only as a keyed hash so an erased person leaves no address.
const suppressionSchema = new Schema(
  {
    emailHash: { type: String, required: true },
    reason: { type: String, enum: SUPPRESSION_REASONS, required: true },
    detail: { type: String },
    campaignId: { type: String },
    // Why we believe it (bounces, complaints): the inbound message, status, diagnostic and how the
    // report was matched to a mail we sent (verp | message-id | recent-delivery | feedback-loop).
    evidence: { type: Schema.Types.Mixed },
    // Soft bounces only: from then on the suppression no longer counts (checked where it is read).
    expiresAt: { type: Date },
  },
  { timestamps: true },
);
// Send-time check "is any of these 1,000 hashes suppressed" and the import/sign-up guard; the DPO's lookup by address.
suppressionSchema.index({ emailHash: 1 }, { unique: true });

export type SuppressionDoc = InferSchemaType<typeof suppressionSchema>;
export const suppressionModel = (conn: Connection) => conn.model('Suppression', suppressionSchema, 'suppressions');
