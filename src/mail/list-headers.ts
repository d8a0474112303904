// The one builder of unsubscribe links and List-* headers (RFC 2369, RFC 8058). Every mail that
// goes to a subscriber takes its headers and footer links from here, so they can never disagree.
import type { LinkTokenSigner } from '../domain/link-token';

export interface UnsubscribeTarget {
  subscriberId: string;
  /** The list the mail was sent for; omitted means "every list". */
  list?: string;
  /** The subscription to that list, when the sender knows it (a newsletter's send batch does). */
  subscriptionId?: string;
  campaignId?: string;
}

export interface ListLinks {
  token: string;
  unsubscribeUrl: string;
  mailto: string;
  headers: Record<string, string>;
  /** The VERP envelope sender for this recipient (see returnPath). */
  returnPath: string;
}

export interface ListHeaderSettings {
  publicBaseUrl: string;
  mailDomain: string;
  mailboxAddress: string;
  unsubscribeMailtoLocal: string;
  /** BOUNCE_ADDRESS_LOCAL; `bounces` when not given. */
  bounceAddressLocal?: string;
}

export class ListHeaderBuilder {
  constructor(private readonly deps: { signer: LinkTokenSigner; settings: ListHeaderSettings }) {}

  unsubscribeToken(target: UnsubscribeTarget): string {
    return this.deps.signer.sign({
      purpose: 'unsubscribe',
      subject: target.subscriberId,
      list: target.list,
      campaign: target.campaignId,
      subscription: target.list ? target.subscriptionId : undefined,
    });
  }

  build(target: UnsubscribeTarget): ListLinks {
    const { settings } = this.deps;
    const token = this.unsubscribeToken(target);
    const unsubscribeUrl = `${settings.publicBaseUrl}/u/${token}`;
    // The mailbox poller recognises unsubscribe+TOKEN@ as an unsubscribe whatever the body says.
    const mailboxDomain = settings.mailboxAddress.split('@')[1];
    const mailto = `mailto:${settings.unsubscribeMailtoLocal}+${token}@${mailboxDomain}?subject=unsubscribe`;
    const headers: Record<string, string> = {
      'List-Unsubscribe': `<${unsubscribeUrl}>, <${mailto}>`,
      'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
    };
    if (target.list) headers['List-Id'] = `<${target.list}.${settings.mailDomain}>`;
    return { token, unsubscribeUrl, mailto, headers, returnPath: this.returnPath(target) };
  }

  /**
   * The VERP envelope sender of one mail: a bounce to it names the subscriber (and campaign) by a
   * signed token, so the poller can prove the bounce is about a mail we sent to that person.
   */
  returnPath(target: { subscriberId: string; campaignId?: string }): string {
    const { settings, signer } = this.deps;
    const token = signer.signBounce({ subscriber: target.subscriberId, campaign: target.campaignId });
    return `${settings.bounceAddressLocal ?? 'bounces'}+${token}@${settings.mailboxAddress.split('@')[1]}`;
  }

  /** The preferences link of a newsletter footer: the unsubscribe page for every list shows each list's state. */
  preferencesUrl(target: Omit<UnsubscribeTarget, 'list'>): string {
    return `${this.deps.settings.publicBaseUrl}/u/${this.unsubscribeToken({ subscriberId: target.subscriberId, campaignId: target.campaignId })}`;
  }
}
