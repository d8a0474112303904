// Ledger reconciliation (src/domain/consent/ledger-reconciliation.ts) on a BullMQ job scheduler, upserted at
// start like the retention sweeps. `every` runs it once at start too, which is also what backfills
// the opt-out records of data older than them.
import { Worker } from 'bullmq';
import type { Container } from '../src/container';
import { QueueNames } from '../src/queues/names';

export const RECONCILIATION_SCHEDULER = 'ledger-reconciliation';
// Often enough that a crash's gap closes within the hour; it reads every subscription once.
export const RECONCILIATION_EVERY_MS = 3_600_000;

export async function reconciliationWorker(c: Container): Promise<Worker> {
  await c.queues.reconciliation.upsertJobScheduler(RECONCILIATION_SCHEDULER, { every: RECONCILIATION_EVERY_MS }, { name: 'reconcile', data: {}, opts: { attempts: 1 } });
  return new Worker(QueueNames.reconciliation, () => c.reconciliation.run(), {
    connection: c.redis,
    prefix: c.config.queuePrefix,
    concurrency: 1,
  });
}
