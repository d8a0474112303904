// GDPR art. 15: everything held about one address, as a readable summary in the mail body and a
// complete JSON attachment. Sent only to the verified address itself (invariant 7).
import { quotedNames } from '../consent/specific-consent';
import { ledgerForExport } from './access-export-ledger';
import type { Models } from '../../data/models';
import type { MailLocale, RequesterMail } from './requester-mail';

export interface ExportRequest {
  number: string;
  email: string;
  emailHash: string;
  locale: MailLocale;
}

const STATUS_WORDS: Record<MailLocale, Record<string, string>> = {
  lv: { pending: 'gaida apstiprinājumu', active: 'abonēts', unsubscribed: 'abonements atcelts' },
  en: { pending: 'waiting for confirmation', active: 'subscribed', unsubscribed: 'unsubscribed' },
};

// The summary speaks words, not codes: the JSON attachment keeps the codes.
const LANGUAGE_WORDS: Record<MailLocale, Record<string, string>> = {
  lv: { lv: 'latviešu', en: 'angļu' },
  en: { lv: 'Latvian', en: 'English' },
};

const SUPPRESSION_WORDS: Record<MailLocale, Record<string, string>> = {
  lv: {
    'hard-bounce': 'e-pasts uz adresi nav piegādājams',
    'soft-bounce': 'e-pasts atkārtoti nav piegādāts',
    complaint: 'ziņojums par nevēlamu e-pastu',
    manual: 'sūtīšana apturēta ar roku',
    erasure: 'dati dzēsti pēc jūsu pieprasījuma',
  },
  en: {
    'hard-bounce': 'mail to the address cannot be delivered',
    'soft-bounce': 'mail repeatedly not delivered',
    complaint: 'reported as unwanted mail',
    manual: 'sending stopped by hand',
    erasure: 'data erased at your request',
  },
};

const NONE: Record<MailLocale, string> = { lv: 'nav', en: 'none' };
const YES_NO: Record<MailLocale, [string, string]> = { lv: ['jā', 'nē'], en: ['yes', 'no'] };

export class AccessExport {
  constructor(private readonly deps: { models: Models; requesterMail: RequesterMail; now: () => Date }) {}

  /** Everything held about the address, keyed by where it is kept. */
  async collect(email: string, emailHash: string) {
    const { models } = this.deps;
    const subscriber = await models.subscribers.findOne({ emailHash }).lean();
    const subscriberId = subscriber?._id;
    const [subscriptions, consentEvents, claims, outcomes, requests, suppressions, inboundMessages] = await Promise.all([
      subscriberId ? models.subscriptions.find({ subscriberId }).sort({ _id: 1 }).lean() : [],
      models.consentEvents.find({ emailHash }).sort({ at: 1, _id: 1 }).lean(),
      subscriberId ? models.deliveries.find({ subscriberId }, { campaignId: 1, at: 1 }).lean() : [],
      subscriberId ? models.deliveryOutcomes.find({ subscriberId }, { campaignId: 1, status: 1, reason: 1, at: 1 }).lean() : [],
      models.requests.find({ emailHash }).sort({ receivedAt: 1 }).lean(),
      models.suppressions.find({ emailHash }).lean(),
      models.inboundMessages.find({ fromHash: emailHash }).sort({ receivedAt: 1 }).lean(),
    ]);
    // One entry per campaign: its outcome, or for a claim without one, ambiguous (outcome unknown).
    const outcomeOf = new Map(outcomes.map((o) => [String(o.campaignId), o]));
    const deliveries = [
      ...outcomes.map((o) => ({ campaignId: o.campaignId, at: o.at, outcome: o.status as string, reason: o.reason ?? undefined })),
      ...claims
        .filter((c) => !outcomeOf.has(String(c.campaignId)))
        .map((c) => ({ campaignId: c.campaignId, at: c.at, outcome: 'ambiguous', reason: undefined })),
    ].sort((a, b) => a.at.getTime() - b.at.getTime());
    const campaigns = await models.campaigns
      .find({ _id: { $in: deliveries.map((d) => d.campaignId) } }, { name: 1, subject: 1, list: 1 })
      .lean();
    const campaignById = new Map(campaigns.map((c) => [String(c._id), c]));
    const versions = [...new Set(consentEvents.map((e) => e.policyVersion).filter((v): v is number => typeof v === 'number'))];
    const policyVersions = await models.policyVersions.find({ version: { $in: versions } }, { version: 1, effectiveAt: 1, textHash: 1 }).lean();

    return {
      generatedAt: this.deps.now(),
      email,
      subscriber: subscriber
        ? { id: String(subscriber._id), email: subscriber.email, name: subscriber.name, locale: subscriber.locale, restricted: subscriber.restricted, createdAt: subscriber.createdAt, updatedAt: subscriber.updatedAt }
        : null,
      subscriptions: subscriptions.map((s) => ({
        list: s.list,
        status: s.status,
        requestedAt: s.requestedAt,
        confirmedAt: s.confirmedAt,
        unsubscribedAt: s.unsubscribedAt,
        policyVersion: s.policyVersion,
      })),
      consentEvents: consentEvents.map(({ _id, subscriberId: _s, emailHash: _h, ...event }) => ({ id: String(_id), ...event })),
      policyVersions: policyVersions.map((p) => ({ version: p.version, effectiveAt: p.effectiveAt, textHash: p.textHash })),
      deliveries: deliveries.map((d) => {
        const campaign = campaignById.get(String(d.campaignId));
        return { campaign: { id: String(d.campaignId), name: campaign?.name, subject: campaign?.subject, list: campaign?.list }, at: d.at, outcome: d.outcome, reason: d.reason };
      }),
      requests: requests.map((r) => ({
        number: r.number,
        type: r.type,
        channel: r.channel,
        status: r.status,
        receivedAt: r.receivedAt,
        dueAt: r.dueAt,
        verifiedAt: r.verifiedAt,
        closedAt: r.closedAt,
        actions: r.actions.map((a) => ({ at: a.at, action: a.action, note: a.note })),
      })),
      suppressions: suppressions.map((s) => ({ reason: s.reason, since: s.createdAt })),
      inboundMessages: inboundMessages.map((m) => ({
        messageId: m.messageId,
        subject: m.subject,
        receivedAt: m.receivedAt,
        kind: m.kind,
        outcome: m.outcome,
        raw: m.raw,
      })),
      ledger: await ledgerForExport(models, emailHash),
    };
  }

  async send(request: ExportRequest): Promise<void> {
    const data = await this.collect(request.email, request.emailHash);
    const locale = request.locale;
    const words = STATUS_WORDS[locale];
    const lists = await this.deps.models.lists.find({ slug: { $in: data.subscriptions.map((s) => s.list) } }, { slug: 1, name: 1 }).lean();
    const names = new Map(lists.map((l) => [l.slug, l.name?.[locale] ?? l.slug]));
    const subscriptionsText =
      data.subscriptions.map((s) => `${quotedNames([names.get(s.list) ?? s.list], locale)} — ${words[s.status] ?? s.status}`).join('; ') || NONE[locale];
    await this.deps.requesterMail.send({
      to: request.email,
      subscriberId: data.subscriber?.id,
      locale,
      template: 'access-export',
      vars: {
        number: request.number,
        email: request.email,
        name: data.subscriber?.name || NONE[locale],
        locale: data.subscriber?.locale ? (LANGUAGE_WORDS[locale][data.subscriber.locale] ?? data.subscriber.locale) : NONE[locale],
        restricted: YES_NO[locale][data.subscriber?.restricted ? 0 : 1],
        subscriptions: subscriptionsText,
        consentEvents: data.consentEvents.length,
        deliveries: data.deliveries.length,
        requests: data.requests.length,
        suppressions: data.suppressions.map((s) => SUPPRESSION_WORDS[locale][s.reason] ?? s.reason).join('; ') || NONE[locale],
        inboundMessages: data.inboundMessages.length,
        preheader: request.number,
      },
      attachments: [
        { filename: `e-jaunumi-${request.number}.json`, content: JSON.stringify(data, null, 2), contentType: 'application/json; charset=utf-8' },
      ],
    });
  }
}
