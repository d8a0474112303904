import { Schema, Types, type Connection, type InferSchemaType } from 'mongoose';

// One per finished send batch, keyed by the batch's job id, so a re-run batch cannot count twice.
// A campaign is sent when it has as many as its fan-out enqueued. They have a collection of their
// own because counting them among all claims (cooldowns, withdrawals, …) read every claim on
// FerretDB after every batch. No personal data: kept as long as the campaign.
const finishedBatchSchema = new Schema(
  {
    _id: { type: String, required: true },
    campaignId: { type: Types.ObjectId, required: true },
    at: { type: Date, required: true },
    // How many recipients the batch handled: the campaign report's sending rate over recent batches.
    recipients: { type: Number },
  },
  { versionKey: false },
);
// "How many batches of this campaign have finished", after every batch; the report's recent batches.
finishedBatchSchema.index({ campaignId: 1 });

export type FinishedBatchDoc = InferSchemaType<typeof finishedBatchSchema>;
export const finishedBatchModel = (conn: Connection) => conn.model('FinishedBatch', finishedBatchSchema, 'finished_batches');
