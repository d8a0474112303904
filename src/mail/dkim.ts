// DKIM signing (RFC 6376, rsa-sha256, relaxed/relaxed) of messages we assemble ourselves. The body
// hash is fed piece by piece, so a newsletter's static parts are canonicalized once per campaign.
import { createPrivateKey, createSign, type KeyObject } from 'node:crypto';
import { CRLF } from './mime-encoding';

export interface DkimKey {
  domainName: string;
  keySelector: string;
  privateKey: string;
}

/**
 * What a signature covers when the header is there: sender and recipient, subject and identity,
 * the List-* headers (RFC 8058 wants List-Unsubscribe-Post signed), and the MIME structure.
 */
export const DKIM_SIGNED_FIELDS = [
  'from',
  'to',
  'subject',
  'date',
  'message-id',
  'reply-to',
  'list-id',
  'list-unsubscribe',
  'list-unsubscribe-post',
  'feedback-id',
  'mime-version',
  'content-type',
] as const;

/**
 * Relaxed body canonicalization of complete CRLF-terminated lines: runs of SP/HTAB become one SP,
 * whitespace before a line end goes. Line by line, so pieces of a body canonicalize on their own
 * (empty lines at the very end are the caller's concern; our bodies end with a boundary line).
 */
export function relaxedBodyLines(lines: string): string {
  return lines.replace(/[ \t]+/g, ' ').replace(/ \r\n/g, CRLF);
}

export class DkimSigner {
  private readonly key: KeyObject;

  constructor(private readonly settings: DkimKey) {
    this.key = createPrivateKey(settings.privateKey);
  }

  /**
   * The DKIM-Signature header line (folded, with CRLF) for a message with these header lines
   * (each `Name: value` as written, folded, with its CRLF) and this base64 sha256 body hash.
   */
  sign(headerLines: string[], bodyHash: string): string {
    const byName = new Map<string, string>();
    // A field present twice: the signature covers the last instance (RFC 6376 5.4.2).
    for (const line of headerLines) byName.set(line.slice(0, line.indexOf(':')).trim().toLowerCase(), line);
    const fields = DKIM_SIGNED_FIELDS.filter((f) => byName.has(f));
    const head =
      `DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed; d=${this.settings.domainName};` +
      `${CRLF} s=${this.settings.keySelector}; q=dns/txt;${CRLF} bh=${bodyHash};${CRLF} h=${fields.join(':')};${CRLF} b=`;
    const signed = fields.map((f) => relaxedHeader(f, byName.get(f)!)).join('') + relaxedHeader('dkim-signature', head).slice(0, -2);
    const signature = createSign('RSA-SHA256').update(signed, 'latin1').sign(this.key, 'base64');
    return head + (signature.match(/.{1,72}/g) ?? []).join(CRLF + ' ') + CRLF;
  }
}

/** Relaxed header canonicalization: lower-case name, unfolded value, SP/HTAB runs as one SP, trimmed. */
function relaxedHeader(name: string, line: string): string {
  const value = line
    .slice(line.indexOf(':') + 1)
    .replace(/\r\n/g, '')
    .replace(/[ \t]+/g, ' ')
    .trim();
  return `${name}:${value}${CRLF}`;
}
