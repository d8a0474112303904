// One recipient's newsletter: the personalised copy plus the headers every campaign mail carries —
// List-* from the one builder (the footer links come from the same token), a deterministic
// Message-ID on our domain, Feedback-ID for complaint loops, and ids (never addresses) that let a
// bounce or complaint be traced back to its campaign and subscriber.
import { randomUUID } from 'node:crypto';
import type { ListHeaderBuilder } from './list-headers';
import { headerSafe } from '../html';
import { personalise, type CompiledCampaign, type MergeVars } from './campaign-renderer';
import { DkimSigner, type DkimKey } from './dkim';
import type { OutgoingMail, RawMail } from './mailer';
import { encodeMailbox, encodeUnstructured, parseMailbox } from './mime-encoding';
import { CHECKS_WITH_NAME, MimeTemplate } from './mime-template';

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
  /** The subscriber's language: the footer speaks it alone, and the vocative applies only in lv. Absent (a test send to colleagues): both languages. */
  locale?: 'lv' | 'en';
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
  const { vars, mail } = recipientParts(deps, input);
  const copy = personalise(input.compiled, vars);
  return { ...mail, subject: input.test ? `[TEST] ${copy.subject}` : copy.subject, html: copy.html, text: copy.text };
}

export interface CompiledMailSettings extends CampaignMailSettings {
  mailFrom: string;
  dkim?: DkimKey;
}

/**
 * A campaign's mails compiled down to the MIME once (see mime-template.ts): each recipient's
 * message is a raw one, built by substitution and signed here. A recipient whose address cannot
 * go into a header as it is (non-ASCII), or a campaign the template cannot reproduce, gets the
 * composer's message instead.
 */
export function compileCampaignMail(
  deps: CampaignMailDeps & { settings: CompiledMailSettings },
  campaign: Omit<CampaignMailInput, 'recipient' | 'test'> & { english?: CompiledCampaign },
): (recipient: CampaignRecipient) => OutgoingMail | RawMail {
  const { english, ...latvian } = campaign;
  // The version a person gets: English for those whose stored language is English, when there is one.
  const versionFor = (locale: CampaignRecipient['locale']): CompiledCampaign => (locale === 'en' && english ? english : latvian.compiled);
  const from = parseMailbox(deps.settings.mailFrom);
  const dkim = deps.settings.dkim ? new DkimSigner(deps.settings.dkim) : undefined;
  // Without a name the renderer closes up the greeting around the field ("Labdien!"), which is not
  // a substitution: people with and without a name get a template each.
  // The footer follows the recipient's language, and so does the version (subject, preheader, body)
  // when the campaign has an English one: a template per language, each compiled when first needed
  // (a campaign to one language's people compiles only that one).
  const templates = new Map<string, MimeTemplate | undefined>();
  const templateFor = (locale: CampaignRecipient['locale'], named: boolean): MimeTemplate | undefined => {
    const key = `${locale ?? 'both'}:${named}`;
    if (!templates.has(key)) {
      const inLocale: typeof personalise = (c, vars) => personalise(c, { ...vars, locale, ...(named ? {} : { name: '' }) });
      templates.set(key, MimeTemplate.compile(versionFor(locale), inLocale, dkim, named ? CHECKS_WITH_NAME : undefined));
    }
    return templates.get(key);
  };
  return (recipient) => {
    const compiled = versionFor(recipient.locale);
    const input = { ...latvian, compiled, recipient };
    const template = templateFor(recipient.locale, recipient.name.trim() !== '');
    if (!template || !from || !PLAIN_ADDRESS.test(recipient.email)) return campaignMail(deps, input);
    const { vars, mail } = recipientParts(deps, input);
    // Our own headers: ASCII, made by the list-header builder and from ids.
    const headers: Array<[string, string]> = Object.entries(mail.headers).map(([name, value]) => [name, headerSafe(value)]);
    headers.push(
      ['From', encodeMailbox(from.address, from.name)],
      ['To', mail.to],
      ['Reply-To', mail.replyTo],
      ['Subject', encodeUnstructured(personalise({ subject: compiled.subject, html: '', text: '' }, vars).subject)],
      ['Message-ID', mail.messageId],
      ['Date', rfc5322Date(new Date())],
    );
    return { raw: template.render(vars, headers), envelope: { from: mail.envelopeFrom, to: mail.to }, messageId: mail.messageId };
  };
}

// An address that can be written into To and given to SMTP as it is.
const PLAIN_ADDRESS = /^[A-Za-z0-9!#$%&'*+\-/=?^_`{|}~.]+@[A-Za-z0-9.\-]+$/;

/** Everything of one recipient's mail but the bodies and the subject: links, ids, headers. */
function recipientParts(deps: CampaignMailDeps, input: CampaignMailInput) {
  const { campaignId, list, recipient } = input;
  const links = deps.listHeaders.build({ subscriberId: recipient.subscriberId, subscriptionId: recipient.subscriptionId, list, campaignId });
  const vars: MergeVars = {
    locale: recipient.locale,
    name: recipient.name,
    unsubscribeUrl: links.unsubscribeUrl,
    preferencesUrl: deps.listHeaders.preferencesUrl({ subscriberId: recipient.subscriberId, campaignId }),
  };
  const domain = deps.settings.mailDomain;
  const headers: Record<string, string> = {
    ...links.headers,
    'Feedback-ID': `${campaignId}:${list}:ejaunumi`,
    'X-Ejaunumi-Campaign': campaignId,
    'X-Ejaunumi-Subscriber': recipient.subscriberId,
  };
  if (input.test) headers['X-Ejaunumi-Test'] = '1';
  const mail = {
    to: recipient.email,
    headers,
    replyTo: deps.settings.mailboxAddress,
    envelopeFrom: links.returnPath,
    // Deterministic for real sends, so a receiving server can recognise a copy it already has.
    messageId: input.test ? `<test.${campaignId}.${randomUUID()}@${domain}>` : `<${campaignId}.${recipient.subscriberId}@${domain}>`,
  };
  return { vars, mail };
}

/** `Tue, 01 Dec 2026 14:55:31 +0000`, as Nodemailer writes it. */
function rfc5322Date(date: Date): string {
  return date.toUTCString().replace(/GMT$/, '+0000');
}
