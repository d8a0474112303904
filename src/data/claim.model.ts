import { Schema, type Connection, type InferSchemaType } from 'mongoose';

// Things that must happen once under concurrency (a cooldown slot, a daily quota slot, one
// acknowledgement per day) are claimed by inserting a key: a unique index is atomic on MongoDB
// and FerretDB alike, where a guarded update is not on FerretDB.
const claimSchema = new Schema(
  {
    key: { type: String, required: true },
    expiresAt: { type: Date, required: true },
  },
  { versionKey: false },
);
claimSchema.index({ key: 1 }, { unique: true });
// Retention removes expired claims (no TTL indexes: FerretDB v1 has none).
claimSchema.index({ expiresAt: 1 });

export type ClaimDoc = InferSchemaType<typeof claimSchema>;
export const claimModel = (conn: Connection) => conn.model('Claim', claimSchema, 'claims');
