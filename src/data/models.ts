// Every model bound to one connection; the composition root builds this once.
import type { Connection } from 'mongoose';
import { auditEntryModel } from './audit-entry.model';
import { campaignFeedbackModel } from './campaign-feedback.model';
import { campaignStateModel } from './campaign-state.model';
import { campaignTallyModel } from './campaign-tally.model';
import { campaignModel } from './campaign.model';
import { claimModel } from './claim.model';
import { consentEventModel } from './consent-event.model';
import { dataSubjectRequestModel } from './data-subject-request.model';
import { deliveryOutcomeModel } from './delivery-outcome.model';
import { deliveryModel } from './delivery.model';
import { finishedBatchModel } from './finished-batch.model';
import { importModel } from './import.model';
import { inboundMessageModel } from './inbound-message.model';
import { ledgerAnchorLeavesModel } from './ledger-anchor-leaves.model';
import { ledgerAnchorModel } from './ledger-anchor.model';
import { listModel } from './list.model';
import { optOutModel } from './opt-out.model';
import { policyVersionModel } from './policy-version.model';
import { reConsentCampaignModel } from './re-consent-campaign.model';
import { reConsentMailModel } from './re-consent-mail.model';
import { retentionRunModel } from './retention-run.model';
import { staffModel } from './staff.model';
import { subscriberModel } from './subscriber.model';
import { subscriptionModel } from './subscription.model';
import { suppressionModel } from './suppression.model';

export function createModels(conn: Connection) {
  return {
    auditEntries: auditEntryModel(conn),
    campaigns: campaignModel(conn),
    campaignFeedback: campaignFeedbackModel(conn),
    campaignStates: campaignStateModel(conn),
    campaignTallies: campaignTallyModel(conn),
    claims: claimModel(conn),
    consentEvents: consentEventModel(conn),
    requests: dataSubjectRequestModel(conn),
    deliveries: deliveryModel(conn),
    deliveryOutcomes: deliveryOutcomeModel(conn),
    finishedBatches: finishedBatchModel(conn),
    imports: importModel(conn),
    inboundMessages: inboundMessageModel(conn),
    ledgerAnchors: ledgerAnchorModel(conn),
    ledgerAnchorLeaves: ledgerAnchorLeavesModel(conn),
    lists: listModel(conn),
    optOuts: optOutModel(conn),
    policyVersions: policyVersionModel(conn),
    reConsentCampaigns: reConsentCampaignModel(conn),
    reConsentMails: reConsentMailModel(conn),
    retentionRuns: retentionRunModel(conn),
    staff: staffModel(conn),
    subscribers: subscriberModel(conn),
    subscriptions: subscriptionModel(conn),
    suppressions: suppressionModel(conn),
  };
}

export type Models = ReturnType<typeof createModels>;

/** Builds every index (idempotent); run at start so unique guarantees hold before the first write. */
export async function syncIndexes(models: Models): Promise<void> {
  for (const model of Object.values(models)) await model.createIndexes();
}
