import { Schema, Types, type Connection, type InferSchemaType } from 'mongoose';

// lapsed: the person did not renew consent by the deadline of a re-consent campaign (a material
// policy change); not active for anything, kept as evidence, left by a fresh double opt-in.
export const SUBSCRIPTION_STATES = ['pending', 'active', 'unsubscribed', 'lapsed'] as const;
export type SubscriptionState = (typeof SUBSCRIPTION_STATES)[number];

// One document per (subscriber, list), top-level fields only, so the fan-out query
// `{list, status: 'active', _id > checkpoint}` stays a simple indexed scan on every backend.
const subscriptionSchema = new Schema(
  {
    subscriberId: { type: Types.ObjectId, required: true },
    list: { type: String, required: true },
    status: { type: String, enum: SUBSCRIPTION_STATES, required: true },
    // Nonce of the newest pending sign-up; a confirm token must carry it (a newer request voids older links).
    pendingRef: { type: String },
    requestedAt: { type: Date },
    confirmedAt: { type: Date },
    unsubscribedAt: { type: Date },
    lapsedAt: { type: Date },
    policyVersion: { type: Number },
    // Transitions so far: the next one is decided by inserting the consent event keyed by this
    // number (src/domain/consent/subscription-state.ts). Absent on subscriptions older than the field: 0.
    version: { type: Number },
  },
  { timestamps: true },
);
// At most one subscription per list per person; also serves "this person's lists".
subscriptionSchema.index({ subscriberId: 1, list: 1 }, { unique: true });
// Fan-out: active subscribers of a list paged by _id.
subscriptionSchema.index({ list: 1, status: 1, _id: 1 });

export type SubscriptionDoc = InferSchemaType<typeof subscriptionSchema>;
export const subscriptionModel = (conn: Connection) => conn.model('Subscription', subscriptionSchema, 'subscriptions');
