// Starts every worker of this process; each worker file is thin and calls one domain function.
import type { Worker } from 'bullmq';
import type { Container } from '../src/container';
import { campaignWatchdogWorker } from './campaign-watchdog.worker';
import { fanoutWorker } from './fanout.worker';
import { importWorker } from './import.worker';
import { ledgerAnchorWorker } from './ledger-anchor.worker';
import { mailboxWorker } from './mailbox.worker';
import { reConsentWorker } from './re-consent.worker';
import { reconciliationWorker } from './reconciliation.worker';
import { retentionWorker } from './retention.worker';
import { sendWorker } from './send.worker';
import { signupWorker } from './signup.worker';
import { transactionalWorker } from './transactional.worker';

export type WorkerFactory = (c: Container) => Worker | Promise<Worker>;

const factories: WorkerFactory[] = [signupWorker, mailboxWorker, transactionalWorker, retentionWorker, reconciliationWorker, fanoutWorker, sendWorker, campaignWatchdogWorker, reConsentWorker, importWorker, ledgerAnchorWorker];

export interface RunningWorkers {
  workers: Worker[];
  close(): Promise<void>;
}

export async function startWorkers(c: Container): Promise<RunningWorkers> {
  const log = c.logger.child({ component: 'workers' });
  const workers: Worker[] = [];
  for (const factory of factories) {
    const worker = await factory(c);
    worker.on('error', (err) => log.error({ err, queue: worker.name }, 'worker error'));
    worker.on('failed', (job, err) => log.warn({ queue: worker.name, jobId: job?.id, err: err.message }, 'job failed'));
    workers.push(worker);
  }
  return {
    workers,
    async close() {
      await Promise.all(workers.map((w) => w.close()));
    },
  };
}
