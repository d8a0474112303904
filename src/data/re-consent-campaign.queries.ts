// Every question asked of `re_consent_campaigns`: one by _id, the deadline sweep by `{status, deadline}`.
import type { Types } from 'mongoose';
import { scans, uses } from './named-query';

type Id = Types.ObjectId | string;

export const reConsentCampaignQueries = {
  /** The re-consent page and its link, the fan-out, each batch of mails, the lapse. */
  byId: uses('_id_', (m, id: Id) => m.reConsentCampaigns.findById(id)),
  /** The fan-out's checkpoint and end, the close. */
  update: uses('_id_', (m, id: Id, update: Record<string, unknown>) => m.reConsentCampaigns.updateOne({ _id: id }, update)),
  /** The DPO sends the single reminder: once. */
  markReminded: uses('_id_', (m, id: Id, at: Date) => m.reConsentCampaigns.updateOne({ _id: id, reminderAt: { $exists: false } }, { $set: { reminderAt: at } })),
  /** The deadline sweep: open campaigns whose deadline has passed. */
  duePast: uses('status_1_deadline_1', (m, now: Date) => m.reConsentCampaigns.find({ status: 'open', deadline: { $lte: now } }, { _id: 1 })),
  /** The re-consent page: every campaign, newest policy first. */
  all: scans('one campaign per material policy change: a handful of documents', (m) => m.reConsentCampaigns.find({}).sort({ policyVersion: -1 })),
};
