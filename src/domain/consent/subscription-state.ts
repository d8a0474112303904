// Subscription state changes the ledger cannot miss (invariant 8) and concurrent writers cannot
// interleave (FerretDB v1 updates are read-then-write without isolation, so a status guard in the
// filter decides nothing there).
//
// A subscription carries a version. A change from version v is decided by inserting its consent event
// under the key (subscription, v): the unique _id lets exactly one writer move a subscription from v,
// and the event exists before the state does. The winner then sets the state the event describes and
// v+1. A writer that loses waits for the state to move on; if it does not (the winner died between
// the two writes), it rolls the winner's event forward. Every state is thus a function of the event
// that produced it, which is what the reconciliation job checks.
//
// Creating a subscription is the one change decided by the subscription's own unique index
// (subscriber, list): the insert comes first (version 1), its event (key (subscription, 0)) second,
// and the reconciliation job writes that event from the state if a crash came between.
import { Types } from 'mongoose';
import { crashPoint } from '../../crash-point';
import type { Models } from '../../data/models';
import { insertOnce } from '../claims';
import { eventIdFor, type ConsentEventInput, type ConsentLedger } from './consent-ledger';
import { consentEventQueries } from '../../data/consent-event.queries';
import { subscriptionQueries } from '../../data/subscription.queries';

export type TransitionType = 'requested' | 'confirmed' | 'withdrawn' | 'imported' | 'lapsed';
export type TransitionEvent = ConsentEventInput & { type: TransitionType };

export interface SubscriptionSnapshot {
  _id: Types.ObjectId;
  subscriberId: Types.ObjectId;
  list: string;
  status: string;
  version?: number | null;
  pendingRef?: string | null;
}

/**
 * applied: this call made the change. completed: the same change (same type and request) was recorded
 * by a writer that died before its state; this call applied it. joined: a live writer made the same
 * change at the same moment. unchanged: `decide` found nothing to do.
 */
export type ChangeResult = 'applied' | 'completed' | 'joined' | 'unchanged';

// A live winner writes its state within milliseconds; one that has not after this long is dead.
export const WINNER_GRACE_MS = 1_000;
const POLL_MS = 20;
const MAX_ATTEMPTS = 20;

/** The key whose event moved a subscription from `fromVersion`; the same on every retry and server. */
export function transitionKey(subscriptionId: Types.ObjectId | string, fromVersion: number): string {
  return `subscription:${subscriptionId}:${fromVersion}`;
}

export function transitionEventId(subscriptionId: Types.ObjectId | string, fromVersion: number): Types.ObjectId {
  return eventIdFor(transitionKey(subscriptionId, fromVersion));
}

type EventFacts = { type: string; at: Date; requestRef?: string | null; policyVersion?: number | null; consentedAt?: Date | null };

/** The state an event leaves its subscription in: the same whoever applies it, however often. */
export function stateAfter(event: EventFacts): { $set: Record<string, unknown>; $unset: Record<string, 1> } {
  switch (event.type) {
    case 'requested':
      return {
        $set: { status: 'pending', pendingRef: event.requestRef, requestedAt: event.at, ...(event.policyVersion ? { policyVersion: event.policyVersion } : {}) },
        $unset: { unsubscribedAt: 1, lapsedAt: 1 },
      };
    case 'confirmed':
      // A confirmation names the version the person agreed to (a re-consent moves an active one on).
      return {
        $set: { status: 'active', confirmedAt: event.at, ...(event.policyVersion ? { policyVersion: event.policyVersion } : {}) },
        $unset: { pendingRef: 1, unsubscribedAt: 1, lapsedAt: 1 },
      };
    case 'imported':
      return {
        $set: { status: 'active', confirmedAt: event.consentedAt ?? event.at, ...(event.policyVersion ? { policyVersion: event.policyVersion } : {}) },
        $unset: { pendingRef: 1, unsubscribedAt: 1, lapsedAt: 1 },
      };
    case 'withdrawn':
      return { $set: { status: 'unsubscribed', unsubscribedAt: event.at }, $unset: { pendingRef: 1 } };
    case 'lapsed':
      return { $set: { status: 'lapsed', lapsedAt: event.at }, $unset: { pendingRef: 1 } };
    default:
      throw new Error(`a ${event.type} event does not change a subscription`);
  }
}

export class SubscriptionStates {
  constructor(private readonly deps: { models: Models; ledger: ConsentLedger; now: () => Date }) {}

  read(subscriptionId: Types.ObjectId | string): Promise<SubscriptionSnapshot | null> {
    return subscriptionQueries.snapshot(this.deps.models, subscriptionId).lean();
  }

  /**
   * Moves one subscription by the event `decide` returns for its current state (none: no change).
   * 'joined' means another writer made the same change (same type and request) at the same moment.
   */
  async change(
    subscriptionId: Types.ObjectId,
    decide: (current: SubscriptionSnapshot) => TransitionEvent | undefined,
    snapshot?: SubscriptionSnapshot,
    /** Runs before each attempt's commit (a withdrawal raises its flag: recent-withdrawals.ts). */
    beforeCommit?: () => Promise<void>,
  ): Promise<ChangeResult> {
    let current: SubscriptionSnapshot | null | undefined = snapshot;
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      current ??= await this.read(subscriptionId);
      if (!current) return 'unchanged';
      const event = decide(current);
      if (!event) return 'unchanged';
      const from = current.version ?? 0;
      await beforeCommit?.();
      const recorded = { ...event, subscriptionId: current._id, fromVersion: from, at: event.at ?? this.deps.now() };
      if (await this.deps.ledger.recordOnce(transitionKey(current._id, from), recorded)) {
        crashPoint(`${event.type}:after-event`);
        await this.apply(current._id, from, recorded, false);
        return 'applied';
      }
      const winner = await consentEventQueries.byId(this.deps.models, transitionEventId(current._id, from)).lean();
      const rolledForward = await this.catchUp(current._id, from, winner);
      if (winner && winner.type === event.type && (winner.requestRef ?? undefined) === (event.requestRef ?? undefined)) {
        return rolledForward ? 'completed' : 'joined';
      }
      current = undefined;
    }
    throw new Error(`subscription ${subscriptionId} kept changing under ${MAX_ATTEMPTS} attempts`);
  }

  /** A new subscription; false if the person already has one on the list (change that one instead). */
  async create(subscriberId: Types.ObjectId, list: string, event: TransitionEvent): Promise<boolean> {
    const _id = new Types.ObjectId();
    const recorded = { ...event, subscriptionId: _id, fromVersion: 0, at: event.at ?? this.deps.now() };
    const { $set } = stateAfter(recorded);
    if (!(await insertOnce(() => this.deps.models.subscriptions.create({ _id, subscriberId, list, ...$set, version: 1 })))) return false;
    crashPoint(`${event.type}:after-create`);
    await this.deps.ledger.recordOnce(transitionKey(_id, 0), recorded);
    return true;
  }

  /** Sets the state an event describes, as version from+1; `guarded` only when rolling someone else's forward. */
  async apply(subscriptionId: Types.ObjectId, from: number, event: EventFacts, guarded: boolean): Promise<boolean> {
    const { $set, $unset } = stateAfter(event);
    // The winner of the key is the only writer from `from`: its filter is the bare _id. A roll-forward
    // must not undo a later change: it is guarded by the version it moves from.
    const result = await subscriptionQueries.moveTo(this.deps.models, subscriptionId, { $set: { ...$set, version: from + 1 }, $unset }, guarded ? { from } : undefined);
    return result.modifiedCount > 0;
  }

  /**
   * apply() for many subscriptions that this caller moved from the same version by the same kind of
   * event at the same time (a group of one-click unsubscribes): one update for the lot.
   */
  async applyMany(subscriptionIds: Types.ObjectId[], from: number, event: EventFacts): Promise<void> {
    if (subscriptionIds.length === 0) return;
    const { $set, $unset } = stateAfter(event);
    await subscriptionQueries.moveManyTo(this.deps.models, subscriptionIds, { $set: { ...$set, version: from + 1 }, $unset });
  }

  /** Waits for the winner of `from` to write its state; rolls its event forward if it never does. */
  private async catchUp(subscriptionId: Types.ObjectId, from: number, winner: EventFacts | null): Promise<boolean> {
    const deadline = Date.now() + WINNER_GRACE_MS;
    while (Date.now() < deadline) {
      const now = await subscriptionQueries.versionOf(this.deps.models, subscriptionId).lean();
      if (!now || (now.version ?? 0) > from) return false;
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
    return winner ? this.apply(subscriptionId, from, winner, true) : false;
  }
}
