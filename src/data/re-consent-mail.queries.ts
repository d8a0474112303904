// Every question asked of `re_consent_mails` (one claim per campaign, kind and person): a campaign's by
// its unique `{campaignId, kind, subscriberId}`, a person's by `subscriberId`, a claim by _id.
import type { Types } from 'mongoose';
import { uses } from './named-query';
import type { ReConsentMailKind } from './re-consent-mail.model';

type Id = Types.ObjectId | string;

export const reConsentMailQueries = {
  /** A temporary SMTP failure gives the claim back, so the retry mails that person. */
  release: uses('_id_', (m, id: Id) => m.reConsentMails.deleteOne({ _id: id })),
  /** The lapse: the people the campaign invited, in order. */
  invitedBy: uses('campaignId_1_kind_1_subscriberId_1', (m, campaignId: Id) =>
    m.reConsentMails.find({ campaignId, kind: 'invitation' }, { subscriberId: 1 }).sort({ subscriberId: 1 }),
  ),
  /** The re-consent page: how many were invited, or reminded. */
  countOf: uses('campaignId_1_kind_1_subscriberId_1', (m, campaignId: Id, kind: ReConsentMailKind) => m.reConsentMails.countDocuments({ campaignId, kind })),
  /** Erasure: the person's claims go. */
  removeAllOf: uses('subscriberId_1', (m, subscriberId: Id) => m.reConsentMails.deleteMany({ subscriberId })),
};
