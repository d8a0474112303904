// Whether a bounce or complaint is about mail we sent, read from the report itself. Three kinds of
// evidence, strongest first: the VERP return path our mail went out with (a signed token naming the
// subscriber and campaign), the ids our mail carried in its returned headers (a Message-ID of the
// form <campaignId.subscriberId@domain>, X-Ejaunumi-*), and, for complaints, a feedback loop whose
// mail our own MX authenticated. Everything here is pure and reads a bounded prefix of the message.
import { headerValues, type HeaderList } from './classification';

const HEX24 = '([0-9a-f]{24})';
/** Reports put the returned headers near the start; nothing we look for sits later than this. */
const SCAN_BYTES = 1024 * 1024;

/** Which of our campaigns (and subscriber) the returned part names, by our ids. */
export interface ReturnedIds {
  campaignId?: string;
  subscriberId?: string;
}

function bodyOf(raw: Buffer): string {
  const text = raw.subarray(0, SCAN_BYTES).toString('latin1');
  const bodyStart = /\r?\n\r?\n/.exec(text);
  return bodyStart ? text.slice(bodyStart.index) : '';
}

function escaped(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Our ids in the body only (the report's own top-level headers are not our mail's): the returned
 * message/rfc822 or text/rfc822-headers part, or the headers an SES notification quotes as JSON.
 */
export function returnedIdsOf(raw: Buffer, mailDomain: string): ReturnedIds {
  const body = bodyOf(raw);
  const domain = escaped(mailDomain);
  const byMessageId = new RegExp(`<${HEX24}\\.${HEX24}@${domain}>`, 'i').exec(body);
  const campaignHeader = new RegExp(`^X-Ejaunumi-Campaign:[ \\t]*<?${HEX24}`, 'mi').exec(body);
  const subscriberHeader = new RegExp(`^X-Ejaunumi-Subscriber:[ \\t]*<?${HEX24}`, 'mi').exec(body);
  const feedbackId = new RegExp(`^Feedback-ID:[ \\t]*${HEX24}\\b`, 'mi').exec(body);
  const campaignId = (campaignHeader?.[1] ?? feedbackId?.[1] ?? byMessageId?.[1])?.toLowerCase();
  const subscriberId = (subscriberHeader?.[1] ?? (byMessageId && byMessageId[1]!.toLowerCase() === campaignId ? byMessageId[2] : undefined))?.toLowerCase();
  return { ...(campaignId ? { campaignId } : {}), ...(subscriberId ? { subscriberId } : {}) };
}

/** Which of our campaigns a report is about (by the ids in the returned part). */
export function campaignOf(raw: Buffer, mailDomain: string): string | undefined {
  return returnedIdsOf(raw, mailDomain).campaignId;
}

/** Envelope headers that carry the address a report was delivered to (our VERP return path). */
const ENVELOPE_HEADERS = ['delivered-to', 'x-original-to', 'envelope-to', 'to'];

/**
 * Candidate VERP tokens, first from the report's envelope headers, then from anywhere in the
 * message (an SES notification quotes the return path as JSON). Unverified: the caller checks
 * the signature; a token only ever names the subscriber it was sent to.
 */
export function verpTokensOf(headers: HeaderList, raw: Buffer, bounceLocal: string, mailboxDomain: string): string[] {
  const pattern = new RegExp(`${escaped(bounceLocal)}\\+([a-z2-7]{20,60})@${escaped(mailboxDomain)}\\b`, 'gi');
  const found: string[] = [];
  for (const name of ENVELOPE_HEADERS) {
    for (const value of headerValues(headers, name)) for (const m of value.matchAll(pattern)) found.push(m[1]!);
  }
  for (const m of raw.subarray(0, SCAN_BYTES).toString('latin1').matchAll(pattern)) {
    found.push(m[1]!);
    if (found.length > 20) break;
  }
  return [...new Set(found.map((t) => t.toLowerCase()))];
}

/** The first line of a Diagnostic-Code field, or the SES JSON diagnosticCode, for the evidence. */
export function diagnosticOf(raw: Buffer): string | undefined {
  const text = raw.subarray(0, SCAN_BYTES).toString('latin1');
  const field = /^Diagnostic-Code:[ \t]*([^\r\n]{1,300})/im.exec(text)?.[1];
  const json = /"diagnosticCode"\s*:\s*"([^"\\]{1,300})/.exec(text)?.[1];
  return (field ?? json)?.trim();
}

export interface FeedbackLoopSettings {
  /** Full addresses or `@domain` (and its subdomains), lower-cased. */
  complaintSenders: readonly string[];
  /** Our MX's authserv-id; empty trusts no Authentication-Results at all. */
  authservId: string;
}

/**
 * A complaint from a configured feedback loop whose mail our own MX authenticated: the sender is
 * one of COMPLAINT_SENDERS, and the topmost Authentication-Results from AUTHSERV_ID says DMARC pass,
 * or DKIM pass for the sender's domain. Returns undefined when it holds, else why not.
 */
export function feedbackLoopRefusal(headers: HeaderList, from: string | undefined, settings: FeedbackLoopSettings): string | undefined {
  const sender = from?.toLowerCase();
  const domain = sender?.split('@')[1];
  if (!sender || !domain) return 'no sender address';
  // `@domain` also covers its subdomains (email-abuse.amazonses.com for @amazonses.com).
  const listed = settings.complaintSenders.some((s) => (s.startsWith('@') ? domain === s.slice(1) || domain.endsWith(`.${s.slice(1)}`) : sender === s));
  if (!listed) return `sender ${sender} is not a configured feedback loop (COMPLAINT_SENDERS)`;
  if (!settings.authservId) return 'no AUTHSERV_ID configured to trust Authentication-Results';
  // Our MX prepends its header: the first one with our authserv-id is ours; any below could be forged.
  const ours = headerValues(headers, 'authentication-results').find((v) => authservIdOf(v) === settings.authservId);
  if (!ours) return `no Authentication-Results from ${settings.authservId}`;
  const results = methodResults(ours);
  if (results.some((r) => r.method === 'dmarc' && r.result === 'pass')) return undefined;
  const aligned = (d: string | undefined) => d !== undefined && (domain === d || domain.endsWith(`.${d}`));
  if (results.some((r) => r.method === 'dkim' && r.result === 'pass' && aligned(r.props['header.d'] ?? r.props['header.i']?.split('@')[1]))) return undefined;
  return `neither DMARC nor DKIM for ${domain} passed at ${settings.authservId}`;
}

function authservIdOf(value: string): string {
  return (value.split(';')[0] ?? '').trim().split(/\s+/)[0]!.toLowerCase();
}

interface MethodResult {
  method: string;
  result: string;
  props: Record<string, string>;
}

/** `dkim=pass header.d=example.com; dmarc=pass (p=reject) header.from=example.com` → results. */
function methodResults(value: string): MethodResult[] {
  const out: MethodResult[] = [];
  for (const clause of value.slice(0, 4000).replace(/\([^()]*\)/g, ' ').split(';').slice(1)) {
    const words = clause.trim().split(/\s+/);
    const [method, result] = (words[0] ?? '').toLowerCase().split('=');
    if (!method || !result) continue;
    const props: Record<string, string> = {};
    for (const word of words.slice(1)) {
      const eq = word.indexOf('=');
      if (eq > 0) props[word.slice(0, eq).toLowerCase()] = word.slice(eq + 1).toLowerCase().replace(/^"|"$/g, '');
    }
    out.push({ method, result, props });
  }
  return out;
}
