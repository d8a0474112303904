// Every question asked of `campaign_tallies`: a running campaign's tallies, by its index.
import type { Types } from 'mongoose';
import { uses } from './named-query';

export const campaignTallyQueries = {
  /** Campaign page, report and complaint guard while it sends: every tally of the campaign. */
  ofCampaign: uses('campaignId_1', (m, campaignId: Types.ObjectId) => m.campaignTallies.find({ campaignId }, { _id: 0, sent: 1, failed: 1, ambiguous: 1, skipped: 1 })),
};
