// Send: one job per batch of a campaign's recipients. A paused campaign's batch waits as a delayed
// job (resume releases it); temporary SMTP failures fail the job so BullMQ retries it with backoff.
import { DelayedError, Worker } from 'bullmq';
import type { Container } from '../src/container';
import { sendBatch, type SendDeps } from '../src/domain/campaigns/send-batch';
import { SendPacer } from '../src/mail/send-pacer';
import { campaignWorkerOptions, type SendBatchJob } from '../src/queues/campaign-jobs';
import { QueueNames } from '../src/queues/names';

// A paused batch looks again this often, in case the resume's release missed it.
const PAUSED_RECHECK_MS = 10_000;

export function sendWorker(c: Container): Worker {
  const deps: SendDeps = {
    models: c.models,
    mailer: c.mailer,
    listHeaders: c.listHeaders,
    suppressions: c.suppressions,
    ledger: c.ledger,
    withdrawals: c.withdrawals,
    now: () => c.clock.now(),
    pacer: new SendPacer(c.config.sendRatePerSec),
    settings: c.config,
  };
  return new Worker<SendBatchJob>(
    QueueNames.send,
    async (job, token) => {
      const outcome = await sendBatch(deps, job.data, {
        batchJobId: job.id!,
        runId: token!,
        finalAttempt: job.attemptsMade + 1 >= (job.opts.attempts ?? 1),
      });
      if (outcome.state === 'paused') {
        await job.moveToDelayed(Date.now() + PAUSED_RECHECK_MS, token);
        throw new DelayedError();
      }
      if (outcome.state === 'retry') throw new Error(`${outcome.temporaryFailures} temporary SMTP failures; the batch will be retried`);
      return outcome;
    },
    // Two batches in flight: one reads its recipients while the other sends.
    campaignWorkerOptions(c),
  );
}
