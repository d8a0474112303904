// Every question asked of `subscriptions`: a person's own by `subscriberId` (first field of the unique
// `{subscriberId, list}`), a list's by `list` (first field of `{list, status, _id}`), one by _id.
// Nightly sweeps and the console's totals over every list read the whole collection.
import type { Types } from 'mongoose';
import { scans, uses } from './named-query';
import type { SubscriptionState } from './subscription.model';

type Id = Types.ObjectId | string;

/** The state machine's view of a subscription (src/domain/consent/subscription-state.ts). */
export const SNAPSHOT = { subscriberId: 1, list: 1, status: 1, version: 1, pendingRef: 1 } as const;

/** Active consent that names a policy version older than `version` (or none: it predates versions). */
const olderThan = (version: number) => ({ status: 'active' as const, $or: [{ policyVersion: { $lt: version } }, { policyVersion: null }] });

export const subscriptionQueries = {
  /** One-click, unsubscribe link, every state change: one subscription as the state machine sees it. */
  snapshot: uses('_id_', (m, id: Id) => m.subscriptions.findById(id, SNAPSHOT)),
  /** A state change waiting for a concurrent writer: how far the subscription has moved. */
  versionOf: uses('_id_', (m, id: Id) => m.subscriptions.findById(id, { version: 1 })),
  /** A state change: the state its event describes, as the next version (guarded: only from `from`). */
  moveTo: uses('_id_', (m, id: Types.ObjectId, update: Record<string, unknown>, guard?: { from: number }) =>
    m.subscriptions.updateOne(
      guard ? { _id: id, $or: [{ version: guard.from }, ...(guard.from === 0 ? [{ version: { $exists: false } }] : [])] } : { _id: id },
      update,
    ),
  ),
  /** One-click unsubscribes committed in a group: the subscriptions their links name. */
  snapshotsAmong: uses('_id_', (m, ids: Id[]) => m.subscriptions.find({ _id: { $in: ids } }, SNAPSHOT)),
  /** A group of one-click unsubscribes: the state their events describe, as the next version, for each. */
  moveManyTo: uses('_id_', (m, ids: Types.ObjectId[], update: Record<string, unknown>) => m.subscriptions.updateMany({ _id: { $in: ids } }, update)),
  /** Retention: a sign-up never confirmed goes, unless confirmed meanwhile. */
  removePending: uses('_id_', (m, id: Id) => m.subscriptions.deleteOne({ _id: id, status: 'pending' })),
  /** Send batch: where each recipient's subscription stands (a thousand ids at a time). */
  statesAmong: uses('_id_', (m, ids: Id[]) => m.subscriptions.find({ _id: { $in: ids } }, { subscriberId: 1, list: 1, status: 1, confirmedAt: 1 })),

  /** Sign-up, resend, markPending: the person's subscription to one list. */
  ofSubscriberOnList: uses('subscriberId_1_list_1', (m, subscriberId: Id, list: string) => m.subscriptions.findOne({ subscriberId, list }, SNAPSHOT)),
  /** Sign-up: which of these lists the person is already active on. */
  activeAmongLists: uses('subscriberId_1_list_1', (m, subscriberId: Id, lists: string[]) =>
    m.subscriptions.find({ subscriberId, list: { $in: lists }, status: 'active' }, { list: 1 }),
  ),
  /** Resend, a corrected sign-up: the reference of the person's newest pending request. */
  newestPendingRef: uses('subscriberId_1_list_1', (m, subscriberId: Id) =>
    m.subscriptions.findOne({ subscriberId, status: 'pending', pendingRef: { $exists: true } }, { pendingRef: 1 }).sort({ requestedAt: -1 }),
  ),
  /** Confirm page and click, resend, the confirmation mail: the subscriptions one request left pending. */
  pendingOfRequest: uses('subscriberId_1_list_1', (m, subscriberId: Id, ref: string) =>
    m.subscriptions.find({ subscriberId, pendingRef: ref, status: 'pending' }, { ...SNAPSHOT, policyVersion: 1, requestedAt: 1 }),
  ),
  /** Unsubscribe: the person's open subscriptions, on the lists asked for or all. */
  openOf: uses('subscriberId_1_list_1', (m, subscriberId: Id, lists: string[] | 'all') =>
    m.subscriptions.find({ subscriberId, status: { $in: ['pending', 'active'] }, ...(lists === 'all' ? {} : { list: { $in: lists } }) }, SNAPSHOT).sort({ list: 1 }),
  ),
  /** Unsubscribe page: the person's lists and their states. */
  choicesOf: uses('subscriberId_1_list_1', (m, subscriberId: Id) => m.subscriptions.find({ subscriberId }, { list: 1, status: 1 }).sort({ list: 1 })),
  /** Restriction, suppression, retention: the person's lists, their states and when they left. */
  statesOf: uses('subscriberId_1_list_1', (m, subscriberId: Id) => m.subscriptions.find({ subscriberId }, { list: 1, status: 1, unsubscribedAt: 1, updatedAt: 1 })),
  /** Person page: the person's subscriptions, whole, by list. */
  ofSubscriber: uses('subscriberId_1_list_1', (m, subscriberId: Id) => m.subscriptions.find({ subscriberId }).sort({ list: 1 })),
  /** Access export: the person's subscriptions, whole, in the order they were made. */
  documentsOfSubscriber: uses('subscriberId_1_list_1', (m, subscriberId: Id) => m.subscriptions.find({ subscriberId }).sort({ _id: 1 })),
  /** Retention: has the person any subscription left. */
  countOfSubscriber: uses('subscriberId_1_list_1', (m, subscriberId: Id) => m.subscriptions.countDocuments({ subscriberId })),
  /** People search, import: the subscriptions of these people (a page or a chunk at a time). */
  amongSubscribers: uses('subscriberId_1_list_1', (m, subscriberIds: Id[]) =>
    m.subscriptions.find({ subscriberId: { $in: subscriberIds } }, { subscriberId: 1, list: 1, status: 1, version: 1 }),
  ),
  /** Re-consent page: the person's active consent under an older policy version, by list. */
  olderOf: uses('subscriberId_1_list_1', (m, subscriberId: Id, version: number) =>
    m.subscriptions.find({ subscriberId, ...olderThan(version) }, { ...SNAPSHOT, policyVersion: 1 }).sort({ list: 1 }),
  ),
  /** Re-consent lapse: the same for a page of the people invited. */
  olderAmongSubscribers: uses('subscriberId_1_list_1', (m, subscriberIds: Id[], version: number) =>
    m.subscriptions.find({ subscriberId: { $in: subscriberIds }, ...olderThan(version) }, { ...SNAPSHOT, policyVersion: 1 }),
  ),
  /** Erasure: all of the person's subscriptions go. */
  removeAllOf: uses('subscriberId_1_list_1', (m, subscriberId: Id) => m.subscriptions.deleteMany({ subscriberId })),
  /** Retention: the person's closed subscriptions go. */
  removeUnsubscribedOf: uses('subscriberId_1_list_1', (m, subscriberId: Id) => m.subscriptions.deleteMany({ subscriberId, status: 'unsubscribed' })),

  /** Campaign page and start: how many are active on the list. */
  activeCountOfList: uses('list_1_status_1__id_1', (m, list: string) => m.subscriptions.countDocuments({ list, status: 'active' })),
  /** Fan-out, the nameless check: a list's active subscriptions in _id order, within a range of ids. */
  activeOfList: uses('list_1_status_1__id_1', (m, list: string, range: { $gt?: Types.ObjectId; $lte?: Types.ObjectId } | undefined, limit?: number) => {
    const query = m.subscriptions.find({ list, status: 'active', ...(range ? { _id: range } : {}) }, { _id: 1, subscriberId: 1 }).sort({ _id: 1 });
    return limit === undefined ? query : query.limit(limit);
  }),
  /** Campaign watchdog: the audience frozen at the start, with those who left since it began. */
  audienceUpTo: uses('list_1_status_1__id_1', (m, list: string, bound: Types.ObjectId, startedAt: Date | undefined) =>
    m.subscriptions
      .find(
        { list, _id: { $lte: bound }, $or: [{ status: 'active' as const }, ...(startedAt ? [{ status: 'unsubscribed' as const, unsubscribedAt: { $gte: startedAt } }] : [])] },
        { _id: 1, subscriberId: 1 },
      )
      .sort({ _id: 1 }),
  ),
  /** People search: the members of a list (in one state). */
  membersOf: uses('list_1_status_1__id_1', (m, list: string, state?: SubscriptionState) => m.subscriptions.find({ list, ...(state ? { status: state } : {}) }, { _id: 0, subscriberId: 1 })),
  /** A list's page: its subscriptions counted by state. */
  countsOfList: uses('list_1_status_1__id_1', (m, list: string) =>
    m.subscriptions.aggregate<{ _id: { list: string; status: string }; n: number }>([{ $match: { list } }, { $group: { _id: { list: '$list', status: '$status' }, n: { $sum: 1 } } }]),
  ),

  /** The lists page: every list's subscriptions counted by state. */
  countsByList: scans('the lists page counts every subscription of every list; a total no index narrows', (m) =>
    m.subscriptions.aggregate<{ _id: { list: string; status: string }; n: number }>([{ $group: { _id: { list: '$list', status: '$status' }, n: { $sum: 1 } } }]),
  ),
  /** The policy page: active subscribers counted by the policy version they consented under. */
  activeByPolicyVersion: scans('the policy page counts every active subscription by its policy version; a total over all lists no index narrows', (m) =>
    m.subscriptions.aggregate<{ _id: number | null; subscribers: number }>([
      { $match: { status: 'active' } },
      { $group: { _id: { version: '$policyVersion', subscriber: '$subscriberId' } } },
      { $group: { _id: '$_id.version', subscribers: { $sum: 1 } } },
    ]),
  ),
  /** Re-consent fan-out: active consent under an older version among the frozen audience, in _id order. */
  olderInRange: scans('a re-consent campaign reaches every list: one cursor over the frozen audience, in a background job', (m, range: Record<string, Types.ObjectId>, version: number) =>
    m.subscriptions.find({ _id: range, ...olderThan(version) }, { _id: 1, subscriberId: 1 }).sort({ _id: 1 }),
  ),
  /** Re-consent page: how many people of the audience still have not renewed. */
  waitingPeople: scans('a re-consent campaign spans every list: its progress counts the whole audience', (m, maxId: Types.ObjectId, version: number) =>
    m.subscriptions.aggregate<{ n: number }>([{ $match: { _id: { $lte: maxId }, ...olderThan(version) } }, { $group: { _id: '$subscriberId' } }, { $group: { _id: null, n: { $sum: 1 } } }]),
  ),
  /** Reconciliation: every subscription, a page at a time by _id. */
  pageAfter: scans('the nightly reconciliation checks every subscription', (m, after: Types.ObjectId | undefined, limit: number) =>
    m.subscriptions.find(after ? { _id: { $gt: after } } : {}).sort({ _id: 1 }).limit(limit),
  ),
  /** Retention: sign-ups never confirmed within the period. */
  stalePending: scans('the nightly retention sweep', (m, cutoff: Date) =>
    m.subscriptions.find({ status: 'pending', $or: [{ requestedAt: { $lt: cutoff } }, { requestedAt: { $exists: false }, createdAt: { $lt: cutoff } }] }, { subscriberId: 1, list: 1 }),
  ),
  /** Retention: subscriptions closed for longer than the period. */
  longUnsubscribed: scans('the nightly retention sweep', (m, cutoff: Date) =>
    m.subscriptions.find({ status: 'unsubscribed', $or: [{ unsubscribedAt: { $lt: cutoff } }, { unsubscribedAt: { $exists: false }, updatedAt: { $lt: cutoff } }] }, { subscriberId: 1 }),
  ),
};
