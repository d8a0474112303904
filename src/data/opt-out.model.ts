import { Schema, type Connection, type InferSchemaType } from 'mongoose';

// A remembered "no" (invariant 11): one per (address, list) for everyone who withdrew, as a keyed hash
// only, so it can outlive every other trace of the person (erasure and retention leave it). Only
// the person's own confirmed opt-in removes it.
const optOutSchema = new Schema(
  {
    // HMAC (EMAIL_HASH_KEY) of the address's keyed hash and the list: see src/domain/consent/opt-outs.ts.
    hash: { type: String, required: true },
    list: { type: String, required: true },
    at: { type: Date, required: true },
  },
  { versionKey: false },
);
// Import and re-activation checks ("is any of these hashes opted out") and the once-only insert.
optOutSchema.index({ hash: 1 }, { unique: true });

export type OptOutDoc = InferSchemaType<typeof optOutSchema>;
export const optOutModel = (conn: Connection) => conn.model('OptOut', optOutSchema, 'opt_outs');
