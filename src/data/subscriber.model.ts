import { Schema, type Connection, type InferSchemaType } from 'mongoose';

const subscriberSchema = new Schema(
  {
    email: { type: String, required: true },
    // Lower-cased address: the identity used for lookups and uniqueness.
    emailKey: { type: String, required: true },
    emailHash: { type: String, required: true },
    name: { type: String, default: '' },
    locale: { type: String, enum: ['lv', 'en'], default: 'lv' },
    // GDPR art. 18: data kept, never mailed, until the DPO lifts it.
    restricted: { type: Boolean, default: false },
  },
  { timestamps: true },
);
// One subscriber per address: sign-up, admin search and the mailbox poller look up by key.
subscriberSchema.index({ emailKey: 1 }, { unique: true });
// Suppression and erasure checks by keyed hash.
subscriberSchema.index({ emailHash: 1 });

export type SubscriberDoc = InferSchemaType<typeof subscriberSchema>;
export const subscriberModel = (conn: Connection) => conn.model('Subscriber', subscriberSchema, 'subscribers');
