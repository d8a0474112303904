// What a classified inbound message does. Each effect is keyed and recorded on the inbound message
// after it ran, and is itself idempotent, so a poller killed anywhere between the first effect and
// the move to Processed applies nothing twice when it sees the message again. Nothing irreversible
// happens on the word of the message alone: a bounce or complaint acts only when proven to concern
// a mail we sent (report-proof.ts), and a request other than an unsubscribe waits for `/r/`.
import type { Models } from '../data/models';
import { claimQueries } from '../data/claim.queries';
import { inboundMessageQueries } from '../data/inbound-message.queries';
import { campaignQueries } from '../data/campaign.queries';
import { REQUEST_TYPES, type RequestType } from '../data/data-subject-request.model';
import type { SuppressionReason } from '../data/suppression.model';
import { claimOnce } from '../domain/claims';
import type { ConsentLedger } from '../domain/consent/consent-ledger';
import { recordCampaignFeedback } from '../domain/campaigns/campaign-feedback';
import type { ComplaintRateGuard } from '../domain/campaigns/complaint-rate-guard';
import { addressedTo } from '../domain/email-address';
import type { LinkTokenSigner } from '../domain/link-token';
import type { DataSubjectRequestService } from '../domain/requests/requests';
import type { SuppressOptions, SuppressionEvidence, Suppressions } from '../domain/consent/suppressions';
import type { UnsubscribeService } from '../domain/consent/unsubscribe';
import { headerSafe } from '../html';
import type { Logger } from '../logger';
import type { EmailTemplates } from '../mail/email-templates';
import type { ListHeaderBuilder } from '../mail/list-headers';
import type { Mailer } from '../mail/mailer';
import type { Classification } from './classification';
import { reasonNotToAnswer, topHeaders, type AckQuota, type OwnAddresses } from './loop-guard';
import { diagnosticOf } from './mail-origin';
import type { MatchedBy, ProvenTarget, ReportProof } from './report-proof';
import { subscriberQueries } from '../data/subscriber.queries';
import { dataSubjectRequestQueries } from '../data/data-subject-request.queries';

export type EffectOutcome = 'applied' | 'review' | 'ignored';

export interface EffectResult {
  outcome: EffectOutcome;
  /** Why a message went to review or was ignored: shown in the review queue. */
  note?: string;
  /** Bounces and complaints: how the report was proven to concern our mail. */
  matchedBy?: MatchedBy;
}

export interface InboundForEffects {
  id: string;
  raw: Buffer;
  classification: Classification;
  receivedAt: Date;
  /** Keys of the effects that already ran (a previous, interrupted attempt). */
  effectsDone: readonly string[];
  /** Who decided, when a person applied the kind from the review queue; the poller otherwise. */
  actor?: string;
}

export interface EffectSettings {
  emailHashKey: string;
  mailDomain: string;
  publicBaseUrl: string;
  softBounceLimit: number;
  softBounceWindowMs: number;
  /** How long a soft-bounce suppression lasts. */
  softBounceSuppressionMs: number;
  /** How long "this campaign already counted this address" is remembered. */
  campaignCountMemoryMs: number;
}

export interface EffectDeps {
  models: Models;
  unsubscribes: Pick<UnsubscribeService, 'unsubscribe'>;
  requests: Pick<DataSubjectRequestService, 'create'>;
  suppressions: Suppressions;
  ledger: ConsentLedger;
  signer: LinkTokenSigner;
  listHeaders: ListHeaderBuilder;
  emails: EmailTemplates;
  mailer: Mailer;
  ackQuota: AckQuota;
  own: OwnAddresses;
  proof: Pick<ReportProof, 'bounce' | 'complaint'>;
  complaintGuard: Pick<ComplaintRateGuard, 'check'>;
  settings: EffectSettings;
  now: () => Date;
  logger: Logger;
}

interface Subscriber {
  _id: { toString(): string };
  email: string;
  emailHash: string;
  locale?: string | null;
  restricted?: boolean | null;
}

export class MailboxEffects {
  constructor(private readonly deps: EffectDeps) {}

  async apply(message: InboundForEffects): Promise<EffectResult> {
    const kind = message.classification.kind;
    if (kind === 'unsubscribe') return this.unsubscribe(message);
    if (kind === 'bounce') return this.bounce(message);
    if (kind === 'complaint') return this.complaint(message);
    if ((REQUEST_TYPES as readonly string[]).includes(kind)) return this.request(message, kind as RequestType);
    if (kind === 'auto-reply') return { outcome: 'ignored', note: 'auto-reply: recorded, never answered' };
    return { outcome: 'review', note: message.classification.error ?? message.classification.reason ?? 'not understood' };
  }

  // --- unsubscribe -----------------------------------------------------------------------------

  private async unsubscribe(message: InboundForEffects): Promise<EffectResult> {
    const c = message.classification;
    // The List-Unsubscribe mailto token names the subscriber and list whatever the sender's address.
    const claims = c.unsubscribeToken ? this.tokenClaims(c.unsubscribeToken) : undefined;
    const subscriber = claims
      ? await subscriberQueries.byId(this.deps.models, claims.subject).lean<Subscriber>()
      : await this.subscriberByAddress(c.from);
    if (!subscriber) return { outcome: 'review', note: 'unsubscribe request from an address that is not subscribed' };

    await this.once(message, 'unsubscribe', () =>
      this.deps.unsubscribes.unsubscribe({
        subscriberId: String(subscriber._id),
        lists: claims?.list ? [claims.list] : 'all',
        subscriptionId: claims?.subscription,
        channel: 'mailbox',
        messageId: c.messageId,
        campaignId: claims?.campaign,
        receivedAt: message.receivedAt,
      }),
    );
    await this.once(message, 'ack', () => this.acknowledgeUnsubscribe(message, subscriber));
    return { outcome: 'applied' };
  }

  private tokenClaims(token: string) {
    try {
      return this.deps.signer.verify(token, 'unsubscribe');
    } catch {
      return undefined;
    }
  }

  private async acknowledgeUnsubscribe(message: InboundForEffects, subscriber: Subscriber): Promise<void> {
    const { deps } = this;
    const refusal = reasonNotToAnswer(topHeaders(message.raw), message.classification, deps.own);
    if (refusal) {
      deps.logger.info({ inbound: message.id, refusal }, 'unsubscribe not acknowledged');
      return;
    }
    // Invariant 2 and art. 18: suppressed or restricted people are never mailed, not even this.
    if (subscriber.restricted || (await deps.suppressions.isSuppressed(subscriber.emailHash))) return;
    // Claimed before sending: a crash after the claim loses one acknowledgement, never doubles it.
    if (!(await deps.ackQuota.claim(subscriber.emailHash))) return;
    const locale = replyLocale(message.classification.language, subscriber.locale);
    const links = deps.listHeaders.build({ subscriberId: String(subscriber._id) });
    const mail = await deps.emails.render('mailbox-ack-unsubscribe', locale, {
      unsubscribeUrl: links.unsubscribeUrl,
      subscribeUrl: `${deps.settings.publicBaseUrl}/subscribe${locale === 'en' ? '?lang=en' : ''}`,
    });
    const original = replyReference(message.classification.messageId);
    await deps.mailer.send({
      to: subscriber.email,
      ...mail,
      headers: {
        ...links.headers,
        // RFC 3834: marks our answer as automatic, so well-behaved responders do not answer it.
        'Auto-Submitted': 'auto-replied',
        ...(original ? { 'In-Reply-To': original, References: original } : {}),
      },
      envelopeFrom: links.returnPath,
    });
  }

  // --- bounces and complaints ------------------------------------------------------------------

  private async bounce(message: InboundForEffects): Promise<EffectResult> {
    const c = message.classification;
    const proof = await this.deps.proof.bounce(this.report(message));
    if ('refused' in proof) return { outcome: 'review', note: proof.refused };
    const target = proof.proven;
    const diagnostic = diagnosticOf(message.raw) ?? c.reason;
    const detail = [c.status, diagnostic].filter(Boolean).join(' ').slice(0, 500);
    const evidence = { inboundMessageId: message.id, status: c.status, diagnostic: diagnostic?.slice(0, 300), matchedBy: target.matchedBy };

    if (c.permanent) {
      await this.once(message, 'suppress', () => this.suppress(target, 'hard-bounce', detail, c.messageId, { evidence }));
      if (target.campaignId) await this.once(message, 'campaign-count', () => this.countOnCampaign(target.campaignId!, target.hash, 'bounced'));
      return { outcome: 'applied', matchedBy: target.matchedBy };
    }
    await this.once(message, 'soft-bounce', () => this.countSoftBounce(message, target, detail, evidence));
    return { outcome: 'applied', matchedBy: target.matchedBy };
  }

  /** Soft bounces are records (claims that expire with the window), counted, never a racy counter. */
  private async countSoftBounce(message: InboundForEffects, target: ProvenTarget, detail: string, evidence: SuppressionEvidence): Promise<void> {
    const { models, settings, now } = this.deps;
    const at = now();
    if (target.campaignId) await recordCampaignFeedback(models, target.campaignId, 'soft-bounce', target.hash, at);
    await claimOnce(models, `soft-bounce:${target.hash}:${message.id}`, new Date(at.getTime() + settings.softBounceWindowMs));
    const recent = await claimQueries.countSoftBounces(models, target.hash, at);
    if (recent >= settings.softBounceLimit) {
      await this.suppress(target, 'soft-bounce', `${recent} soft bounces, last: ${detail}`.trim(), message.classification.messageId, {
        evidence,
        expiresAt: new Date(at.getTime() + settings.softBounceSuppressionMs),
      });
    }
  }

  private async complaint(message: InboundForEffects): Promise<EffectResult> {
    const c = message.classification;
    const feedbackType = (c.feedbackType ?? 'abuse').toLowerCase();
    // ARF: only abuse reports act; fraud, virus, not-spam and the rest are recorded.
    if (feedbackType !== 'abuse') return { outcome: 'ignored', note: `feedback type ${feedbackType}: recorded only` };
    const proof = await this.deps.proof.complaint(this.report(message));
    if ('refused' in proof) return { outcome: 'review', note: proof.refused };
    const target = proof.proven;

    if (target.subscriberId) {
      await this.once(message, 'unsubscribe', () =>
        this.deps.unsubscribes.unsubscribe({
          subscriberId: target.subscriberId!,
          lists: 'all',
          channel: 'complaint',
          messageId: c.messageId,
          campaignId: target.campaignId,
          receivedAt: message.receivedAt,
        }),
      );
    }
    const evidence = { inboundMessageId: message.id, diagnostic: feedbackType, matchedBy: target.matchedBy };
    await this.once(message, 'suppress', () => this.suppress(target, 'complaint', feedbackType, c.messageId, { evidence }));
    if (target.campaignId) {
      const campaignId = target.campaignId;
      await this.once(message, 'campaign-count', () => this.countOnCampaign(campaignId, target.hash, 'complained'));
      await this.deps.complaintGuard.check(campaignId);
    }
    return { outcome: 'applied', matchedBy: target.matchedBy };
  }

  private report(message: InboundForEffects) {
    return { raw: message.raw, headers: topHeaders(message.raw), classification: message.classification };
  }

  /** Suppresses, and writes a ledger event only when this call made the change (re-runs stay silent). */
  private async suppress(target: ProvenTarget, reason: SuppressionReason, detail: string, messageId: string | undefined, opts: SuppressOptions): Promise<void> {
    const { suppressions, models, ledger } = this.deps;
    if (!(await suppressions.suppress(target.hash, reason, detail, target.campaignId, opts))) return;
    const subscriber = target.subscriberId ? { _id: target.subscriberId } : await subscriberQueries.refOfHash(models, target.hash).lean();
    await ledger.record({
      subscriberId: subscriber?._id,
      emailHash: target.hash,
      type: 'suppressed',
      channel: reason === 'complaint' ? 'complaint' : 'bounce',
      campaignId: target.campaignId,
      messageId,
      note: `${reason}: ${detail} (matched by ${target.matchedBy})`.slice(0, 500),
    });
  }

  /** Each address counts once per campaign: the claim decides, the increment follows. */
  private async countOnCampaign(campaignId: string, hash: string, counter: 'bounced' | 'complained'): Promise<void> {
    const { models, settings, now } = this.deps;
    await recordCampaignFeedback(models, campaignId, counter === 'bounced' ? 'hard-bounce' : 'complaint', hash, now());
    const first = await claimOnce(models, `campaign-${counter}:${campaignId}:${hash}`, new Date(now().getTime() + settings.campaignCountMemoryMs));
    if (first) await campaignQueries.countFeedback(models, campaignId, counter);
  }

  // --- data-subject requests -------------------------------------------------------------------

  /** A request record only; the request service asks the sender to verify before anything is disclosed, deleted, restricted or withdrawn. */
  private async request(message: InboundForEffects, type: RequestType): Promise<EffectResult> {
    const c = message.classification;
    const sender = this.addressed(c.from);
    if (!sender || this.deps.own.has(sender.email)) return { outcome: 'review', note: `${type} request without a usable sender address` };
    await this.once(message, 'request', async () => {
      // Not the effects list alone: a crash right after create() must not open a second request.
      if (await dataSubjectRequestQueries.fromMessage(this.deps.models, message.id)) return;
      await this.deps.requests.create({
        type,
        // A From header proves nothing: every request by mail waits for the `/r/` verification.
        verifyFirst: true,
        email: sender.email,
        channel: 'mailbox',
        note: c.subject ? `Subject: ${c.subject}`.slice(0, 500) : undefined,
        inboundMessageId: message.id,
        receivedAt: message.receivedAt,
        locale: replyLocale(c.language, undefined),
        actor: message.actor,
      });
    });
    return { outcome: 'applied' };
  }

  // --- helpers ---------------------------------------------------------------------------------

  private async once(message: InboundForEffects, key: string, effect: () => Promise<unknown>): Promise<void> {
    if (message.effectsDone.includes(key)) return;
    await effect();
    await inboundMessageQueries.addEffect(this.deps.models, message.id, key);
  }

  private addressed(address: string | undefined) {
    return addressedTo(address, this.deps.settings.emailHashKey);
  }

  private async subscriberByAddress(address: string | undefined): Promise<Subscriber | null> {
    const sender = this.addressed(address);
    if (!sender) return null;
    return subscriberQueries.ofAddress(this.deps.models, sender.key).lean<Subscriber>();
  }
}

/** Latvian unless the person wrote in English; Russian writers get their subscription's language. */
function replyLocale(language: Classification['language'], subscriberLocale: string | null | undefined): 'lv' | 'en' {
  if (language === 'en' || language === 'lv') return language;
  return subscriberLocale === 'en' ? 'en' : 'lv';
}

function replyReference(messageId: string | undefined): string | undefined {
  const safe = headerSafe(messageId);
  return /^<[^<>\s]{1,250}>$/.test(safe) ? safe : undefined;
}
