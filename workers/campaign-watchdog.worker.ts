// The campaign watchdog (src/domain/campaigns/campaign-watchdog.ts) on a BullMQ job scheduler, one run every
// JOB_LOCK_DURATION. The schedule itself lives in Redis and goes with a flush: this process looks for
// it as often and puts it back, so a lost schedule cannot silence the watchdog that handles lost jobs.
import { Worker } from 'bullmq';
import type { Container } from '../src/container';
import { CampaignWatchdog } from '../src/domain/campaigns/campaign-watchdog';
import { QueueNames } from '../src/queues/names';

export const CAMPAIGN_WATCHDOG_SCHEDULER = 'campaign-watchdog';

export async function campaignWatchdogWorker(c: Container): Promise<Worker> {
  const queue = c.queues[QueueNames.scheduler];
  const everyMs = Math.max(1000, c.config.jobLockDurationMs);
  const log = c.logger.child({ component: 'campaign-watchdog' });
  const watchdog = new CampaignWatchdog({
    models: c.models,
    queues: c.queues,
    redis: c.redis,
    audit: c.audit,
    logger: log,
    now: () => c.clock.now(),
    queuePrefix: c.config.queuePrefix,
    idleAfterMs: c.config.jobLockDurationMs,
  });
  const schedule = () =>
    queue.upsertJobScheduler(CAMPAIGN_WATCHDOG_SCHEDULER, { every: everyMs }, { name: CAMPAIGN_WATCHDOG_SCHEDULER, opts: { attempts: 1 } });
  await schedule();
  const keeper = setInterval(() => {
    queue
      .getJobScheduler(CAMPAIGN_WATCHDOG_SCHEDULER)
      .then((found) => (found ? undefined : schedule().then(() => log.warn('campaign watchdog schedule was missing; upserted again'))))
      .catch((err: Error) => log.warn({ err: err.message }, 'campaign watchdog schedule check failed'));
  }, everyMs);
  keeper.unref();
  const worker = new Worker(
    QueueNames.scheduler,
    async (job) => {
      if (job.name !== CAMPAIGN_WATCHDOG_SCHEDULER) return undefined;
      return watchdog.check();
    },
    { connection: c.redis, prefix: c.config.queuePrefix, concurrency: 1 },
  );
  worker.on('closing', () => clearInterval(keeper));
  return worker;
}
