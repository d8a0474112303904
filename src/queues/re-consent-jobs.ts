// Jobs of the `re-consent` queue (src/domain/consent/re-consent.ts). Payloads carry ids only; job ids
// make enqueueing idempotent, so a restarted fan-out cannot queue a batch twice.
import type { ReConsentMailKind } from '../data/re-consent-mail.model';

export const ReConsentJobs = {
  fanout: 're-consent-fanout',
  send: 're-consent-send',
  deadline: 're-consent-deadline',
} as const;

export interface ReConsentFanoutJob {
  campaignId: string;
  kind: ReConsentMailKind;
}

export interface ReConsentSendJob {
  campaignId: string;
  kind: ReConsentMailKind;
  subscriberIds: string[];
}

// BullMQ refuses ':' in custom ids.
export const reConsentFanoutJobId = (campaignId: string, kind: ReConsentMailKind) => `${ReConsentJobs.fanout}-${campaignId}-${kind}`;
export const reConsentSendJobId = (campaignId: string, kind: ReConsentMailKind, firstSubscriptionId: string) =>
  `${ReConsentJobs.send}-${campaignId}-${kind}-${firstSubscriptionId}`;
