// Every question asked of `delivery_outcomes`: a campaign's by the unique {campaignId, subscriberId}
// index, a person's by subscriberId; retention's age sweep is the one read of them all.
import type { Types } from 'mongoose';
import { scans, uses } from './named-query';

type Id = Types.ObjectId | string;

export const deliveryOutcomeQueries = {
  /** Campaign figures (console, report): a campaign's outcomes counted by status and reason. */
  countsOfCampaign: uses('campaignId_1_subscriberId_1', (m, campaignId: Types.ObjectId) =>
    m.deliveryOutcomes.aggregate<{ _id: { status: string; reason?: string }; n: number }>([
      { $match: { campaignId } },
      { $group: { _id: { status: '$status', reason: '$reason' }, n: { $sum: 1 } } },
    ]),
  ),
  /** Access export: what became of each mail to the person. */
  ofSubscriber: uses('subscriberId_1', (m, subscriberId: Id) => m.deliveryOutcomes.find({ subscriberId }, { campaignId: 1, status: 1, reason: 1, at: 1 })),
  /** Erasure: every outcome of the person. */
  removeOfSubscriber: uses('subscriberId_1', (m, subscriberId: Id) => m.deliveryOutcomes.deleteMany({ subscriberId })),
  /** Retention: outcomes older than the period lose their SMTP details. */
  pseudonymiseOlderThan: scans('nightly retention sweep over a date range, which FerretDB does not push down', (m, cutoff: Date) =>
    m.deliveryOutcomes.updateMany({ at: { $lt: cutoff }, pseudonymised: { $ne: true } }, { $unset: { smtpResponse: 1, messageId: 1 }, $set: { pseudonymised: true } }),
  ),
};
