// Jobs of the `fanout` and `send` queues. Payloads carry ids only: the workers re-read the campaign,
// the subscriptions and the suppressions when they run. Job ids make enqueueing idempotent (BullMQ
// ignores an add whose id exists), so a restarted fan-out cannot queue a batch twice.
export const CampaignJobs = {
  fanout: 'fanout',
  sendBatch: 'send-batch',
} as const;

export interface FanoutJob {
  campaignId: string;
}

export interface SendBatchJob {
  campaignId: string;
  subscriberIds: string[];
}

// BullMQ refuses ':' in custom ids.
export const fanoutJobId = (campaignId: string) => `fanout-${campaignId}`;
export const sendBatchJobId = (campaignId: string, firstSubscriptionId: string) => `${campaignId}-${firstSubscriptionId}`;
