// Every question asked of `deliveries` (the claims): a campaign's by the unique
// {campaignId, subscriberId} index, a person's by subscriberId, released ones by _id.
import type { Types } from 'mongoose';
import { uses } from './named-query';

type Id = Types.ObjectId | string;

export const deliveryQueries = {
  /** Watchdog: who of the frozen audience already holds a claim for this campaign. */
  recipientsOfCampaign: uses('campaignId_1_subscriberId_1', (m, campaignId: Id) => m.deliveries.find({ campaignId }, { subscriberId: 1 })),
  /** Campaign figures: how many claims a campaign has (those without an outcome are in flight or ambiguous). */
  countOfCampaign: uses('campaignId_1_subscriberId_1', (m, campaignId: Id) => m.deliveries.countDocuments({ campaignId })),
  /** Mailbox: a bounce names this campaign and person; did we mail them. SQLite searches the person's claims. */
  isClaimed: uses('subscriberId_1', (m, campaignId: Id, subscriberId: Id) => m.deliveries.exists({ campaignId, subscriberId })),
  /** Mailbox: a bounce without our token; did we mail this person lately. */
  recentTo: uses('subscriberId_1', (m, subscriberId: Id, since: Date) => m.deliveries.exists({ subscriberId, at: { $gte: since } })),
  /** Access export: the campaigns that claimed the person, and when. */
  ofSubscriber: uses('subscriberId_1', (m, subscriberId: Id) => m.deliveries.find({ subscriberId }, { campaignId: 1, at: 1 })),
  /** Erasure: every claim of the person. */
  removeOfSubscriber: uses('subscriberId_1', (m, subscriberId: Id) => m.deliveries.deleteMany({ subscriberId })),
  /** Send batch: claims of temporary failures are released, so the retry claims them again. */
  release: uses('_id_', (m, ids: Types.ObjectId[]) => m.deliveries.deleteMany({ _id: { $in: ids } })),
};
