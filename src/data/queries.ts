// Every collection's named queries (see named-query.ts), for the plans test to walk.
import type { NamedQuery } from './named-query';
import { consentEventQueries } from './consent-event.queries';
import { dataSubjectRequestQueries } from './data-subject-request.queries';
import { importQueries } from './import.queries';
import { listQueries } from './list.queries';
import { optOutQueries } from './opt-out.queries';
import { policyVersionQueries } from './policy-version.queries';
import { reConsentCampaignQueries } from './re-consent-campaign.queries';
import { reConsentMailQueries } from './re-consent-mail.queries';
import { subscriberQueries } from './subscriber.queries';
import { subscriptionQueries } from './subscription.queries';
import { suppressionQueries } from './suppression.queries';
import { campaignQueries } from './campaign.queries';
import { campaignStateQueries } from './campaign-state.queries';
import { deliveryQueries } from './delivery.queries';
import { deliveryOutcomeQueries } from './delivery-outcome.queries';
import { finishedBatchQueries } from './finished-batch.queries';
import { campaignFeedbackQueries } from './campaign-feedback.queries';
import { campaignTallyQueries } from './campaign-tally.queries';
import { inboundMessageQueries } from './inbound-message.queries';
import { claimQueries } from './claim.queries';
import { auditEntryQueries } from './audit-entry.queries';
import { staffQueries } from './staff.queries';
import { retentionRunQueries } from './retention-run.queries';
import { ledgerAnchorQueries } from './ledger-anchor.queries';
import { ledgerAnchorLeavesQueries } from './ledger-anchor-leaves.queries';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- each query has its own arguments
export type AnyNamedQuery = NamedQuery<any[], unknown>;

export const QUERIES: Record<string, Record<string, AnyNamedQuery>> = {
  suppressions: suppressionQueries,
  campaigns: campaignQueries,
  campaignStates: campaignStateQueries,
  deliveries: deliveryQueries,
  deliveryOutcomes: deliveryOutcomeQueries,
  finishedBatches: finishedBatchQueries,
  campaignFeedback: campaignFeedbackQueries,
  campaignTallies: campaignTallyQueries,
  inboundMessages: inboundMessageQueries,
  claims: claimQueries,
  auditEntries: auditEntryQueries,
  staff: staffQueries,
  retentionRuns: retentionRunQueries,
  ledgerAnchors: ledgerAnchorQueries,
  ledgerAnchorLeaves: ledgerAnchorLeavesQueries,
  subscribers: subscriberQueries,
  subscriptions: subscriptionQueries,
  consentEvents: consentEventQueries,
  optOuts: optOutQueries,
  lists: listQueries,
  policyVersions: policyVersionQueries,
  requests: dataSubjectRequestQueries,
  reConsentCampaigns: reConsentCampaignQueries,
  reConsentMails: reConsentMailQueries,
  imports: importQueries,
};
