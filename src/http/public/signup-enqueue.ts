// Every sign-up the public pages accept (the form, the JSON API, re-joining a list from the
// preferences page) goes onto the `signup` queue the same way.
import type { Container } from '../../container';
import { resendJobOptions, SignupJobs, signupJobOptions, type ResendJob, type SignupJob } from '../../queues/signup-jobs';

export type EnqueueSignup = (job: Omit<SignupJob, 'receivedAt'>) => Promise<void>;

export function signupEnqueuer(c: Pick<Container, 'config' | 'queues' | 'clock'>): EnqueueSignup {
  return async (job) => {
    const data: SignupJob = { ...job, receivedAt: c.clock.now().toISOString() };
    await c.queues.signup.add(SignupJobs.request, data, signupJobOptions(data, c.config.emailHashKey));
  };
}

export type EnqueueResend = (job: Omit<ResendJob, 'receivedAt'>) => Promise<void>;

/** A fresh confirmation link asked for: on the same queue, so every address answers in the same time. */
export function resendEnqueuer(c: Pick<Container, 'config' | 'queues' | 'clock'>): EnqueueResend {
  return async (job) => {
    const data: ResendJob = { ...job, receivedAt: c.clock.now().toISOString() };
    await c.queues.signup.add(SignupJobs.resend, data, resendJobOptions(data, c.config.emailHashKey));
  };
}
