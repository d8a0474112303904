// The ledger and the states agree (invariant 8) and every "no" has its opt-out record (invariant 11),
// whatever crashed between two writes. Run on a schedule (workers/reconciliation.worker.ts); each
// step is idempotent and counts what it repaired:
// - events without their state: a subscription's event for its current version exists, so its writer
//   died before the state: the event is rolled forward (subscription-state.ts);
// - states without their event: a subscription created (insert first) whose creation event is
//   missing: the event is written from what the state says, channel `reconciliation`;
// - opt-out records: every withdrawal, erasure and `unsubscribed` subscription has one (also the
//   backfill for data older than the records), and a record older than the person's own later
//   confirmation is lifted, as the confirmation would have done had it not died first;
// - an erasure tombstone older than the person's own later confirmation goes, and a subscriber's
//   restriction flag is what the last restriction event says (both events are written first);
// - data-subject requests whose verification was claimed and never recorded go on as verified, so
//   the DPO's retry works.
import type { Types } from 'mongoose';
import type { Models } from '../../data/models';
import { claimQueries } from '../../data/claim.queries';
import type { Logger } from '../../logger';
import type { ConsentLedger } from './consent-ledger';
import type { OptOuts } from './opt-outs';
import { transitionEventId, WINNER_GRACE_MS, type SubscriptionSnapshot, type SubscriptionStates, type TransitionType } from './subscription-state';
import { claimedAt, verificationClaimKey, VERIFY_TAKEOVER_GRACE_MS } from '../requests/verification';
import { suppressionQueries } from '../../data/suppression.queries';
import { subscriberQueries } from '../../data/subscriber.queries';
import { subscriptionQueries } from '../../data/subscription.queries';
import { consentEventQueries } from '../../data/consent-event.queries';
import { optOutQueries } from '../../data/opt-out.queries';
import { listQueries } from '../../data/list.queries';
import { dataSubjectRequestQueries } from '../../data/data-subject-request.queries';

export interface ReconciliationCounts {
  subscriptionsChecked: number;
  /** Events whose state was missing, applied now. */
  statesRolledForward: number;
  /** States whose event was missing, recorded now. */
  eventsRecorded: number;
  optOutsRecorded: number;
  optOutsLifted: number;
  /** Erasure tombstones a later confirmed opt-in had lifted, but a crash kept. */
  tombstonesLifted: number;
  /** Restriction events whose subscriber flag a crash left unchanged. */
  restrictionsApplied: number;
  requestsUnstuck: number;
}

const PAGE = 1000;

/** What rolling forward and backfilling read of a subscription: the snapshot states decide on, and more. */
type SubscriptionRow = SubscriptionSnapshot & {
  requestedAt?: Date | null;
  confirmedAt?: Date | null;
  unsubscribedAt?: Date | null;
  policyVersion?: number | null;
  createdAt?: Date;
};

export class LedgerReconciliation {
  constructor(
    private readonly deps: { models: Models; ledger: ConsentLedger; states: SubscriptionStates; optOuts: OptOuts; logger: Logger; now: () => Date },
  ) {}

  async run(): Promise<ReconciliationCounts> {
    const counts: ReconciliationCounts = {
      subscriptionsChecked: 0,
      statesRolledForward: 0,
      eventsRecorded: 0,
      optOutsRecorded: 0,
      optOutsLifted: 0,
      tombstonesLifted: 0,
      restrictionsApplied: 0,
      requestsUnstuck: 0,
    };
    await this.subscriptions(counts);
    await this.optOutsFromLedger(counts);
    await this.restrictions(counts);
    await this.stuckVerifications(counts);
    this.deps.logger.info({ counts }, 'ledger reconciliation');
    return counts;
  }

  /** Every subscription, a page at a time by _id; two lookups by _id per page. */
  private async subscriptions(counts: ReconciliationCounts): Promise<void> {
    const { models } = this.deps;
    let after: Types.ObjectId | undefined;
    for (;;) {
      const page: SubscriptionRow[] = await subscriptionQueries.pageAfter(models, after, PAGE).lean();
      if (page.length === 0) return;
      after = page[page.length - 1]!._id;
      counts.subscriptionsChecked += page.length;
      await this.rollForward(page, counts);
      await this.recordMissing(page, counts);
      await this.recordOptOutsOf(page, counts);
    }
  }

  private async rollForward(page: SubscriptionRow[], counts: ReconciliationCounts): Promise<void> {
    const ahead = await consentEventQueries.amongIds(this.deps.models, page.map((s) => transitionEventId(s._id, s.version ?? 0))).lean();
    const byId = new Map(ahead.map((e) => [String(e._id), e]));
    // An event this young may have a live writer about to apply it (and then move on).
    const settled = this.deps.now().getTime() - WINNER_GRACE_MS;
    for (const s of page) {
      const event = byId.get(String(transitionEventId(s._id, s.version ?? 0)));
      if (!event || event.at.getTime() > settled) continue;
      if (await this.deps.states.apply(s._id, s.version ?? 0, event, true)) counts.statesRolledForward++;
    }
  }

  private async recordMissing(page: SubscriptionRow[], counts: ReconciliationCounts): Promise<void> {
    const { models, ledger } = this.deps;
    const versioned = page.filter((s) => (s.version ?? 0) >= 1);
    if (versioned.length === 0) return;
    const found = await consentEventQueries.presentAmong(models, versioned.map((s) => transitionEventId(s._id, s.version! - 1))).lean();
    const present = new Set(found.map((e) => String(e._id)));
    const missing = versioned.filter((s) => !present.has(String(transitionEventId(s._id, s.version! - 1))));
    if (missing.length === 0) return;
    const hashes = await this.hashesOf(missing.map((s) => s.subscriberId));
    for (const s of missing) {
      const emailHash = hashes.get(String(s.subscriberId));
      if (!emailHash) continue;
      const type = typeOfState(s);
      const at = (type === 'requested' ? s.requestedAt : type === 'withdrawn' ? s.unsubscribedAt : type === 'confirmed' ? s.confirmedAt : s.createdAt) ?? this.deps.now();
      const recorded = await ledger.recordOnce(`subscription:${s._id}:${s.version! - 1}`, {
        subscriberId: s.subscriberId,
        emailHash,
        list: s.list,
        type,
        channel: 'reconciliation',
        policyVersion: s.policyVersion ?? undefined,
        requestRef: s.pendingRef ?? undefined,
        consentedAt: type === 'imported' ? (s.confirmedAt ?? undefined) : undefined,
        subscriptionId: s._id,
        fromVersion: s.version! - 1,
        at,
        note: 'recorded by reconciliation: the state was found without its event',
      });
      if (recorded) counts.eventsRecorded++;
    }
  }

  /** Backfill: an `unsubscribed` subscription is a "no" on its list. */
  private async recordOptOutsOf(page: SubscriptionRow[], counts: ReconciliationCounts): Promise<void> {
    const unsubscribed = page.filter((s) => s.status === 'unsubscribed');
    if (unsubscribed.length === 0) return;
    const hashes = await this.hashesOf(unsubscribed.map((s) => s.subscriberId));
    for (const s of unsubscribed) {
      const emailHash = hashes.get(String(s.subscriberId));
      if (emailHash && (await this.deps.optOuts.record(emailHash, s.list))) counts.optOutsRecorded++;
    }
  }

  /**
   * The last word per (address, list) in the ledger: a withdrawal (or an erasure, for every list)
   * has its record; a confirmation after the record lifts it.
   */
  private async optOutsFromLedger(counts: ReconciliationCounts): Promise<void> {
    const { models, optOuts, ledger } = this.deps;
    const lists = (await listQueries.slugs(models).lean()).map((l) => l.slug);
    const events = await consentEventQueries.withdrawalsAndConfirmations(models).lean();
    type Last = { emailHash: string; list: string; type: string; at: Date; subscriberId?: Types.ObjectId | null; requestRef?: string | null };
    const last = new Map<string, Last>();
    for (const e of events) {
      for (const list of e.type === 'erased' ? lists : e.list ? [e.list] : []) {
        last.set(`${e.emailHash}\u0000${list}`, { emailHash: e.emailHash, list, type: e.type === 'erased' ? 'withdrawn' : e.type, at: e.at, subscriberId: e.subscriberId, requestRef: e.requestRef });
      }
    }
    const confirmedLast: Last[] = [];
    for (const entry of last.values()) {
      if (entry.type === 'withdrawn') {
        if (await optOuts.record(entry.emailHash, entry.list)) counts.optOutsRecorded++;
      } else {
        confirmedLast.push(entry);
      }
    }
    for (let i = 0; i < confirmedLast.length; i += PAGE) {
      const slice = confirmedLast.slice(i, i + PAGE);
      const records = await optOutQueries.amongHashes(models, slice.map((e) => optOuts.hashOf(e.emailHash, e.list))).lean();
      const recordAt = new Map(records.map((r) => [r.hash, r.at]));
      for (const e of slice) {
        const at = recordAt.get(optOuts.hashOf(e.emailHash, e.list));
        if (!at || at >= e.at) continue;
        await ledger.recordOnce(`opt-out-lifted:${e.subscriberId ?? e.emailHash}:${e.list}:${e.requestRef ?? ''}`, {
          subscriberId: e.subscriberId ?? undefined,
          emailHash: e.emailHash,
          list: e.list,
          type: 'opt-out-lifted',
          channel: 'reconciliation',
          requestRef: e.requestRef ?? undefined,
          note: 'lifted by reconciliation: the confirmation came after the opt-out',
        });
        if (await optOuts.lift(e.emailHash, e.list)) counts.optOutsLifted++;
      }
      // The same for an erasure tombstone: the fresh confirmation lifts it (invariant 2).
      const tombstones = await suppressionQueries.tombstonesAmong(models, slice.map((e) => e.emailHash)).lean();
      const tombstoneAt = new Map(tombstones.map((t) => [t.emailHash, t.createdAt]));
      for (const e of slice) {
        const at = tombstoneAt.get(e.emailHash);
        if (!at || at >= e.at) continue;
        tombstoneAt.delete(e.emailHash);
        counts.tombstonesLifted += (await suppressionQueries.liftTombstone(models, e.emailHash)).deletedCount;
      }
    }
  }

  /** The restriction flag is what the last restriction event says (the event is written first). */
  private async restrictions(counts: ReconciliationCounts): Promise<void> {
    const { models } = this.deps;
    const events = await consentEventQueries.restrictionChanges(models).lean();
    const last = new Map(events.map((e) => [String(e.subscriberId), e.type === 'restricted']));
    for (let i = 0, ids = [...last.keys()]; i < ids.length; i += PAGE) {
      const subscribers = await subscriberQueries.hashesAmong(models, ids.slice(i, i + PAGE)).lean();
      for (const s of subscribers) {
        const restricted = last.get(String(s._id))!;
        if (Boolean(s.restricted) === restricted) continue;
        counts.restrictionsApplied += (await subscriberQueries.setRestricted(models, s._id, restricted)).modifiedCount;
      }
    }
  }

  private async stuckVerifications(counts: ReconciliationCounts): Promise<void> {
    const { models, now } = this.deps;
    const waiting = await dataSubjectRequestQueries.awaitingVerification(models).lean();
    if (waiting.length === 0) return;
    const claims = await claimQueries.amongKeys(models, waiting.map((r) => verificationClaimKey(r._id))).lean();
    const cutoff = now().getTime() - VERIFY_TAKEOVER_GRACE_MS;
    for (const claim of claims) {
      if (claimedAt(claim) > cutoff) continue;
      const requestId = claim.key.slice(verificationClaimKey('').length);
      const result = await dataSubjectRequestQueries.updateIfAwaitingVerification(models, requestId, {
        $set: { status: 'open', verifiedAt: new Date(claimedAt(claim)) },
        $push: { actions: { at: now(), actor: 'system', action: 'verified', note: 'recorded by reconciliation: the verification was claimed, then interrupted' } },
      });
      counts.requestsUnstuck += result.modifiedCount;
    }
  }

  private async hashesOf(subscriberIds: Types.ObjectId[]): Promise<Map<string, string>> {
    const found = await subscriberQueries.hashesAmong(this.deps.models, subscriberIds).lean();
    return new Map(found.map((s) => [String(s._id), s.emailHash]));
  }
}

/** Which event a state found without one stands for. Only an import creates an active version 1. */
function typeOfState(s: SubscriptionRow): TransitionType {
  if (s.status === 'pending') return 'requested';
  if (s.status === 'unsubscribed') return 'withdrawn';
  if (s.status === 'lapsed') return 'lapsed';
  return s.version === 1 ? 'imported' : 'confirmed';
}
