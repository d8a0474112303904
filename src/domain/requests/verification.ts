// Invariant 7: nothing about a person leaves before the requester proves control of the address.
// The proof is a signed `verify` link mailed to that address; its subject is the request id, so the
// link says nothing about who asked.
import { days } from '../../i18n/plural';
import type { Types } from 'mongoose';
import { crashPoint } from '../../crash-point';
import type { Models } from '../../data/models';
import { claimQueries } from '../../data/claim.queries';
import { claimOnce } from '../claims';
import type { LinkTokenSigner } from '../link-token';
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
      vars: { number: request.number, verifyUrl: this.linkFor(request.id), preheader: request.number, validFor: this.validFor(request.locale) },
    });
  }

  /** How long the link lasts, in days that agree with their number ("1 diena", "7 dienas"). */
  private validFor(locale: string | undefined): string {
    return days(Math.max(1, Math.round(this.deps.settings.verifyTokenTtlMs / 86_400_000)), locale === 'en' ? 'en' : 'lv');
  }

  /** The request id a link proves; throws InvalidTokenError / ExpiredTokenError. */
  requestIdOf(token: unknown): string {
    return this.deps.signer.verify(token, 'verify').subject;
  }
}

// The verification claim only needs to outlive a double click or a retried POST.
export const VERIFY_CLAIM_LIFETIME_MS = 30 * 86_400_000;
// A live verification records itself within milliseconds of its claim; one that has not after this
// long died in between, and the request must not stay stuck behind its claim.
export const VERIFY_TAKEOVER_GRACE_MS = 60_000;

export const verificationClaimKey = (requestId: Types.ObjectId | string) => `dsr-verified:${requestId}`;

/** When a verification claim was taken (claims keep only their expiry). */
export function claimedAt(claim: { expiresAt: Date }): number {
  return claim.expiresAt.getTime() - VERIFY_CLAIM_LIFETIME_MS;
}

/**
 * Decides which click verifies a request still awaiting verification: the first, by a unique claim;
 * or, when that claim is older than the grace and the request still awaits (its claimer died before
 * recording the verification), the first later click, by a second claim named after the first.
 */
export async function claimVerification(models: Models, requestId: Types.ObjectId | string, now: Date): Promise<boolean> {
  const key = verificationClaimKey(requestId);
  const expiresAt = new Date(now.getTime() + VERIFY_CLAIM_LIFETIME_MS);
  if (await claimOnce(models, key, expiresAt)) {
    crashPoint('verify:after-claim');
    return true;
  }
  const first = await claimQueries.byKey(models, key).lean();
  if (!first || claimedAt(first) > now.getTime() - VERIFY_TAKEOVER_GRACE_MS) return false;
  return claimOnce(models, `${key}:taken-over:${first._id}`, expiresAt);
}
