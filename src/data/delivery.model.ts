// A delivery claim: one per (campaign, subscriber), inserted by the send run that is about to mail
// (or skip) the person, before any SMTP. The unique index makes the insert the atomic exactly-once
// step on MongoDB and FerretDB alike; only the run whose insert succeeded sends. A claim is never
// updated: what became of it is in delivery-outcome.model.ts. It is deleted only after a temporary
// SMTP failure (so the retry can claim it again) and by erasure.
import { Schema, Types, type Connection, type InferSchemaType } from 'mongoose';

const deliverySchema = new Schema(
  {
    campaignId: { type: Types.ObjectId, required: true },
    subscriberId: { type: Types.ObjectId, required: true },
    // The run (BullMQ lock token) that claimed it: tells whose claim an unresolved one was.
    claimedBy: { type: String },
    at: { type: Date, required: true },
  },
  { versionKey: false },
);
// The exactly-once guarantee: inserting the claim is the atomic step on MongoDB and FerretDB alike.
deliverySchema.index({ campaignId: 1, subscriberId: 1 }, { unique: true });
// A person's claims for the access export and erasure.
deliverySchema.index({ subscriberId: 1 });

export type DeliveryDoc = InferSchemaType<typeof deliverySchema>;
export const deliveryModel = (conn: Connection) => conn.model('Delivery', deliverySchema, 'deliveries');
