// GDPR art. 17 without losing the proof (invariant 7): the person's data goes from every
// collection and from the job queue, while a keyed-hash tombstone stays in the suppression list
// (so no import can re-add them) and the consent ledger stays, anonymised, as evidence.
// Idempotent: a second run finds nothing left to remove and records nothing new.
import type { Queue } from 'bullmq';
import type { Models } from '../../data/models';
import { auditEntryQueries } from '../../data/audit-entry.queries';
import { inboundMessageQueries } from '../../data/inbound-message.queries';
import { deliveryQueries } from '../../data/delivery.queries';
import { deliveryOutcomeQueries } from '../../data/delivery-outcome.queries';
import type { Logger } from '../../logger';
import type { ConsentLedger } from '../consent/consent-ledger';
import type { OptOuts } from '../consent/opt-outs';
import { emailKey } from '../email-address';
import type { Suppressions } from '../consent/suppressions';
import { subscriberQueries } from '../../data/subscriber.queries';
import { subscriptionQueries } from '../../data/subscription.queries';
import { listQueries } from '../../data/list.queries';
import { dataSubjectRequestQueries } from '../../data/data-subject-request.queries';
import { reConsentMailQueries } from '../../data/re-consent-mail.queries';

export interface ErasureTarget {
  emailHash: string;
  /** Absent when a previous run already removed it from the request. */
  email?: string;
  /** The request number: ties the single `erased` event to the request. */
  requestRef: string;
  channel: 'admin' | 'mailbox';
}

export interface ErasureCounts {
  subscribers: number;
  subscriptions: number;
  deliveries: number;
  inboundMessages: number;
  requests: number;
  consentEvents: number;
  jobs: number;
}

// Jobs carry ids only, but a job that would mail the person must not outlive them.
const JOB_STATES = ['waiting', 'delayed', 'prioritized', 'waiting-children', 'failed', 'completed'] as const;
const JOB_PAGE = 500;

export class Erasure {
  constructor(
    private readonly deps: {
      models: Models;
      ledger: ConsentLedger;
      suppressions: Suppressions;
      /** Queues whose jobs concern one person each (never shared campaign batches). */
      personalQueues: Queue[];
      optOuts: OptOuts;
      logger: Logger;
    },
  ) {}

  async erase(target: ErasureTarget): Promise<ErasureCounts> {
    const { models, ledger, suppressions } = this.deps;
    const { emailHash } = target;
    // The tombstone first, through the withdrawal gate (flag, commit, settle): from this moment
    // nothing is mailed, whatever else is still in flight. The flags are keyed by the address's hash,
    // which the tombstone keeps anyway, and lapse by themselves.
    await suppressions.suppress(emailHash, 'erasure', target.requestRef);
    // A "no" on every list, which outlives even the tombstone: a fresh opt-in lifts the tombstone, and
    // the opt-outs of the lists it confirms, no others.
    await this.deps.optOuts.recordMany((await listQueries.slugs(models).lean()).map((l): [string, string] => [emailHash, l.slug]));

    const addresses = target.email ? [...new Set([target.email, emailKey(target.email)])] : [];
    const subscriber = await subscriberQueries.refOfHash(models, emailHash).lean();
    const counts: ErasureCounts = { subscribers: 0, subscriptions: 0, deliveries: 0, inboundMessages: 0, requests: 0, consentEvents: 0, jobs: 0 };

    counts.jobs = await this.removeJobs([...(subscriber ? [String(subscriber._id)] : []), ...addresses]);
    if (subscriber) {
      // Claims and their outcomes; a delivery counts once.
      const [claims, outcomes] = await Promise.all([
        deliveryQueries.removeOfSubscriber(models, subscriber._id),
        deliveryOutcomeQueries.removeOfSubscriber(models, subscriber._id),
        reConsentMailQueries.removeAllOf(models, subscriber._id),
      ]);
      counts.deliveries = Math.max(claims.deletedCount, outcomes.deletedCount);
    }
    if (subscriber) counts.subscriptions = (await subscriptionQueries.removeAllOf(models, subscriber._id)).deletedCount;
    if (subscriber) counts.subscribers = (await subscriberQueries.remove(models, subscriber._id)).deletedCount;

    // Their own mails (by sender hash) and bounces or complaints that name them: the
    // classification outcome stays, everything that identifies them goes.
    const inbound = await inboundMessageQueries.forgetPerson(models, emailHash, addresses);
    counts.inboundMessages = inbound.modifiedCount;

    // Requests keep their deadline history (accountability) but only the hash of whom they were
    // about; free-text notes and reasons may quote the person, so they go too. The person's own open
    // access request keeps its address until it is answered (requests.ts forgets it then).
    const requests = await dataSubjectRequestQueries.actionsOfAddress(models, emailHash).lean();
    const isOpenAccess = (r: { type: string; status: string }) => r.type === 'access' && (r.status === 'awaiting-verification' || r.status === 'open');
    for (const request of requests.filter((r) => !isOpenAccess(r))) {
      const result = await dataSubjectRequestQueries.update(models, request._id, {
        $unset: { email: 1, subscriberId: 1, rectification: 1, note: 1, extensionReason: 1, rejectionReason: 1 },
        $set: { actions: request.actions.map(({ at, actor, action }) => ({ at, actor, action })) },
      });
      counts.requests += result.modifiedCount;
    }
    const openAccess = requests.filter(isOpenAccess);
    if (openAccess.length) await dataSubjectRequestQueries.forgetSubscriberOf(models, openAccess.map((r) => r._id));
    if (addresses.length) {
      await auditEntryQueries.retarget(models, addresses, `emailHash:${emailHash}`);
    }

    counts.consentEvents = await ledger.anonymise(emailHash);
    await ledger.recordOnce(`erased:${emailHash}:${target.requestRef}`, { emailHash, type: 'erased', channel: target.channel, requestRef: target.requestRef });
    this.deps.logger.info({ requestRef: target.requestRef, counts }, 'erasure done');
    return counts;
  }

  private async removeJobs(needles: string[]): Promise<number> {
    if (needles.length === 0) return 0;
    let removed = 0;
    for (const queue of this.deps.personalQueues) {
      const matches = [];
      for (const state of JOB_STATES) {
        for (let start = 0; ; start += JOB_PAGE) {
          const jobs = await queue.getJobs([state], start, start + JOB_PAGE - 1, true);
          matches.push(...jobs.filter((job) => needles.some((n) => JSON.stringify([job.data, job.returnvalue, job.failedReason]).includes(n))));
          if (jobs.length < JOB_PAGE) break;
        }
      }
      for (const job of matches) {
        // A job being processed right now holds a lock; the tombstone stops its mail instead.
        await job.remove().then(
          () => removed++,
          (err: Error) => this.deps.logger.warn({ queue: queue.name, jobId: job.id, err: err.message }, 'could not remove job'),
        );
      }
    }
    return removed;
  }
}
