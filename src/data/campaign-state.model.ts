// One per status change of a campaign, keyed "<campaignId>:<version>": inserting it is the change's
// claim (a unique _id, atomic on MongoDB and FerretDB alike), and it stays as the record of what the
// campaign's status is from that version on. FerretDB v1 rewrites a whole document on any update,
// so a concurrent update of another field (a fan-out checkpoint, a bounce counter) can put an old
// status back on the campaign; this record is what puts the right one back (campaign-state.ts).
// Found by _id, the one lookup FerretDB's SQLite backend does without reading everything, except
// when a draft is deleted (campaignId index below).
import { Schema, Types, type Connection, type InferSchemaType } from 'mongoose';

const campaignStateSchema = new Schema(
  {
    _id: { type: String, required: true },
    campaignId: { type: Types.ObjectId, required: true },
    version: { type: Number, required: true },
    from: { type: String, required: true },
    // The fields the change sets on the campaign (status and its dates).
    set: { type: Schema.Types.Mixed, required: true },
    at: { type: Date, required: true },
  },
  { versionKey: false, minimize: false },
);

// Deleting a draft removes its records (campaignStateQueries.removeOfCampaign); without it, a scan of
// every campaign's records while the console waits.
campaignStateSchema.index({ campaignId: 1 });

export type CampaignStateDoc = InferSchemaType<typeof campaignStateSchema>;
export const campaignStateModel = (conn: Connection) => conn.model('CampaignState', campaignStateSchema, 'campaign_states');
