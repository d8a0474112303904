// Runs the sign-up requests the HTTP handlers accepted (POST /subscribe, POST /api/v1/subscriptions)
// and the asks for a fresh confirmation link (POST /resend-confirmation).
// Retried with backoff (the queue's defaults) when the database or Redis hiccups; input the domain
// refuses (a list made private meanwhile) fails at once and stays in the failed set for diagnosis.
import { UnrecoverableError, Worker, type Job } from 'bullmq';
import type { Container } from '../src/container';
import { AppError } from '../src/errors';
import { QueueNames } from '../src/queues/names';
import { SignupJobs, type ResendJob, type SignupJob } from '../src/queues/signup-jobs';

export function signupWorker(c: Container): Worker {
  return new Worker(
    QueueNames.signup,
    async (job: Job<SignupJob | ResendJob>) => {
      const { receivedAt: _receivedAt, ...input } = job.data;
      try {
        if (job.name === SignupJobs.resend) return await c.signup.resendConfirmation(input as Omit<ResendJob, 'receivedAt'>);
        return await c.signup.request(input as Omit<SignupJob, 'receivedAt'>);
      } catch (err) {
        if (err instanceof AppError) throw new UnrecoverableError(`${err.code}: ${err.message}`);
        throw err;
      }
    },
    { connection: c.redis, prefix: c.config.queuePrefix, concurrency: 10 },
  );
}
