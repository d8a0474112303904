// Proof that a bounce or complaint concerns a mail we sent to that recipient, before anything
// irreversible happens (invariant 10). Anyone can write "550 5.1.1 user unknown victim@…" into a
// mail to impro@impro.lv; only we can mint a VERP token, and only our sends leave delivery records.
import { Types } from 'mongoose';
import type { Models } from '../data/models';
import { deliveryQueries } from '../data/delivery.queries';
import { addressedTo } from '../domain/email-address';
import type { LinkTokenSigner } from '../domain/link-token';
import type { Classification, HeaderList } from './classification';
import { feedbackLoopRefusal, returnedIdsOf, verpTokensOf, type FeedbackLoopSettings } from './mail-origin';
import { subscriberQueries } from '../data/subscriber.queries';

/** The last resort for a bounce without our token or ids: a delivery to the address this recently. */
export const RECENT_DELIVERY_MS = 30 * 86_400_000;

export type MatchedBy = 'verp' | 'message-id' | 'recent-delivery' | 'feedback-loop';

export interface ProvenTarget {
  email?: string;
  hash: string;
  subscriberId?: string;
  campaignId?: string;
  matchedBy: MatchedBy;
}

export type Proof = { proven: ProvenTarget } | { refused: string };

export interface ReportProofSettings extends FeedbackLoopSettings {
  emailHashKey: string;
  mailDomain: string;
  mailboxAddress: string;
  bounceAddressLocal: string;
}

interface SubscriberRef {
  _id: Types.ObjectId;
  email: string;
  emailHash: string;
}

export interface ReportInput {
  raw: Buffer;
  headers: HeaderList;
  classification: Classification;
}

export class ReportProof {
  constructor(private readonly deps: { models: Models; signer: Pick<LinkTokenSigner, 'verifyBounce'>; settings: ReportProofSettings; now: () => Date }) {}

  async bounce(report: ReportInput): Promise<Proof> {
    const byOurs = await this.byVerpOrIds(report, true);
    if (byOurs) return byOurs;
    const recipient = this.addressed(report.classification.recipient);
    if (!recipient) return { refused: 'bounce without a recognisable recipient and without our VERP token or Message-ID' };
    const subscriber = await subscriberQueries.refOfAddress(this.deps.models, recipient.key).lean<SubscriberRef>();
    const since = new Date(this.deps.now().getTime() - RECENT_DELIVERY_MS);
    if (subscriber && (await deliveryQueries.recentTo(this.deps.models, subscriber._id, since))) {
      return { proven: { email: subscriber.email, hash: subscriber.emailHash, subscriberId: String(subscriber._id), campaignId: this.campaignNamed(report), matchedBy: 'recent-delivery' } };
    }
    return { refused: `bounce not proven to concern our mail: no VERP token, no Message-ID of ours, no delivery to ${recipient.email} in 30 days` };
  }

  async complaint(report: ReportInput): Promise<Proof> {
    const byOurs = await this.byVerpOrIds(report, false);
    if (byOurs) return byOurs;
    const refusal = feedbackLoopRefusal(report.headers, report.classification.from, this.deps.settings);
    if (refusal) return { refused: `complaint not proven to concern our mail: ${refusal}; no VERP token or Message-ID of ours` };
    const recipient = this.addressed(report.classification.recipient);
    if (!recipient) return { refused: 'complaint from a feedback loop without a recognisable recipient' };
    const subscriber = await subscriberQueries.refOfAddress(this.deps.models, recipient.key).lean<{ _id: Types.ObjectId }>();
    return {
      proven: { email: recipient.email, hash: recipient.hash, subscriberId: subscriber ? String(subscriber._id) : undefined, campaignId: this.campaignNamed(report), matchedBy: 'feedback-loop' },
    };
  }

  /** The campaign the returned part names (X-Ejaunumi-Campaign, Feedback-ID): only counted, once the report is believed. */
  private campaignNamed(report: ReportInput): string | undefined {
    return returnedIdsOf(report.raw, this.deps.settings.mailDomain).campaignId;
  }

  /**
   * A signed VERP token names the subscriber outright. Our ids in the returned part must match a
   * delivery we recorded, and the report's recipient (when it names one: complaints are often
   * redacted; a bounce always must) must be that subscriber's address.
   */
  private async byVerpOrIds(report: ReportInput, recipientRequired: boolean): Promise<Proof | undefined> {
    const { models, signer, settings } = this.deps;
    const mailboxDomain = settings.mailboxAddress.split('@')[1]!;
    for (const token of verpTokensOf(report.headers, report.raw, settings.bounceAddressLocal, mailboxDomain)) {
      const claims = signer.verifyBounce(token);
      if (!claims) continue;
      const subscriber = await subscriberQueries.addresseeOf(models, claims.subscriber).lean<SubscriberRef>();
      if (!subscriber) return { refused: 'our VERP token names a subscriber who no longer exists' };
      return { proven: { email: subscriber.email, hash: subscriber.emailHash, subscriberId: claims.subscriber, campaignId: claims.campaign, matchedBy: 'verp' } };
    }

    const ids = returnedIdsOf(report.raw, settings.mailDomain);
    if (!ids.campaignId || !ids.subscriberId) return undefined;
    const [campaignId, subscriberId] = [new Types.ObjectId(ids.campaignId), new Types.ObjectId(ids.subscriberId)];
    const [delivery, subscriber] = await Promise.all([
      deliveryQueries.isClaimed(models, campaignId, subscriberId),
      subscriberQueries.addresseeOf(models, subscriberId).lean<SubscriberRef>(),
    ]);
    if (!delivery || !subscriber) return undefined;
    const recipient = this.addressed(report.classification.recipient);
    if (recipient ? recipient.email !== subscriber.email : recipientRequired) return undefined;
    return { proven: { email: subscriber.email, hash: subscriber.emailHash, subscriberId: ids.subscriberId, campaignId: ids.campaignId, matchedBy: 'message-id' } };
  }

  private addressed(address: string | undefined) {
    return addressedTo(address, this.deps.settings.emailHashKey);
  }
}
