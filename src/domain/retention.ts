// Privacy policy clause 3, "not kept longer than necessary", as explicit sweeps (FerretDB v1 has no
// TTL indexes). Each sweep is idempotent, counts what it did and leaves an audit entry, so the DPO
// can show when data went. Periods come from RETENTION_* in the config.
import type { Config } from '../config';
import type { Models } from '../data/models';
import { retentionRunQueries } from '../data/retention-run.queries';
import { auditEntryQueries } from '../data/audit-entry.queries';
import { claimQueries } from '../data/claim.queries';
import { inboundMessageQueries } from '../data/inbound-message.queries';
import { deliveryOutcomeQueries } from '../data/delivery-outcome.queries';
import type { Logger } from '../logger';
import type { AuditLog } from './audit';
import type { ConsentLedger } from './consent/consent-ledger';
import { emailKey } from './email-address';
import { subscriberQueries } from '../data/subscriber.queries';
import { subscriptionQueries } from '../data/subscription.queries';
import { dataSubjectRequestQueries } from '../data/data-subject-request.queries';
import { importQueries } from '../data/import.queries';

export const RETENTION_SWEEPS = [
  'unconfirmed-signups',
  'inbound-raw',
  'delivery-details',
  'closed-requests',
  'audit-entries',
  'expired-claims',
  'unsubscribed-people',
  'inbound-meta',
  'import-details',
] as const;
export type RetentionSweep = (typeof RETENTION_SWEEPS)[number];

export function isRetentionSweep(name: string): name is RetentionSweep {
  return (RETENTION_SWEEPS as readonly string[]).includes(name);
}

export type SweepCounts = Record<string, number>;

const SYSTEM_ACTOR = { sub: 'retention', role: 'system' };
const DAY_MS = 24 * 3600 * 1000;

export class Retention {
  constructor(
    private readonly deps: {
      models: Models;
      ledger: ConsentLedger;
      audit: AuditLog;
      now: () => Date;
      periods: Config['retention'];
      logger: Logger;
    },
  ) {}

  /** Runs one sweep and records the run (when, under which period, what it removed) for the DPO. */
  async sweep(name: RetentionSweep): Promise<SweepCounts> {
    const startedAt = this.deps.now();
    const periodMs = this.periodOf(name);
    const run = { sweep: name, periodDays: periodMs === undefined ? undefined : Math.round(periodMs / DAY_MS), startedAt };
    let counts: SweepCounts;
    try {
      counts = await this.sweeps[name]();
    } catch (err) {
      await this.deps.models.retentionRuns.create({ ...run, finishedAt: this.deps.now(), status: 'failed', error: err instanceof Error ? err.message.slice(0, 500) : String(err) });
      throw err;
    }
    this.deps.logger.info({ sweep: name, counts }, 'retention sweep');
    await this.deps.models.retentionRuns.create({ ...run, finishedAt: this.deps.now(), status: 'done', counts });
    await this.deps.audit.record(SYSTEM_ACTOR, `retention.${name}`, undefined, counts);
    return counts;
  }

  /** The last runs, newest first. */
  async lastRuns(limit: number) {
    return retentionRunQueries.latest(this.deps.models, limit).lean();
  }

  /** The period a sweep removes after (undefined: records that carry their own expiry). */
  private periodOf(name: RetentionSweep): number | undefined {
    const p = this.deps.periods;
    const periods: Record<RetentionSweep, number | undefined> = {
      'unconfirmed-signups': p.unconfirmedMs,
      'inbound-raw': p.inboundRawMs,
      'delivery-details': p.deliveryDetailsMs,
      'closed-requests': p.requestsAuditMs,
      'audit-entries': p.requestsAuditMs,
      'expired-claims': undefined,
      'unsubscribed-people': p.unsubscribedMs,
      'inbound-meta': p.inboundMetaMs,
      'import-details': p.importDetailsMs,
    };
    return periods[name];
  }

  private readonly sweeps: Record<RetentionSweep, () => Promise<SweepCounts>> = {
    'unconfirmed-signups': () => this.unconfirmedSignups(),
    'inbound-raw': async () => {
      const result = await inboundMessageQueries.removeRawBefore(this.deps.models, this.cutoff(this.deps.periods.inboundRawMs));
      return { rawRemoved: result.modifiedCount };
    },
    'delivery-details': async () => {
      // The outcome keeps campaign, person, status and reason; the SMTP details go.
      const result = await deliveryOutcomeQueries.pseudonymiseOlderThan(this.deps.models, this.cutoff(this.deps.periods.deliveryDetailsMs));
      return { pseudonymised: result.modifiedCount };
    },
    'closed-requests': async () => {
      const result = await dataSubjectRequestQueries.removeClosedBefore(this.deps.models, ['done', 'rejected'], this.cutoff(this.deps.periods.requestsAuditMs));
      return { deleted: result.deletedCount };
    },
    'audit-entries': async () => {
      const result = await auditEntryQueries.removeBefore(this.deps.models, this.cutoff(this.deps.periods.requestsAuditMs));
      return { deleted: result.deletedCount };
    },
    'expired-claims': async () => {
      const result = await claimQueries.removeExpired(this.deps.models, this.deps.now());
      return { deleted: result.deletedCount };
    },
    'unsubscribed-people': () => this.unsubscribedPeople(),
    'inbound-meta': () => this.inboundMeta(),
    'import-details': () => this.importDetails(),
  };

  /**
   * Import reports: the skipped rows' addresses go after RETENTION_IMPORT_DETAILS (lines and reasons
   * stay, to count by); the whole report, which names the staff member, goes with the audit trail.
   */
  private async importDetails(): Promise<SweepCounts> {
    const { models } = this.deps;
    const reportsDeleted = (await importQueries.removeCreatedBefore(models, this.cutoff(this.deps.periods.requestsAuditMs))).deletedCount;
    const due = await importQueries.detailsDue(models, this.cutoff(this.deps.periods.importDetailsMs)).lean();
    let addressesRemoved = 0;
    for (const report of due) {
      addressesRemoved += report.skippedRows.filter((r) => r.email).length;
      await importQueries.update(models, report._id, { skippedRows: report.skippedRows.map((r) => ({ line: r.line, reason: r.reason })), detailsRemoved: true });
    }
    return { reportsDeleted, reportsStripped: due.length, addressesRemoved };
  }

  /**
   * A sign-up never confirmed is no consent: the pending subscription goes (with an `expired`
   * event), and a subscriber left with no subscription at all goes too, its ledger anonymised as
   * for an erasure, since nothing justifies keeping who they were.
   */
  private async unconfirmedSignups(): Promise<SweepCounts> {
    const { models, ledger } = this.deps;
    const cutoff = this.cutoff(this.deps.periods.unconfirmedMs);
    const stale = await subscriptionQueries.stalePending(models, cutoff).lean();
    let subscriptions = 0;
    let subscribers = 0;
    for (const subscription of stale) {
      const subscriber = await subscriberQueries.hashOf(models, subscription.subscriberId).lean();
      const removed = await subscriptionQueries.removePending(models, subscription._id);
      if (removed.deletedCount === 0) continue;
      subscriptions++;
      if (!subscriber) continue;
      await ledger.record({ subscriberId: subscriber._id, emailHash: subscriber.emailHash, list: subscription.list, type: 'expired', channel: 'retention' });
      if ((await subscriptionQueries.countOfSubscriber(models, subscriber._id)) > 0) continue;
      subscribers += (await subscriberQueries.remove(models, subscriber._id)).deletedCount;
      await ledger.anonymise(subscriber.emailHash);
    }
    return { subscriptionsRemoved: subscriptions, subscribersRemoved: subscribers };
  }

  /**
   * Someone whose every subscription has been `unsubscribed` for RETENTION_UNSUBSCRIBED is no longer
   * a reader: who they were goes (subscriber, subscriptions, their mails' sender and subject, their
   * address in audit targets) and their consent events stay, anonymised as for an erasure. No
   * suppression tombstone: they may sign up again. What keeps their "no" is the opt-out record per
   * (address hash, list), which this sweep never touches (nor anything else named for opt-outs).
   * Delivery records stay: they name a subscriber id that nothing identifies any more.
   * Kept: restricted people (art. 18: the data is kept) and anyone with an open request.
   */
  private async unsubscribedPeople(): Promise<SweepCounts> {
    const { models, ledger } = this.deps;
    const cutoff = this.cutoff(this.deps.periods.unsubscribedMs);
    const candidates = await subscriptionQueries.longUnsubscribed(models, cutoff).lean();
    const counts = { subscribersRemoved: 0, subscriptionsRemoved: 0, consentEventsAnonymised: 0, inboundMessages: 0, kept: 0 };
    for (const subscriberId of new Set(candidates.map((s) => String(s.subscriberId)))) {
      const subscriber = await subscriberQueries.addresseeOf(models, subscriberId).lean();
      if (!subscriber) {
        // An earlier run stopped after removing the subscriber: finish it.
        counts.subscriptionsRemoved += (await subscriptionQueries.removeUnsubscribedOf(models, subscriberId)).deletedCount;
        continue;
      }
      const all = await subscriptionQueries.statesOf(models, subscriber._id).lean();
      const gone = all.every((s) => s.status === 'unsubscribed' && (s.unsubscribedAt ?? s.updatedAt ?? cutoff) < cutoff);
      const openRequest = await dataSubjectRequestQueries.hasOpenOfAddress(models, subscriber.emailHash);
      if (!gone || subscriber.restricted || openRequest) {
        counts.kept++;
        continue;
      }
      // The subscriptions go last: until then they lead the next run back here, should this one stop.
      const addresses = [...new Set([subscriber.email, emailKey(subscriber.email)])];
      const inbound = await inboundMessageQueries.forgetPerson(models, subscriber.emailHash, addresses);
      counts.inboundMessages += inbound.modifiedCount;
      await auditEntryQueries.retarget(models, addresses, `emailHash:${subscriber.emailHash}`);
      counts.consentEventsAnonymised += await ledger.anonymise(subscriber.emailHash);
      counts.subscribersRemoved += (await subscriberQueries.remove(models, subscriber._id)).deletedCount;
      counts.subscriptionsRemoved += (await subscriptionQueries.removeUnsubscribedOf(models, subscriber._id)).deletedCount;
    }
    return counts;
  }

  /**
   * Inbound messages older than RETENTION_INBOUND_META keep what the figures need (kind, outcome,
   * effects, dates, the dedupe keys that keep polling idempotent) and lose who wrote and what about:
   * sender, subject, classification details, authentication results, notes.
   */
  private async inboundMeta(): Promise<SweepCounts> {
    const identifying = ['from', 'fromHash', 'subject', 'classification', 'authentication', 'note', 'error', 'raw'];
    const result = await inboundMessageQueries.removeFieldsBefore(this.deps.models, this.cutoff(this.deps.periods.inboundMetaMs), identifying);
    return { metadataRemoved: result.modifiedCount };
  }

  private cutoff(periodMs: number): Date {
    return new Date(this.deps.now().getTime() - periodMs);
  }
}
