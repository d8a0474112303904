// Jobs of the `fanout` and `send` queues. Payloads carry ids only: the workers re-read the campaign,
// the subscriptions and the suppressions when they run. Job ids make enqueueing idempotent (BullMQ
// ignores an add whose id exists), so a restarted fan-out cannot queue a batch twice.
import type { WorkerOptions } from 'bullmq';
import type { Container } from '../container';

export const CampaignJobs = {
  fanout: 'fanout',
  sendBatch: 'send-batch',
} as const;

export interface FanoutJob {
  campaignId: string;
}

/** One recipient of a batch: the subscription the fan-out found, and its subscriber. */
export type BatchRecipient = [subscriptionId: string, subscriberId: string];

export interface SendBatchJob {
  campaignId: string;
  recipients: BatchRecipient[];
}

// BullMQ refuses ':' in custom ids.
export const fanoutJobId = (campaignId: string) => `fanout-${campaignId}`;
export const sendBatchJobId = (campaignId: string, firstSubscriptionId: string) => `${campaignId}-${firstSubscriptionId}`;

/**
 * Worker options for campaign jobs, which are safe to re-run (fan-out continues from its checkpoint,
 * a batch re-claims): two jobs in flight, a configurable lock, and a job that stalls repeatedly is
 * re-run rather than given up.
 */
export function campaignWorkerOptions(c: Pick<Container, 'redis' | 'config'>): WorkerOptions {
  return {
    connection: c.redis,
    prefix: c.config.queuePrefix,
    concurrency: 2,
    lockDuration: c.config.jobLockDurationMs,
    stalledInterval: c.config.jobLockDurationMs,
    maxStalledCount: 10,
  };
}
