// What one insert of delivery outcomes created: written by the send run right after its outcomes
// (send-batch.ts), counting only those the insert created, not those lost to an existing outcome,
// so a re-run batch counts nothing twice. A campaign's live figures are the sum of its tallies: a
// few hundred small documents for 100,000 recipients, instead of every outcome and claim on every
// read. Insert-only, like the outcomes: FerretDB v1 updates are slow and not isolated (no $inc).
// A run that dies between its outcomes and its tally leaves them uncounted until the campaign ends;
// then its figures are counted once from the outcomes and claims (campaign-progress.ts).
import { Schema, Types, type Connection, type InferSchemaType } from 'mongoose';

const campaignTallySchema = new Schema(
  {
    // _id: a new ObjectId per insert, so a tally never collides with another.
    campaignId: { type: Types.ObjectId, required: true },
    // The batch's job id: which batch the outcomes belong to.
    batch: { type: String, required: true },
    sent: { type: Number, default: 0 },
    failed: { type: Number, default: 0 },
    ambiguous: { type: Number, default: 0 },
    // Skips by reason (not-active, suppressed, restricted, unknown).
    skipped: { type: Schema.Types.Mixed, default: {} },
    at: { type: Date, required: true },
  },
  { versionKey: false, minimize: false },
);
// A campaign's live figures: campaignStats() sums the tallies of { campaignId }.
campaignTallySchema.index({ campaignId: 1 });

export type CampaignTallyDoc = InferSchemaType<typeof campaignTallySchema>;
export const campaignTallyModel = (conn: Connection) => conn.model('CampaignTally', campaignTallySchema, 'campaign_tallies');
