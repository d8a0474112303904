// Every question asked of `campaign_states`: a status change's record by its _id
// ("<campaignId>:<version>"), and a deleted draft's records by campaign.
import type { Types } from 'mongoose';
import { uses } from './named-query';

export const campaignStateQueries = {
  /** Status changes, watchdog: the change recorded for one version of a campaign, if any. */
  byId: uses('_id_', (m, id: string) => m.campaignStates.findById(id)),
  /** Deleting a draft: the records of its status changes go with it. */
  removeOfCampaign: uses('campaignId_1', (m, campaignId: Types.ObjectId) => m.campaignStates.deleteMany({ campaignId })),
};
