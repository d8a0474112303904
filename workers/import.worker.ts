// Runs the imports the DPO queued from the console, one at a time (each already batches its writes).
// An import is not retried: a rerun of a file is safe but reports its own rows as already active, so
// a failed run stays failed in its record and the DPO uploads again.
import { UnrecoverableError, Worker, type Job } from 'bullmq';
import type { Container } from '../src/container';
import type { ImportJob } from '../src/domain/consent/import-runs';
import { AppError } from '../src/errors';
import { QueueNames } from '../src/queues/names';

export function importWorker(c: Container): Worker {
  return new Worker(
    QueueNames.import,
    async (job: Job<ImportJob>) => {
      try {
        await c.imports.run(job.data.importId);
      } catch (err) {
        if (err instanceof AppError) throw new UnrecoverableError(`${err.code}: ${err.message}`);
        throw err;
      }
    },
    { connection: c.redis, prefix: c.config.queuePrefix, concurrency: 1, lockDuration: c.config.jobLockDurationMs },
  );
}
