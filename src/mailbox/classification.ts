// The result of classifying one inbound message, and the parsed view of the message that the
// detectors (bounce, complaint, auto-reply, requests) read. The view is plain data so each
// detector stays pure and testable without mailparser.

import { scanAddresses } from './address-scan';
import { htmlToText } from './html-text';

export type MailKind =
  | 'unsubscribe'
  | 'access'
  | 'rectification'
  | 'erasure'
  | 'restriction'
  | 'withdrawal'
  | 'bounce'
  | 'complaint'
  | 'auto-reply'
  | 'other';

export type Language = 'lv' | 'en' | 'ru';

export interface Authentication {
  dkim?: string;
  spf?: string;
  dmarc?: string;
}

/** Below this a kind is not acted on: the message goes to Review for a person to decide. */
export const REVIEW_CONFIDENCE = 0.8;

export interface Classification {
  kind: MailKind;
  /** 0..1: clear cases are at or above REVIEW_CONFIDENCE, ambiguous ones below. */
  confidence: number;
  /** The phrase or field that decided the kind, as written (at most 200 characters). */
  evidence?: string;
  /** The person's own text (quotes left out) asks something. */
  asksQuestion?: boolean;
  /** In-Reply-To/References name one of our Message-IDs, or the quoted text carries our footer. */
  replyToOurMail?: boolean;
  /** Classification did not finish within its time budget (or its worker died). */
  timedOut?: boolean;
  /** Bounce: the address that failed; complaint: the subscriber who complained. */
  recipient?: string;
  /** Enhanced status code (RFC 3463), e.g. "5.1.1". */
  status?: string;
  /** The address itself is dead (unknown user or domain, moved, disabled). */
  permanent?: boolean;
  feedbackType?: string;
  language?: Language;
  messageId?: string;
  from?: string;
  subject?: string;
  inReplyTo?: string;
  autoSubmitted?: string;
  unsubscribeToken?: string;
  authentication?: Authentication;
  /** Short, human-readable why: which signal decided the kind. */
  reason?: string;
  error?: string;
}

export interface ClassifyOptions {
  /** Our own addresses (impro@impro.lv, the bounce address); never taken as a recipient. */
  ownAddresses?: string[];
  /** Domains of our Message-IDs; the domains of ownAddresses count too. */
  ourDomains?: string[];
  /** Maps the address a message was sent to onto a List-Unsubscribe token, or null. */
  unsubscribeTokenFromAddress?: (addr: string) => string | null;
}

/** Header fields in order of appearance; names lower-cased, values unfolded and decoded. */
export type HeaderList = Array<[name: string, value: string]>;

export interface MimePart {
  /** Lower-case media type, e.g. "message/delivery-status". */
  type: string;
  params: Record<string, string>;
  headers: HeaderList;
  /** Decoded body of text and message parts; empty for binary parts. */
  text: string;
  /** Multipart children, or the embedded message of a message/rfc822 part. */
  children: MimePart[];
}

export interface MailView {
  /** The whole message as text, for fallbacks when the MIME structure is broken. */
  raw: string;
  headers: HeaderList;
  root: MimePart;
  subject: string;
  /** Lower-cased address of the From header. */
  from?: string;
  /** Readable body text (text/plain, or text derived from HTML). */
  text: string;
}

export function headerValues(headers: HeaderList, name: string): string[] {
  const wanted = name.toLowerCase();
  return headers.filter(([n]) => n === wanted).map(([, v]) => v);
}

export function headerValue(headers: HeaderList, name: string): string | undefined {
  return headerValues(headers, name)[0];
}

/** Parses an RFC 5322 header block (also the field blocks of DSN and ARF reports). */
export function parseHeaderBlock(block: string): HeaderList {
  const out: HeaderList = [];
  for (const line of block.split(/\r?\n/)) {
    if (/^[ \t]/.test(line) && out.length > 0) {
      out[out.length - 1][1] += ' ' + line.trim();
      continue;
    }
    const m = /^([!-9;-~]+)[ \t]*:[ \t]*(.*)$/.exec(line);
    if (m) out.push([m[1].toLowerCase(), m[2].trim()]);
  }
  return out;
}

/** Every part of the tree, depth first, the root included. */
export function allParts(root: MimePart): MimePart[] {
  const out: MimePart[] = [];
  const visit = (p: MimePart): void => {
    out.push(p);
    p.children.forEach(visit);
  };
  visit(root);
  return out;
}

/** Email addresses in a text, lower-cased, in order, without duplicates. */
export function extractAddresses(text: string): string[] {
  return [...new Set(scanAddresses(text).map(normaliseAddress))];
}

/** "rfc822; <User@Example.LV>" → "user@example.lv". */
export function normaliseAddress(value: string): string {
  const bare = value
    .replace(/^\s*(?:rfc822|utf-8|x-[\w-]{1,40})\s*;/i, '')
    .trim()
    .replace(/^<|>$/g, '')
    .replace(/^["']|["']$/g, '');
  return trimEnd(bare, '.,;:').toLowerCase();
}

/** Drops trailing characters of a set; a loop, because /[.,;:]+$/ is quadratic on long runs. */
function trimEnd(text: string, chars: string): string {
  let end = text.length;
  while (end > 0 && chars.includes(text[end - 1])) end--;
  return text.slice(0, end);
}

export function isAddress(value: string): boolean {
  return /^[^\s@<>()]+@[^\s@<>()]+\.[a-z]{2,63}$/i.test(value);
}

/** Readable text of a part; HTML is reduced to its text (NDRs from Exchange are often HTML only). */
export function partText(part: MimePart): string {
  return part.type === 'text/html' ? htmlToText(part.text) : part.text;
}

/** Headers of the messages a report returns: attached message/rfc822 or text/rfc822-headers. */
export function returnedHeaderBlocks(root: MimePart): HeaderList[] {
  const out: HeaderList[] = [];
  for (const part of allParts(root)) {
    if (part.type === 'message/rfc822' || part.type === 'message/global') {
      if (part.children[0]) out.push(part.children[0].headers);
    } else if (part.type === 'text/rfc822-headers' || part.type === 'message/global-headers') {
      out.push(parseHeaderBlock(part.text));
    }
  }
  return out.filter((h) => h.length > 0);
}
