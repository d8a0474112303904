import { Schema, Types, type Connection, type InferSchemaType } from 'mongoose';

export const FEEDBACK_KINDS = ['hard-bounce', 'soft-bounce', 'complaint'] as const;
export type FeedbackKind = (typeof FEEDBACK_KINDS)[number];

// What came back from a campaign's mail (bounces and complaints the mailbox poller proved to be
// ours), for the campaign report. Insert-only, one per (campaign, kind, address): the _id is a
// digest of the three, so a report re-read or a second poller counts an address once, and no
// address or hash of one is kept here. Not a counter on the campaign document: FerretDB rewrites
// the whole document on update, so counters there race with status changes.
const campaignFeedbackSchema = new Schema(
  {
    _id: { type: String, required: true },
    campaignId: { type: Types.ObjectId, required: true },
    kind: { type: String, enum: FEEDBACK_KINDS, required: true },
    at: { type: Date, required: true },
  },
  { versionKey: false },
);
// Campaign report: the feedback of one campaign (GET /admin/campaigns/:id/report).
campaignFeedbackSchema.index({ campaignId: 1 });

export type CampaignFeedbackDoc = InferSchemaType<typeof campaignFeedbackSchema>;
export const campaignFeedbackModel = (conn: Connection) => conn.model('CampaignFeedback', campaignFeedbackSchema, 'campaign_feedback');
