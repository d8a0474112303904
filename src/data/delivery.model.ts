import { Schema, Types, type Connection, type InferSchemaType } from 'mongoose';

export const DELIVERY_STATES = ['claimed', 'sent', 'skipped', 'failed', 'ambiguous'] as const;
export type DeliveryState = (typeof DELIVERY_STATES)[number];

const deliverySchema = new Schema(
  {
    campaignId: { type: Types.ObjectId, required: true },
    subscriberId: { type: Types.ObjectId, required: true },
    status: { type: String, enum: DELIVERY_STATES, required: true },
    // Which worker claimed it, so a crashed claim can be told from a live one.
    claimedBy: { type: String },
    messageId: { type: String },
    reason: { type: String },
    smtpResponse: { type: String },
    at: { type: Date, required: true },
    // Set when retention replaced the details with counts (after 24 months).
    pseudonymised: { type: Boolean },
  },
  { versionKey: false },
);
// The exactly-once guarantee: inserting the claim is the atomic step on MongoDB and FerretDB alike.
deliverySchema.index({ campaignId: 1, subscriberId: 1 }, { unique: true });
// A person's deliveries for the access export and erasure.
deliverySchema.index({ subscriberId: 1 });

export type DeliveryDoc = InferSchemaType<typeof deliverySchema>;
export const deliveryModel = (conn: Connection) => conn.model('Delivery', deliverySchema, 'deliveries');
