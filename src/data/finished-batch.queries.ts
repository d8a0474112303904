// Every question asked of `finished_batches`: a campaign's, by its campaignId index.
import type { Types } from 'mongoose';
import { uses } from './named-query';

type Id = Types.ObjectId | string;

export const finishedBatchQueries = {
  /** After every batch: how many of the campaign's batches have finished. */
  countOfCampaign: uses('campaignId_1', (m, campaignId: Id) => m.finishedBatches.countDocuments({ campaignId })),
  /** Campaign report: when each batch finished and how many it handled (the sending rate). */
  ofCampaign: uses('campaignId_1', (m, campaignId: Id) => m.finishedBatches.find({ campaignId }, { _id: 0, at: 1, recipients: 1 })),
};
