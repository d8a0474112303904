// Retention sweeps, one BullMQ job scheduler each, upserted at start so a changed schedule replaces
// the old one. Nightly at 03:15 Riga time, away from campaign sending.
import { UnrecoverableError, Worker } from 'bullmq';
import type { Container } from '../src/container';
import { isRetentionSweep, RETENTION_SWEEPS } from '../src/domain/retention';
import { QueueNames } from '../src/queues/names';

export const RETENTION_SCHEDULE = { pattern: '15 3 * * *', tz: 'Europe/Riga' };

export async function retentionWorker(c: Container): Promise<Worker> {
  for (const sweep of RETENTION_SWEEPS) {
    await c.queues.retention.upsertJobScheduler(`retention:${sweep}`, RETENTION_SCHEDULE, { name: sweep, data: {} });
  }
  return new Worker(
    QueueNames.retention,
    async (job) => {
      if (!isRetentionSweep(job.name)) throw new UnrecoverableError(`unknown retention sweep ${job.name}`);
      return c.retention.sweep(job.name);
    },
    {
      connection: c.redis,
      prefix: c.config.queuePrefix,
    },
  );
}
