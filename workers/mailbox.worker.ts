// Polls the impro@impro.lv mailbox (MAILBOX_URL: IMAP, or the development Maildir) on a BullMQ job
// scheduler (IMAP_POLL_INTERVAL), one poll at a time.
import { UnrecoverableError, Worker } from 'bullmq';
import type { Container } from '../src/container';
import { createMailboxPoller } from '../src/mailbox/create-poller';
import { QueueNames } from '../src/queues/names';

export const MAILBOX_POLL_SCHEDULER = 'mailbox-poll';

export async function mailboxWorker(c: Container): Promise<Worker> {
  const queue = c.queues[QueueNames.mailbox];
  // Without a mailbox nothing polls; a schedule left from an earlier configuration is removed.
  const poller = c.config.mailboxUrl ? createMailboxPoller(c) : undefined;
  if (poller) {
    await queue.upsertJobScheduler(MAILBOX_POLL_SCHEDULER, { every: c.config.imapPollIntervalMs }, { name: 'poll', opts: { attempts: 1 } });
  } else {
    await queue.removeJobScheduler(MAILBOX_POLL_SCHEDULER);
  }
  return new Worker(
    QueueNames.mailbox,
    async () => {
      if (!poller) throw new UnrecoverableError('MAILBOX_URL is not set');
      return poller.pollOnce();
    },
    { connection: c.redis, prefix: c.config.queuePrefix, concurrency: 1 },
  );
}
