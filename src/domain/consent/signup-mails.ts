// The two mails behind a sign-up, sent by the transactional worker. Each re-reads the records first:
// a job retried after the sign-up was confirmed, superseded or cancelled (one-click on the pending
// sign-up) sends nothing, which is what makes the job idempotent enough to retry.
import { Types } from 'mongoose';
import type { Models } from '../../data/models';
import type { EmailTemplates } from '../../mail/email-templates';
import type { ListHeaderBuilder } from '../../mail/list-headers';
import type { Mailer } from '../../mail/mailer';
import type { LinkTokenSigner } from '../link-token';
import type { Suppressions } from './suppressions';
import { days } from '../../i18n/plural';
import { quotedNames } from './specific-consent';
import { subscriberQueries } from '../../data/subscriber.queries';
import { subscriptionQueries } from '../../data/subscription.queries';
import { listQueries } from '../../data/list.queries';

export type SignupMailResult = 'sent' | 'skipped';

export interface SignupMailSettings {
  publicBaseUrl: string;
  confirmTokenTtlMs: number;
}

interface Deps {
  models: Models;
  suppressions: Suppressions;
  signer: LinkTokenSigner;
  listHeaders: ListHeaderBuilder;
  emails: EmailTemplates;
  mailer: Mailer;
  settings: SignupMailSettings;
}

const DAY_MS = 86_400_000;

export class SignupMails {
  constructor(private readonly deps: Deps) {}

  async sendConfirmation(subscriberId: string, ref: string): Promise<SignupMailResult> {
    const { models, signer, settings } = this.deps;
    const subscriber = await this.mailableSubscriber(subscriberId, { allowErasureTombstone: true });
    if (!subscriber) return 'skipped';
    const pending = await subscriptionQueries.pendingOfRequest(models, subscriber._id, ref).lean();
    if (pending.length === 0) return 'skipped';

    // Expiry counts from the request, so a retried job cannot stretch the link's life.
    const requestedAt = pending[0]!.requestedAt ?? new Date();
    const exp = Math.floor((requestedAt.getTime() + settings.confirmTokenTtlMs) / 1000);
    const token = signer.sign({ purpose: 'confirm', subject: subscriberId, ref, exp });
    const locale = subscriber.locale === 'en' ? 'en' : 'lv';
    const confirmUrl = `${settings.publicBaseUrl}/confirm/${token}${locale === 'en' ? '?lang=en' : ''}`;
    // One-click on this mail cancels exactly the pending sign-up it is about.
    const links = this.deps.listHeaders.build({ subscriberId, list: pending.length === 1 ? pending[0]!.list : undefined });
    await this.send(subscriber, 'confirm', links, {
      confirmUrl,
      validFor: days(Math.max(1, Math.round(settings.confirmTokenTtlMs / DAY_MS)), locale),
      lists: await this.listNames(pending.map((s) => s.list), locale),
    });
    return 'sent';
  }

  async sendAlreadySubscribed(subscriberId: string): Promise<SignupMailResult> {
    const subscriber = await this.mailableSubscriber(subscriberId, { allowErasureTombstone: false });
    if (!subscriber) return 'skipped';
    // The unsubscribe page for every list doubles as the place to manage them.
    const links = this.deps.listHeaders.build({ subscriberId });
    await this.send(subscriber, 'already-subscribed', links, { manageUrl: links.unsubscribeUrl });
    return 'sent';
  }

  /** Never a restricted (art. 18) or suppressed address; an erasure tombstone only for the fresh opt-in mail. */
  private async mailableSubscriber(subscriberId: string, opts: { allowErasureTombstone: boolean }) {
    if (!Types.ObjectId.isValid(subscriberId)) return undefined;
    const subscriber = await subscriberQueries.addresseeOf(this.deps.models, subscriberId).lean();
    if (!subscriber || subscriber.restricted) return undefined;
    const reason = await this.deps.suppressions.reasonFor(subscriber.emailHash);
    if (reason && !(reason === 'erasure' && opts.allowErasureTombstone)) return undefined;
    return subscriber;
  }

  private async listNames(slugs: string[], locale: 'lv' | 'en'): Promise<string> {
    const lists = await listQueries.namesOf(this.deps.models, slugs).lean();
    // Each list once, by its name in quotes: „e-Jaunumi”, „Ceļojumi ģimenēm”.
    return quotedNames(lists.map((l) => l.name?.[locale] ?? l.slug), locale);
  }

  private async send(
    subscriber: { email: string; locale?: string | null },
    template: string,
    links: { unsubscribeUrl: string; headers: Record<string, string>; returnPath?: string },
    vars: Record<string, unknown>,
  ): Promise<void> {
    const locale = subscriber.locale === 'en' ? 'en' : 'lv';
    const mail = await this.deps.emails.render(template, locale, { ...vars, unsubscribeUrl: links.unsubscribeUrl });
    await this.deps.mailer.send({ to: subscriber.email, subject: mail.subject, html: mail.html, text: mail.text, headers: links.headers, envelopeFrom: links.returnPath });
  }
}
