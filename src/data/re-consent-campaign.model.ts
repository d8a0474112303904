// A re-consent campaign: after a material policy change, everyone whose active consent names an
// older version is asked to consent under the new one by a deadline; who does not, lapses.
import { Schema, Types, type Connection, type InferSchemaType } from 'mongoose';

export const RE_CONSENT_STATES = ['sending', 'open', 'closed'] as const;
export type ReConsentState = (typeof RE_CONSENT_STATES)[number];

const reConsentCampaignSchema = new Schema(
  {
    policyVersion: { type: Number, required: true },
    // sending: the invitations are being fanned out; open: waiting for answers; closed: the deadline
    // passed and whoever had not confirmed lapsed.
    status: { type: String, enum: RE_CONSENT_STATES, required: true },
    deadline: { type: Date, required: true },
    author: { type: String, required: true },
    startedAt: { type: Date, required: true },
    // Frozen audience: subscriptions up to this _id; fan-out pages by _id and keeps a checkpoint.
    audienceMaxId: { type: Types.ObjectId, required: true },
    checkpointId: { type: Types.ObjectId },
    fanoutDone: { type: Boolean, default: false },
    // The single reminder: when the DPO sent it, and its own fan-out checkpoint.
    reminderAt: { type: Date },
    reminderCheckpointId: { type: Types.ObjectId },
    reminderDone: { type: Boolean, default: false },
    closedAt: { type: Date },
  },
  { timestamps: true },
);
// One campaign per policy version: starting it twice is refused by this index, on every backend.
reConsentCampaignSchema.index({ policyVersion: 1 }, { unique: true });
// The deadline sweep: open campaigns whose deadline has passed.
reConsentCampaignSchema.index({ status: 1, deadline: 1 });

export type ReConsentCampaignDoc = InferSchemaType<typeof reConsentCampaignSchema> & { _id: Types.ObjectId };
export const reConsentCampaignModel = (conn: Connection) => conn.model('ReConsentCampaign', reConsentCampaignSchema, 're_consent_campaigns');
