// Re-consent campaigns: fan-out, send batches, and the deadline sweep (every quarter hour) that
// lapses whoever did not confirm in time. One worker dispatches by job name.
import { UnrecoverableError, Worker, type Job } from 'bullmq';
import type { Container } from '../src/container';
import { QueueNames } from '../src/queues/names';
import { ReConsentJobs, type ReConsentFanoutJob, type ReConsentSendJob } from '../src/queues/re-consent-jobs';

export const RE_CONSENT_DEADLINE_EVERY_MS = 15 * 60_000;

export async function reConsentWorker(c: Container): Promise<Worker> {
  await c.queues.reconsent.upsertJobScheduler('re-consent:deadline', { every: RE_CONSENT_DEADLINE_EVERY_MS }, { name: ReConsentJobs.deadline, data: {} });
  const handlers: Record<string, (job: Job) => Promise<unknown>> = {
    [ReConsentJobs.fanout]: (job: Job<ReConsentFanoutJob>) => c.reConsent.fanOut(job.data.campaignId, job.data.kind),
    [ReConsentJobs.send]: (job: Job<ReConsentSendJob>) => c.reConsent.sendBatch(job.data),
    [ReConsentJobs.deadline]: () => c.reConsent.lapseDue(),
  };
  return new Worker(
    QueueNames.reconsent,
    async (job) => {
      const handle = handlers[job.name];
      if (!handle) throw new UnrecoverableError(`no handler for re-consent job "${job.name}"`);
      return handle(job);
    },
    { connection: c.redis, prefix: c.config.queuePrefix, concurrency: 2 },
  );
}
