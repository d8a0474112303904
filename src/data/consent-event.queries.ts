// Every question asked of `consent_events` (the ledger): a person's chain by the address's keyed hash,
// a subscriber's history by `{subscriberId, at}`, a campaign's by `{campaignId, type}`, the dashboard's
// by `{day, type}`, the sweeps' by `{type, at}`. The chain is read as stored (the driver's collection,
// no casting), since its links are hashed from the raw documents.
import type { Collection } from 'mongodb';
import type { Types } from 'mongoose';
import type { ConsentChannel, ConsentEventType } from './consent-event.model';
import type { Models } from './models';
import { scans, uses } from './named-query';

type Id = Types.ObjectId | string;

const raw = (m: Models) => m.consentEvents.collection as unknown as Collection;

/** What a confirmation repeats of the request it confirms. */
const PROOF = { list: 1, channel: 1, policyVersion: 1, consentText: 1, consentTextHash: 1 } as const;

export const consentEventQueries = {
  /** A state change that lost its race: the event that won it. */
  byId: uses('_id_', (m, id: Id) => m.consentEvents.findById(id)),
  /** Appending to a chain: is this event already recorded. */
  countById: uses('_id_', (m, id: Id) => m.consentEvents.countDocuments({ _id: id }, { limit: 1 })),
  /** Reconciliation: the events of these transitions, whole. */
  amongIds: uses('_id_', (m, ids: Id[]) => m.consentEvents.find({ _id: { $in: ids } })),
  /** Import, reconciliation: which of these transitions have their event. */
  presentAmong: uses('_id_', (m, ids: Id[]) => m.consentEvents.find({ _id: { $in: ids } }, { _id: 1 })),
  /** Ledger migration: an event joins its chain, unless another run linked it first. */
  setLink: uses('_id_', (m, id: Id, link: Record<string, unknown>) => m.consentEvents.updateOne({ _id: id, seq: { $exists: false } }, { $set: link })),

  /** Consent history page, access export: the subscriber's events in order. */
  ofSubscriber: uses('subscriberId_1_at_1', (m, subscriberId: Id) => m.consentEvents.find({ subscriberId }).sort({ at: 1, _id: 1 })),
  /** Ledger page after the subscriber is gone: the address's hash, from any of their events. */
  hashOfSubscriber: uses('subscriberId_1_at_1', (m, subscriberId: Id) => m.consentEvents.findOne({ subscriberId }, { emailHash: 1 })),
  /** Resend of a confirmation link: what the person was told when they asked. */
  proofOfRequest: uses('subscriberId_1_at_1', (m, subscriberId: Id, ref: string) => m.consentEvents.findOne({ subscriberId, requestRef: ref, type: 'requested' }, PROOF)),
  /** Confirm: the policy version and text each list was requested under. */
  proofsOfRequest: uses('subscriberId_1_at_1', (m, subscriberId: Id, ref: string) => m.consentEvents.find({ subscriberId, requestRef: ref, type: 'requested' }, PROOF)),

  /** Access export, the DPO's view: the person's events in order, by the address's hash. */
  ofAddress: uses('emailHash_1', (m, emailHash: string) => m.consentEvents.find({ emailHash }).sort({ at: 1, _id: 1 })),
  /** Access export, verifying one person: their chain as stored. */
  rawOfAddress: uses('emailHash_1', (m, emailHash: string) => raw(m).find({ emailHash })),
  /** Appending to many chains at once (an import, a group of one-click unsubscribes): their links, to find each head. */
  linksOf: uses('emailHash_1', (m, emailHashes: string[]) => raw(m).find({ emailHash: { $in: emailHashes } }, { projection: { emailHash: 1, seq: 1, hash: 1 } })),
  /** Appending to a chain: its head. */
  headOf: uses('emailHash_1', (m, emailHash: string) => raw(m).find({ emailHash }, { projection: { seq: 1, hash: 1 } }).sort({ seq: -1 }).limit(1)),
  /** Ledger migration: the events of these people not yet in their chain, as stored. */
  unchainedOf: uses('emailHash_1', (m, emailHashes: string[]) => raw(m).find({ emailHash: { $in: emailHashes }, seq: { $exists: false } })),
  /** Erasure, retention: the person's events keep only what the chain needs. */
  anonymise: uses('emailHash_1', (m, emailHash: string, update: Record<string, unknown>) => m.consentEvents.updateMany({ emailHash }, update)),

  /** Campaign report: who left through the campaign's mail. */
  withdrawalsFromCampaign: uses('campaignId_1_type_1', (m, campaignId: Id) =>
    m.consentEvents.find({ campaignId, type: 'withdrawn' }, { _id: 0, emailHash: 1, channel: 1, list: 1, effectDelayMs: 1 }),
  ),
  /** Re-consent page: how many people an event of the campaign names. */
  peopleOfCampaign: uses('campaignId_1_type_1', (m, campaignId: Id, type: ConsentEventType, channel?: ConsentChannel) =>
    m.consentEvents.aggregate<{ n: number }>([
      { $match: { campaignId, type, ...(channel ? { channel } : {}) } },
      { $group: { _id: '$subscriberId' } },
      { $group: { _id: null, n: { $sum: 1 } } },
    ]),
  ),
  /** Dashboard: sign-ups, confirmations and unsubscribes of the last days. */
  ofDays: uses('day_1_type_1', (m, days: string[], types: ConsentEventType[]) => m.consentEvents.find({ day: { $in: days }, type: { $in: types } }, { _id: 0, day: 1, type: 1 })),

  /** Health page: the week's withdrawals and how long each took to take effect. */
  withdrawalsBetween: uses('type_1_at_1', (m, from: Date, to: Date) =>
    m.consentEvents.find({ type: 'withdrawn', at: { $gte: from, $lte: to } }, { channel: 1, at: 1, effectDelayMs: 1, _id: 0 }),
  ),
  /** Consent coverage: every transition up to now, in order. */
  transitionsUpTo: uses('type_1_at_1', (m, types: readonly ConsentEventType[], until: Date) =>
    m.consentEvents.find({ type: { $in: [...types] }, at: { $lte: until } }, { emailHash: 1, list: 1, type: 1, policyVersion: 1, at: 1 }).sort({ at: 1, _id: 1 }),
  ),
  /** Reconciliation: every withdrawal, confirmation and erasure, in order. */
  withdrawalsAndConfirmations: uses('type_1_at_1', (m) =>
    m.consentEvents.find({ type: { $in: ['withdrawn', 'confirmed', 'erased'] } }, { emailHash: 1, list: 1, type: 1, at: 1, subscriberId: 1, requestRef: 1 }).sort({ at: 1 }),
  ),
  /** Reconciliation: every restriction and its lifting, in order. */
  restrictionChanges: uses('type_1_at_1', (m) =>
    m.consentEvents.find({ type: { $in: ['restricted', 'restriction-lifted'] }, subscriberId: { $exists: true } }, { subscriberId: 1, type: 1, at: 1 }).sort({ at: 1 }),
  ),

  /** Verifying every chain (the daily anchor): one pass over the ledger, as stored. */
  everyRaw: scans('the daily anchor verifies every chain: one unsorted pass is the fast shape', (m) => raw(m).find({}, { batchSize: 2000 })),
  /** Ledger migration: the people with events not yet chained. */
  unchainedAddresses: scans('a one-off migration run from the command line', (m) => m.consentEvents.distinct('emailHash', { seq: { $exists: false } })),
};
