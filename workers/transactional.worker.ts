// Sends transactional mails (sign-up confirmation, "already subscribed") queued by the HTTP handlers.
// One worker serves the whole queue and dispatches by job name: a second worker on the same queue
// would take jobs it cannot handle. Other transactional mails add their job name here.
import { UnrecoverableError, Worker, type Job } from 'bullmq';
import type { Container } from '../src/container';
import { QueueNames } from '../src/queues/names';
import { TransactionalJobs, type SignupAlreadySubscribedJob, type SignupConfirmJob } from '../src/queues/transactional-jobs';

export function transactionalWorker(c: Container): Worker {
  const handlers: Record<string, (job: Job) => Promise<unknown>> = {
    [TransactionalJobs.signupConfirm]: (job: Job<SignupConfirmJob>) => c.signupMails.sendConfirmation(job.data.subscriberId, job.data.ref),
    [TransactionalJobs.signupAlreadySubscribed]: (job: Job<SignupAlreadySubscribedJob>) => c.signupMails.sendAlreadySubscribed(job.data.subscriberId),
  };
  return new Worker(
    QueueNames.transactional,
    async (job) => {
      const handle = handlers[job.name];
      if (!handle) throw new UnrecoverableError(`no handler for transactional job "${job.name}"`);
      return handle(job);
    },
    { connection: c.redis, prefix: c.config.queuePrefix, concurrency: 10 },
  );
}
