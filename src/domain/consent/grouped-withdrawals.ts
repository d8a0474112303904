// One-click unsubscribes committed in groups. When a newsletter lands, its one-click POSTs arrive by
// the hundred per second; on the embedded FerretDB each write costs its single writer about a
// millisecond, so committing each one alone (two reads, the chain's head, the event, the state, the
// opt-out) held the rate near 100/s. Requests that arrive together (src/group-commit.ts) are
// committed together, by the same protocol as one (subscription-state.ts), in one round trip per
// step: read the subscriptions and subscribers, raise the flags, insert the events (each keyed by the
// state it ends: only one writer wins a subscription), set the states the winners' events describe
// and record the opt-outs, wait out any send in flight. Each request is answered only after its own
// withdrawal committed. A crash between the events and the states leaves what a crash of a single
// change leaves: events whose state the reconciliation job rolls forward.
//
// Whatever the group cannot decide on its own (a link naming another person's subscription, an event
// another writer won) goes the single way, which knows how to search, wait and roll forward.
import { Types } from 'mongoose';
import { crashPoint } from '../../crash-point';
import type { Models } from '../../data/models';
import type { ConsentLedger } from './consent-ledger';
import type { OptOuts } from './opt-outs';
import type { RecentWithdrawals } from './recent-withdrawals';
import { transitionKey, type SubscriptionSnapshot, type SubscriptionStates } from './subscription-state';
import type { UnsubscribeInput } from './unsubscribe';
import { subscriberQueries } from '../../data/subscriber.queries';
import { subscriptionQueries } from '../../data/subscription.queries';

/** A one-click request: one subscription, named by the newsletter's link, on its one list. */
export type NamedWithdrawal = UnsubscribeInput & { subscriptionId: string; lists: [string] };

interface Candidate {
  index: number;
  subscription: SubscriptionSnapshot;
  emailHash: string;
  from: number;
}

/** What committing withdrawals needs, alone or in groups. */
export interface WithdrawalDeps {
  models: Models;
  states: SubscriptionStates;
  ledger: ConsentLedger;
  optOuts: OptOuts;
  withdrawals: RecentWithdrawals;
  now: () => Date;
}

export class GroupedWithdrawals {
  constructor(
    private readonly deps: WithdrawalDeps & {
      /** The single way, for what a group cannot decide; whether it changed anything. */
      alone: (input: UnsubscribeInput) => Promise<boolean>;
    },
  ) {}

  /** Whether each request ended its subscription (false: it was not open, or someone else ended it). */
  async commit(requests: NamedWithdrawal[]): Promise<boolean[]> {
    const { models, states, ledger, optOuts, withdrawals, now } = this.deps;
    // A group is at most a few hundred: one query each.
    const [subscribers, subscriptions] = await Promise.all([
      subscriberQueries.hashesOf(models, unique(requests.map((r) => r.subscriberId))).lean(),
      subscriptionQueries.snapshotsAmong(models, unique(requests.map((r) => r.subscriptionId))).lean(),
    ]);
    const hashOf = new Map(subscribers.map((s) => [String(s._id), s.emailHash]));
    const subscriptionOf = new Map(subscriptions.map((s) => [String(s._id), s as SubscriptionSnapshot]));

    const changed = requests.map(() => false);
    const alone: number[] = [];
    const candidates: Candidate[] = [];
    const taken = new Set<string>();
    requests.forEach((request, index) => {
      const emailHash = hashOf.get(String(request.subscriberId));
      if (!emailHash) return; // unknown or erased: nothing to do, as on the single way
      const subscription = subscriptionOf.get(request.subscriptionId);
      if (!subscription || !subscription.subscriberId.equals(String(request.subscriberId)) || subscription.list !== request.lists[0]) {
        alone.push(index); // the link names no subscription of theirs on that list: the single way searches
        return;
      }
      if (subscription.status !== 'pending' && subscription.status !== 'active') return;
      // The same link twice in one group: the first ends it, the second finds nothing to do.
      if (taken.has(request.subscriptionId)) return;
      taken.add(request.subscriptionId);
      candidates.push({ index, subscription, emailHash, from: subscription.version ?? 0 });
    });

    const pairs = candidates.map((c): [string, string] => [c.emailHash, c.subscription.list]);
    // Flags before the commit, as on the single way (recent-withdrawals.ts).
    await withdrawals.markMany(pairs);
    const at = now();
    const recorded = await ledger.recordOnceMany(
      candidates.map((c) => {
        const request = requests[c.index]!;
        return {
          key: transitionKey(c.subscription._id, c.from),
          event: {
            subscriberId: request.subscriberId,
            emailHash: c.emailHash,
            list: c.subscription.list,
            type: 'withdrawn' as const,
            channel: request.channel,
            ip: request.ip,
            userAgent: request.userAgent,
            campaignId: request.campaignId,
            messageId: request.messageId,
            actor: request.actor,
            effectDelayMs: request.receivedAt ? Math.max(0, at.getTime() - request.receivedAt.getTime()) : undefined,
            subscriptionId: c.subscription._id,
            fromVersion: c.from,
            at,
          },
        };
      }),
    );
    const won = candidates.filter((c) => recorded.has(transitionKey(c.subscription._id, c.from)));
    crashPoint('withdrawn:after-event');
    // The states the winners' events describe, and the "no" remembered beyond the subscription
    // (invariant 11), side by side: neither waits for the other.
    await Promise.all([
      ...[...groupBy(won, (c) => c.from)].map(([from, group]) => states.applyMany(group.map((c) => c.subscription._id), from, { type: 'withdrawn', at })),
      optOuts.recordMany(pairs),
    ]);
    for (const c of won) changed[c.index] = true;
    // Another writer won these events: the single way waits for its state, or rolls it forward.
    alone.push(...candidates.filter((c) => !recorded.has(transitionKey(c.subscription._id, c.from))).map((c) => c.index));
    // A mail to the person already handed to SMTP is let finish, so none arrives after the answer.
    await withdrawals.settleMany(pairs);
    await Promise.all(alone.map(async (index) => (changed[index] = await this.deps.alone(requests[index]!))));
    return changed;
  }
}

function unique(ids: Array<Types.ObjectId | string>): Types.ObjectId[] {
  return [...new Set(ids.map(String))].filter((id) => Types.ObjectId.isValid(id)).map((id) => new Types.ObjectId(id));
}

function groupBy<T, K>(items: T[], key: (item: T) => K): Map<K, T[]> {
  const groups = new Map<K, T[]>();
  for (const item of items) {
    const group = groups.get(key(item));
    if (group) group.push(item);
    else groups.set(key(item), [item]);
  }
  return groups;
}
