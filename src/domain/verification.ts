// Invariant 7: nothing about a person leaves before the requester proves control of the address.
// The proof is a signed `verify` link mailed to that address; its subject is the request id, so the
// link says nothing about who asked.
import type { LinkTokenSigner } from './link-token';
import type { MailLocale, RequesterMail } from './requester-mail';

export interface VerifiableRequest {
  id: string;
  number: string;
  email: string;
  subscriberId?: string;
  locale: MailLocale;
}

export class RequestVerification {
  constructor(
    private readonly deps: {
      signer: LinkTokenSigner;
      requesterMail: RequesterMail;
      settings: { publicBaseUrl: string; verifyTokenTtlMs: number };
      now: () => Date;
    },
  ) {}

  linkFor(requestId: string): string {
    const exp = Math.floor((this.deps.now().getTime() + this.deps.settings.verifyTokenTtlMs) / 1000);
    const token = this.deps.signer.sign({ purpose: 'verify', subject: requestId, exp });
    return `${this.deps.settings.publicBaseUrl}/r/${token}`;
  }

  async sendLink(request: VerifiableRequest): Promise<void> {
    await this.deps.requesterMail.send({
      to: request.email,
      subscriberId: request.subscriberId,
      locale: request.locale,
      template: 'verify-request',
      vars: { number: request.number, verifyUrl: this.linkFor(request.id), preheader: request.number },
    });
  }

  /** The request id a link proves; throws InvalidTokenError / ExpiredTokenError. */
  requestIdOf(token: unknown): string {
    return this.deps.signer.verify(token, 'verify').subject;
  }
}
