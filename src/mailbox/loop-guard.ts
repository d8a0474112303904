// No mail loops: which inbound messages may get an automatic answer, and at most one answer per
// address per day. An autoresponder answering our acknowledgement, which answers it back, is the
// loop this prevents; the daily quota bounds whatever slips through.
import type { Models } from '../data/models';
import { claimOnce } from '../domain/claims';
import { extractAddresses, headerValue, parseHeaderBlock, type Classification, type HeaderList } from './classification';

const DAY_MS = 86_400_000;
/** Role addresses of mail systems: answering them reaches a machine, never a person. */
const MACHINE_LOCAL_PART = /^(?:mailer-daemon|postmaster|no-?reply|do-?not-?reply|bounces?)(?:[+.-].*)?$/i;

export interface OwnAddressSettings {
  mailFrom: string;
  mailboxAddress: string;
  unsubscribeMailtoLocal: string;
  bounceAddressLocal?: string;
}

/** Our own addresses: the sender, the mailbox, and every unsubscribe+TOKEN@ and bounces+TOKEN@ alias of it. */
export class OwnAddresses {
  private readonly exact: Set<string>;
  private readonly aliasPrefixes: string[];
  private readonly mailboxDomain: string;

  constructor(settings: OwnAddressSettings) {
    this.exact = new Set([...extractAddresses(settings.mailFrom), settings.mailboxAddress.toLowerCase()]);
    this.mailboxDomain = settings.mailboxAddress.split('@')[1]!.toLowerCase();
    const bounceLocal = (settings.bounceAddressLocal ?? 'bounces').toLowerCase();
    this.exact.add(`${bounceLocal}@${this.mailboxDomain}`);
    this.aliasPrefixes = [`${settings.unsubscribeMailtoLocal.toLowerCase()}+`, `${bounceLocal}+`];
  }

  list(): string[] {
    return [...this.exact];
  }

  has(address: string): boolean {
    const a = address.toLowerCase();
    if (this.exact.has(a)) return true;
    const [local = '', domain] = a.split('@');
    return domain === this.mailboxDomain && this.aliasPrefixes.some((p) => local.startsWith(p));
  }
}

/** The top-level header block of a raw message (the classifier's parser, without decoding the body). */
export function topHeaders(raw: Buffer): HeaderList {
  const text = raw.subarray(0, 256 * 1024).toString('latin1');
  const end = /\r?\n\r?\n/.exec(text);
  return parseHeaderBlock(end ? text.slice(0, end.index) : text);
}

/** Why this message must not be answered, or undefined when an answer is allowed. */
export function reasonNotToAnswer(headers: HeaderList, classification: Classification, own: OwnAddresses): string | undefined {
  if (classification.kind === 'bounce' || classification.kind === 'complaint') return `a ${classification.kind} report`;
  if (classification.kind === 'auto-reply') return 'an auto-reply';
  const autoSubmitted = (headerValue(headers, 'auto-submitted') ?? classification.autoSubmitted)?.split(';')[0]?.trim().toLowerCase();
  if (autoSubmitted && autoSubmitted !== 'no') return `Auto-Submitted: ${autoSubmitted}`;
  const returnPath = headerValue(headers, 'return-path');
  if (returnPath !== undefined && /^<\s*>$|^$/.test(returnPath.trim())) return 'null return path';
  const precedence = headerValue(headers, 'precedence')?.trim().toLowerCase();
  if (precedence && ['bulk', 'list', 'junk'].includes(precedence)) return `Precedence: ${precedence}`;
  if (headerValue(headers, 'list-id') !== undefined) return 'sent by a mailing list';
  const from = classification.from;
  if (!from) return 'no sender address';
  if (own.has(from)) return 'our own address';
  if (MACHINE_LOCAL_PART.test(from.split('@')[0] ?? '')) return 'a mail-system address';
  return undefined;
}

/** One acknowledgement per address per UTC day, claimed by inserting a key (atomic on every backend). */
export class AckQuota {
  constructor(private readonly deps: { models: Models; now: () => Date }) {}

  async claim(emailHash: string): Promise<boolean> {
    const now = this.deps.now();
    const day = now.toISOString().slice(0, 10);
    return claimOnce(this.deps.models, `ack:${emailHash}:${day}`, new Date(now.getTime() + 2 * DAY_MS));
  }
}
