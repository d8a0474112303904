// The `signup` queue: the HTTP handlers validate what needs no database and enqueue; the worker runs
// the double opt-in start (src/domain/consent/signup.ts). Every sign-up then answers in the same time
// whatever the address's state (invariant 6): the lookups that differ happen here, later.
//
// Unlike other jobs this one carries personal data (the form as sent): the person has not been
// written anywhere yet. Erasure removes such jobs like transactional ones.
import { createHmac, randomBytes } from 'node:crypto';
import type { JobsOptions } from 'bullmq';
import type { ResendInput, SignupInput } from '../domain/consent/signup';

export const SignupJobs = {
  request: 'signup-request',
  // "Send me a fresh link" from the page of an expired confirmation link.
  resend: 'signup-resend',
} as const;

/** The form as the person sent it (SignupInput), and when it arrived. */
export interface SignupJob extends SignupInput {
  /** When the request arrived (ISO), for the logs of a job that waited. */
  receivedAt: string;
}

/**
 * A unique job id, and a deduplication id from a keyed hash of what was asked: the same form sent
 * twice while the first is still waiting (a double click, a retrying client) runs once. The hash
 * keeps the address out of Redis keys.
 */
export function signupJobOptions(job: SignupJob, hashKey: string): JobsOptions {
  const asked = JSON.stringify([job.email.trim().toLowerCase(), [...(job.lists ?? [])].sort(), job.locale, job.channel, job.name ?? '']);
  return {
    jobId: `${SignupJobs.request}-${randomBytes(12).toString('base64url')}`,
    deduplication: { id: `signup-${createHmac('sha256', hashKey).update(asked).digest('base64url')}` },
  };
}

/** An address typed on the expired-link page (ResendInput), and when it arrived. */
export interface ResendJob extends ResendInput {
  receivedAt: string;
}

/** The same address asked for again while the first ask still waits runs once. */
export function resendJobOptions(job: ResendJob, hashKey: string): JobsOptions {
  return {
    jobId: `${SignupJobs.resend}-${randomBytes(12).toString('base64url')}`,
    deduplication: { id: `resend-${createHmac('sha256', hashKey).update(job.email.trim().toLowerCase()).digest('base64url')}` },
  };
}
