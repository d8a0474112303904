// Every question asked of `campaign_feedback`: a campaign's, by its campaignId index.
import type { Types } from 'mongoose';
import { uses } from './named-query';

export const campaignFeedbackQueries = {
  /** Campaign report: the bounces and complaints a campaign drew. */
  kindsOfCampaign: uses('campaignId_1', (m, campaignId: Types.ObjectId | string) => m.campaignFeedback.find({ campaignId }, { _id: 0, kind: 1 })),
};
