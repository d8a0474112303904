// The consent ledger's daily anchor (src/domain/consent/ledger-anchor.ts) on a BullMQ job scheduler,
// upserted at start. Late in the UTC day, so a day's anchor covers that day's events; a failed run
// retries (the day's claim and the unique date keep it to one anchor).
import { Worker } from 'bullmq';
import type { Container } from '../src/container';
import { QueueNames } from '../src/queues/names';

export const LEDGER_ANCHOR_SCHEDULER = 'ledger-anchor';
export const LEDGER_ANCHOR_SCHEDULE = { pattern: '45 23 * * *', tz: 'UTC' };

export async function ledgerAnchorWorker(c: Container): Promise<Worker> {
  await c.queues.ledgerAnchor.upsertJobScheduler(LEDGER_ANCHOR_SCHEDULER, LEDGER_ANCHOR_SCHEDULE, { name: 'anchor', data: {} });
  return new Worker(
    QueueNames.ledgerAnchor,
    async () => {
      const run = await c.ledgerAnchors.anchor();
      return { status: run.status, date: run.anchor?.date, root: run.anchor?.root, count: run.anchor?.count, broken: run.broken.length };
    },
    { connection: c.redis, prefix: c.config.queuePrefix, concurrency: 1 },
  );
}
