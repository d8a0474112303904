// One recipient's newsletter: the personalised copy plus the headers every campaign mail carries —
// List-* from the one builder (the footer links come from the same token), a deterministic
// Message-ID on our domain, Feedback-ID for complaint loops, and ids (never addresses) that let a
// bounce or complaint be traced back to its campaign and subscriber.
import { randomUUID } from 'node:crypto';
import type { ListHeaderBuilder } from './list-headers';
import type { OutgoingMail } from './mailer';
import { personalise, type CompiledCampaign } from './campaign-renderer';

export interface CampaignMailSettings {
  mailDomain: string;
  mailboxAddress: string;
}

export interface CampaignMailDeps {
  listHeaders: ListHeaderBuilder;
  settings: CampaignMailSettings;
}

export interface CampaignRecipient {
  subscriberId: string;
  /** Absent for a test send to colleagues. */
  subscriptionId?: string;
  email: string;
  name: string;
}

export interface CampaignMailInput {
  campaignId: string;
  list: string;
  compiled: CompiledCampaign;
  recipient: CampaignRecipient;
  /** A test send to colleagues: marked in subject and header, its own Message-ID, not counted. */
  test?: boolean;
}

export function campaignMail(deps: CampaignMailDeps, input: CampaignMailInput): OutgoingMail {
  const { campaignId, list, recipient } = input;
  const links = deps.listHeaders.build({ subscriberId: recipient.subscriberId, subscriptionId: recipient.subscriptionId, list, campaignId });
  const copy = personalise(input.compiled, {
    name: recipient.name,
    unsubscribeUrl: links.unsubscribeUrl,
    preferencesUrl: deps.listHeaders.preferencesUrl({ subscriberId: recipient.subscriberId, campaignId }),
  });
  const domain = deps.settings.mailDomain;
  const headers: Record<string, string> = {
    ...links.headers,
    'Feedback-ID': `${campaignId}:${list}:ejaunumi`,
    'X-Ejaunumi-Campaign': campaignId,
    'X-Ejaunumi-Subscriber': recipient.subscriberId,
  };
  if (input.test) headers['X-Ejaunumi-Test'] = '1';
  return {
    to: recipient.email,
    subject: input.test ? `[TEST] ${copy.subject}` : copy.subject,
    html: copy.html,
    text: copy.text,
    headers,
    replyTo: deps.settings.mailboxAddress,
    envelopeFrom: links.returnPath,
    // Deterministic for real sends, so a receiving server can recognise a copy it already has.
    messageId: input.test
      ? `<test.${campaignId}.${randomUUID()}@${domain}>`
      : `<${campaignId}.${recipient.subscriberId}@${domain}>`,
  };
}
