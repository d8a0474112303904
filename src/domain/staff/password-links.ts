// One-time links that set a staff member's password: signed with the link keyring, valid for a day,
// and usable once (the link's nonce is claimed by a unique insert, atomic on FerretDB too).
import { randomBytes } from 'node:crypto';
import type { Models } from '../../data/models';
import { claimOnce } from '../claims';
import { UsedTokenError, type LinkTokenSigner } from '../link-token';

export interface PasswordLink {
  url: string;
  token: string;
  expiresAt: Date;
}

export class PasswordLinks {
  constructor(private readonly deps: { models: Models; signer: LinkTokenSigner; now: () => Date; settings: { publicBaseUrl: string; passwordLinkTtlMs: number } }) {}

  issue(staffId: string): PasswordLink {
    const expiresAt = new Date(this.deps.now().getTime() + this.deps.settings.passwordLinkTtlMs);
    const token = this.deps.signer.sign({
      purpose: 'staff-password',
      subject: staffId,
      ref: randomBytes(12).toString('base64url'),
      exp: Math.floor(expiresAt.getTime() / 1000),
    });
    // In the fragment: it never reaches a server log or a Referer header.
    return { url: `${this.deps.settings.publicBaseUrl}/admin/set-password#token=${token}`, token, expiresAt };
  }

  /** The staff id the token names; throws for a forged, expired or used one. */
  verify(token: unknown): { staffId: string; ref: string; exp: number } {
    const claims = this.deps.signer.verify(token, 'staff-password');
    return { staffId: claims.subject, ref: claims.ref ?? '', exp: claims.exp ?? 0 };
  }

  /** Marks the link used; throws UsedTokenError if it already was. */
  async consume(link: { ref: string; exp: number }): Promise<void> {
    const first = await claimOnce(this.deps.models, `staff-password:${link.ref}`, new Date(link.exp * 1000));
    if (!first) throw new UsedTokenError();
  }
}
