// Every question asked of `inbound_messages`: one message by _id, its mailbox slot or dedupe key, a
// person's mail by the sender's keyed hash, the review queue by outcome, the figures by day. The
// reads of them all are retention's and erasure's (an $or or a date range) and the totals by kind.
import type { Types } from 'mongoose';
import type { INBOUND_OUTCOMES } from './inbound-message.model';
import { scans, uses } from './named-query';

type Id = Types.ObjectId | string;
type Outcome = (typeof INBOUND_OUTCOMES)[number];

// What the person's page shows of a message: neither the raw body nor the classification details.
const LISTED = { receivedAt: 1, from: 1, subject: 1, kind: 1, outcome: 1, note: 1, effects: 1, matchedBy: 1 } as const;

export const inboundMessageQueries = {
  /** Mailbox review: the message the DPO decides on. */
  byId: uses('_id_', (m, id: Id) => m.inboundMessages.findById(id)),
  /** Poller: a message another poller decided while this one waited for its classifier. */
  decisionOf: uses('_id_', (m, id: Id) => m.inboundMessages.findById(id, { outcome: 1, leftInInbox: 1 })),
  /** Poller: the record of a mailbox slot already seen. */
  inSlot: uses('mailbox_1_uidKey_1', (m, mailbox: string, uidKey: string) => m.inboundMessages.findOne({ mailbox, uidKey })),
  /** Poller: which of the slots waiting in the inbox were left there for a person. */
  leftInInboxAmong: uses('mailbox_1_uidKey_1', (m, mailbox: string, uidKeys: string[]) =>
    m.inboundMessages.find({ mailbox, uidKey: { $in: uidKeys }, leftInInbox: true }, { uidKey: 1 }),
  ),
  /** Poller: the record an insert collided with (the same message, or the same slot). */
  sameMessageOrSlot: scans('only after an insert hit a duplicate key (a message delivered again); an $or FerretDB does not push down', (m, dedupeKey: string, mailbox: string, uidKey: string) =>
    m.inboundMessages.findOne({ $or: [{ dedupeKey }, { mailbox, uidKey }] }),
  ),
  /** Access export: the person's own mail, whole, oldest first. */
  documentsFrom: uses('fromHash_1', (m, fromHash: string) => m.inboundMessages.find({ fromHash }).sort({ receivedAt: 1, _id: 1 })),
  /** Person page: the person's own mail. */
  listedFrom: uses('fromHash_1', (m, fromHash: string) => m.inboundMessages.find({ fromHash }, LISTED)),
  /** Person page: the messages the person's requests and suppressions name. */
  listedByIds: uses('_id_', (m, ids: Id[]) => m.inboundMessages.find({ _id: { $in: ids } }, LISTED)),
  /** Person page: the messages the person's consent events name, by Message-ID. */
  listedByDedupeKeys: uses('dedupeKey_1', (m, dedupeKeys: string[]) => m.inboundMessages.find({ dedupeKey: { $in: dedupeKeys } }, LISTED)),

  /** Mailbox figures: how many messages wait in review (or were kept in the inbox). */
  countWithOutcomes: uses('outcome_1_receivedAt_1', (m, outcomes: Outcome[]) => m.inboundMessages.countDocuments({ outcome: { $in: outcomes } })),
  countWithOutcome: uses('outcome_1_receivedAt_1', (m, outcome: Outcome) => m.inboundMessages.countDocuments({ outcome })),
  /** Mailbox figures: the oldest message recorded but never decided (a poller died in its effects). */
  oldestWithOutcome: uses('outcome_1_receivedAt_1', (m, outcome: Outcome) => m.inboundMessages.findOne({ outcome }, { receivedAt: 1 }).sort({ receivedAt: 1 })),
  /** Mailbox figures: the oldest message a person has yet to decide. */
  oldestWithOutcomes: uses('outcome_1_receivedAt_1', (m, outcomes: Outcome[]) =>
    m.inboundMessages.findOne({ outcome: { $in: outcomes } }, { receivedAt: 1 }).sort({ receivedAt: 1 }),
  ),
  /** Mailbox figures: every message ever received, counted by kind. */
  countsByKind: scans('the mailbox totals count every message by kind; no filter to search by', (m) =>
    m.inboundMessages.aggregate<{ _id: string | null; count: number }>([{ $group: { _id: '$kind', count: { $sum: 1 } } }]),
  ),
  /** Mailbox figures: the kinds of the messages of the last days. */
  kindsOnDays: uses('receivedDay_1', (m, days: string[]) => m.inboundMessages.find({ receivedDay: { $in: days } }, { receivedDay: 1, kind: 1 })),
  /** Mailbox review: one page of the queue, oldest first, without the raw bodies. */
  reviewPage: uses('outcome_1_receivedAt_1', (m, outcomes: Outcome[], limit: number, after?: Date) =>
    m.inboundMessages
      .find({ outcome: { $in: outcomes }, ...(after ? { receivedAt: { $gt: after } } : {}) }, { raw: 0 })
      .sort({ receivedAt: 1, _id: 1 })
      .limit(limit),
  ),

  /** Poller: the message was moved to its folder. */
  markMoved: uses('_id_', (m, id: Id, folder: string) => m.inboundMessages.updateOne({ _id: id }, { $set: { movedTo: folder } })),
  /** Poller: classification started (one that never finishes is not repeated). */
  markClassifying: uses('_id_', (m, id: Id, at: Date) => m.inboundMessages.updateOne({ _id: id }, { $set: { classifyStartedAt: at } })),
  /** Poller: the classification or the decision, unless another poller decided the message first. */
  recordUndecided: uses('_id_', (m, id: Id, set: object) => m.inboundMessages.updateOne({ _id: id, outcome: 'received' }, { $set: set })),
  /** Poller: a message that could not be read or recorded goes to review, recorded by its slot. */
  recordFailedSlot: uses('mailbox_1_uidKey_1', (m, mailbox: string, uidKey: string, update: Record<string, unknown>) =>
    m.inboundMessages.updateOne({ mailbox, uidKey }, update, { upsert: true }),
  ),
  /** Mailbox effects: one effect done, so a retry repeats none. */
  addEffect: uses('_id_', (m, id: Id, key: string) => m.inboundMessages.updateOne({ _id: id }, { $addToSet: { effects: key } })),
  /** Mailbox review: why a decision was not applied. */
  setNote: uses('_id_', (m, id: Id, note: string) => m.inboundMessages.updateOne({ _id: id }, { $set: { note } })),
  /** Mailbox review: the DPO's decision and its outcome. */
  recordDecision: uses('_id_', (m, id: Id, set: Record<string, unknown>) => m.inboundMessages.updateOne({ _id: id }, { $set: set })),

  /**
   * Erasure, retention of people gone: the person's mail (by sender hash) and bounces or complaints
   * that name them lose everything that identifies them; the classification outcome stays.
   */
  forgetPerson: scans('erasure and the nightly retention, one person at a time: an $or FerretDB does not push down (fromHash alone is indexed)', (m, fromHash: string, addresses: string[]) =>
    m.inboundMessages.updateMany(
      { $or: [{ fromHash }, ...(addresses.length ? [{ from: { $in: addresses } }, { 'classification.recipient': { $in: addresses } }] : [])] },
      { $unset: { raw: 1, from: 1, subject: 1, 'classification.from': 1, 'classification.subject': 1, 'classification.recipient': 1 } },
    ),
  ),
  /** Retention: raw bodies older than the period go. */
  removeRawBefore: scans('nightly retention sweep over a date range, which FerretDB does not push down', (m, cutoff: Date) =>
    m.inboundMessages.updateMany({ receivedAt: { $lt: cutoff }, raw: { $exists: true } }, { $unset: { raw: 1 } }),
  ),
  /** Retention: older messages keep what the figures need and lose who wrote and what about. */
  removeFieldsBefore: scans('nightly retention sweep over a date range, which FerretDB does not push down', (m, cutoff: Date, fields: string[]) =>
    m.inboundMessages.updateMany(
      { receivedAt: { $lt: cutoff }, $or: fields.map((field) => ({ [field]: { $exists: true } })) },
      { $unset: Object.fromEntries(fields.map((field) => [field, 1])) },
    ),
  ),
};
