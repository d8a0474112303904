// Every question asked of `data_subject_requests`: one by _id, a person's by the address's keyed
// hash, the DPO's queue by `{status, dueAt}` (status first: the embedded FerretDB pushes down its
// equality or `$in`; the dates narrow in memory).
import type { Types } from 'mongoose';
import type { RequestState } from './data-subject-request.model';
import { scans, uses } from './named-query';

type Id = Types.ObjectId | string;
type Due = { $gte?: Date; $lt?: Date };

export const dataSubjectRequestQueries = {
  /** A request's page, every step of its handling. */
  byId: uses('_id_', (m, id: Id) => m.requests.findById(id)),
  /** Every step of a request's handling: its change, with the action that made it. */
  update: uses('_id_', (m, id: Id, update: Record<string, unknown>) => m.requests.updateOne({ _id: id }, update)),
  /** Reconciliation: a verification claimed, then interrupted, is recorded (if still waiting). */
  updateIfAwaitingVerification: uses('_id_', (m, id: Id, update: Record<string, unknown>) => m.requests.updateOne({ _id: id, status: 'awaiting-verification' }, update)),
  /** Erasure: the other requests of the person forget whom they were about. */
  forgetSubscriberOf: uses('_id_', (m, ids: Id[]) => m.requests.updateMany({ _id: { $in: ids } }, { $unset: { subscriberId: 1 } })),

  /** The person page: their requests, newest first. */
  ofAddress: uses('emailHash_1', (m, emailHash: string) => m.requests.find({ emailHash }).sort({ receivedAt: -1, _id: -1 })),
  /** Access export: their requests, whole, oldest first. */
  documentsOfAddress: uses('emailHash_1', (m, emailHash: string) => m.requests.find({ emailHash }).sort({ receivedAt: 1, _id: 1 })),
  /** Erasure: what each of the person's requests keeps. */
  actionsOfAddress: uses('emailHash_1', (m, emailHash: string) => m.requests.find({ emailHash }, { actions: 1, type: 1, status: 1 })),
  /** Retention: a person with a request still open is kept. */
  hasOpenOfAddress: uses('emailHash_1', (m, emailHash: string) => m.requests.exists({ emailHash, status: { $nin: ['done', 'rejected'] } })),

  /** A mailed request: was it registered already (a crash right after registering). */
  fromMessage: uses('inboundMessageId_1', (m, inboundMessageId: string) => m.requests.exists({ inboundMessageId })),

  /** The requests desk: open requests by due date (overdue only, if a moment is given). */
  openByDue: uses('status_1_dueAt_1', (m, states: RequestState[], overdueAt: Date | undefined, limit: number) =>
    m.requests
      .find({ status: { $in: states }, ...(overdueAt ? { dueAt: { $lt: overdueAt } } : {}) })
      .sort({ dueAt: 1, _id: 1 })
      .limit(limit),
  ),
  /** The requests desk: closed requests, newest first. */
  closedNewestFirst: uses('status_1_dueAt_1', (m, states: RequestState[], limit: number) => m.requests.find({ status: { $in: states } }).sort({ closedAt: -1, _id: -1 }).limit(limit)),
  /** Dashboard: how many requests in a state (or states), due in a window if given. */
  countIn: uses('status_1_dueAt_1', (m, status: RequestState | RequestState[], dueAt?: Due) =>
    m.requests.countDocuments({ status: Array.isArray(status) ? { $in: status } : status, ...(dueAt ? { dueAt } : {}) }),
  ),
  /** Dashboard: the open request due first. */
  nearestDue: uses('status_1_dueAt_1', (m, states: RequestState[]) => m.requests.findOne({ status: { $in: states } }, { number: 1, dueAt: 1 }).sort({ dueAt: 1, _id: 1 })),
  /** Reconciliation: requests waiting for their verification. */
  awaitingVerification: uses('status_1_dueAt_1', (m) => m.requests.find({ status: 'awaiting-verification' }, { _id: 1 })),
  /** Retention: closed requests past the period go. */
  removeClosedBefore: uses('status_1_dueAt_1', (m, states: RequestState[], cutoff: Date) => m.requests.deleteMany({ status: { $in: states }, closedAt: { $lt: cutoff } })),

  /** Registering a request: how many numbers this year has used (the unique index settles a race). */
  numberedInYear: scans('a prefix of the request number is a regex the embedded FerretDB does not push down; a few hundred requests a year', (m, prefix: string) =>
    m.requests.countDocuments({ number: { $regex: `^${prefix}` } }),
  ),
};
