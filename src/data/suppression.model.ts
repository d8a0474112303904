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
  },
  { timestamps: true },
);
// Send-time check "is any of these 1,000 hashes suppressed" and the import/sign-up guard.
suppressionSchema.index({ emailHash: 1 }, { unique: true });

export type SuppressionDoc = InferSchemaType<typeof suppressionSchema>;
export const suppressionModel = (conn: Connection) => conn.model('Suppression', suppressionSchema, 'suppressions');
