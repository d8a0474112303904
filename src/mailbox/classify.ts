// Entry of the pure mailbox classifier: raw message in, Classification out, never a throw.
// mailparser decodes the top level (subject, addresses, text from HTML); our own small MIME walk
// keeps the parts mailparser flattens into attachments (message/delivery-status,
// text/rfc822-headers, nested message/rfc822) and still works when the structure is broken.

import { simpleParser, type ParsedMail } from 'mailparser';
import {
  extractAddresses,
  headerValue,
  headerValues,
  parseHeaderBlock,
  partText,
  type Authentication,
  type Classification,
  type ClassifyOptions,
  type HeaderList,
  type MailView,
  type MimePart,
} from './classification';
import { detectComplaint } from './complaint';
import { detectBounce } from './bounce';
import { detectAutoReply } from './auto-reply';
import { carriesOurFooter, detectRequest, splitQuoted, unsubscribeTokenFor } from './requests';

/** Deeper nesting than this is not walked: it only happens in loops or attacks. */
const MAX_DEPTH = 8;
/** Parts beyond this many are not parsed: real mail, reports included, has a handful. */
const MAX_PARTS = 100;
/** Decoded text per part is cut here: every signal we look for sits near the start of a part. */
export const MAX_TEXT_CHARS = 64 * 1024;
/** The raw fallbacks (broken MIME) read this much of the message. */
const MAX_RAW_CHARS = 256 * 1024;

export async function classifyMessage(raw: Buffer | string, opts: ClassifyOptions = {}): Promise<Classification> {
  const { classification, view } = await classifyParts(raw, opts);
  return view ? withUnsubscribeToken(classification, unsubscribeTokenFor(view.headers, opts)) : classification;
}

/**
 * Everything but the List-Unsubscribe token, which needs the caller's validator (a function, so
 * it cannot cross into a worker thread): classify-budget.ts applies it afterwards.
 */
export async function classifyWithoutToken(raw: Buffer | string, opts: ClassifyOptions = {}): Promise<Classification> {
  return (await classifyParts(raw, opts)).classification;
}

async function classifyParts(raw: Buffer | string, opts: ClassifyOptions): Promise<{ classification: Classification; view?: MailView }> {
  try {
    const bytes = typeof raw === 'string' ? Buffer.from(raw, 'utf8') : raw;
    if (bytes.length === 0) return { classification: { kind: 'other', confidence: 1, error: 'empty message' } };
    const view = await buildView(bytes);
    return { classification: { ...decide(view, opts), ...envelope(view, opts) }, view };
  } catch (err) {
    return { classification: { kind: 'other', confidence: 0, error: `cannot classify: ${errorText(err)}` } };
  }
}

/**
 * The parsed view the detectors read, for a person who reads the message or re-reads it as another
 * kind (the review queue). The same caps apply: linear work on bounded input, never a throw.
 */
export async function mailViewOf(raw: Buffer): Promise<MailView | undefined> {
  try {
    return raw.length === 0 ? undefined : await buildView(raw);
  } catch {
    return undefined;
  }
}

/** The top-level header fields of a raw message, without parsing its body. */
export function headersOf(raw: Buffer): HeaderList {
  const binary = raw.subarray(0, MAX_RAW_CHARS).toString('latin1').replace(/^From [^\r\n]*\r?\n/, '');
  return parseHeaderBlock(splitHeadBody(binary).head);
}

/** A mail to our List-Unsubscribe mailto address is an unsubscribe, unless it is a report. */
export function withUnsubscribeToken(c: Classification, token: string | undefined): Classification {
  if (!token || c.kind === 'complaint' || c.kind === 'bounce' || c.kind === 'auto-reply') return c;
  return { ...c, kind: 'unsubscribe', unsubscribeToken: token, confidence: 0.99, evidence: 'sent to our List-Unsubscribe address', reason: 'list-unsubscribe mailto' };
}

/** The order matters: reports first (they quote our mail, footer and all), humans last. */
function decide(view: MailView, opts: ClassifyOptions): Classification {
  const complaint = detectComplaint(view, opts);
  if (complaint) return { kind: 'complaint', ...complaint };
  const bounce = detectBounce(view, opts);
  if (bounce) return { kind: 'bounce', ...bounce };
  const autoReply = detectAutoReply(view);
  if (autoReply) return { kind: 'auto-reply', ...autoReply };
  return detectRequest(view);
}

function envelope(view: MailView, opts: ClassifyOptions): Partial<Classification> {
  const out: Partial<Classification> = {};
  const messageId = headerValue(view.headers, 'message-id');
  if (messageId) out.messageId = messageId.trim().slice(0, 1000);
  if (view.from) out.from = view.from;
  if (view.subject) out.subject = view.subject.slice(0, 1000);
  const inReplyTo = headerValue(view.headers, 'in-reply-to');
  if (inReplyTo) out.inReplyTo = inReplyTo.trim().slice(0, 1000);
  const autoSubmitted = headerValue(view.headers, 'auto-submitted');
  if (autoSubmitted) out.autoSubmitted = autoSubmitted.trim().slice(0, 200);
  const authentication = authenticationResults(view.headers);
  if (authentication) out.authentication = authentication;
  if (repliesToOurMail(view, opts)) out.replyToOurMail = true;
  return out;
}

/** In-Reply-To/References name a Message-ID of ours, or the quoted part carries our footer. */
function repliesToOurMail(view: MailView, opts: ClassifyOptions): boolean {
  const domains = new Set(
    [...(opts.ourDomains ?? []), ...(opts.ownAddresses ?? []).map((a) => a.split('@')[1] ?? '')]
      .map((d) => d.trim().toLowerCase())
      .filter(Boolean),
  );
  const ids = [...headerValues(view.headers, 'in-reply-to'), ...headerValues(view.headers, 'references')].join(' ').slice(0, 20_000);
  for (const m of ids.matchAll(/<[^<>@\s]{1,250}@([^<>@\s]{1,250})>/g)) {
    if (domains.has(m[1].toLowerCase())) return true;
  }
  return carriesOurFooter(splitQuoted(view.text).quoted);
}

/** The topmost Authentication-Results is the one our own receiving server added. */
function authenticationResults(headers: HeaderList): Authentication | undefined {
  const value = headerValues(headers, 'authentication-results')[0]?.slice(0, 10_000);
  if (!value) return undefined;
  const out: Authentication = {};
  for (const method of ['dkim', 'spf', 'dmarc'] as const) {
    const m = new RegExp(`\\b${method}\\s*=\\s*([a-z]+)`, 'i').exec(value);
    if (m) out[method] = m[1].toLowerCase();
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

async function buildView(bytes: Buffer): Promise<MailView> {
  // latin1 keeps one char per byte, so part bodies can be decoded later with their own charset.
  // An mbox "From " separator line is not a header; it would hide the real header block.
  const binary = bytes.toString('latin1').replace(/^From [^\r\n]*\r?\n/, '');
  const root = parseEntity(binary, 0, { parts: 0 });
  const parsed = await parseQuietly(bytes);
  const subject = parsed?.subject ?? decodeWords(headerValue(root.headers, 'subject') ?? '');
  const fromText = parsed?.from?.value[0]?.address ?? headerValue(root.headers, 'from') ?? '';
  return {
    raw: decodeBytes(bytes.subarray(0, MAX_RAW_CHARS), 'utf-8'),
    headers: root.headers,
    root,
    subject: subject.trim(),
    from: extractAddresses(fromText)[0],
    text: bestText(parsed?.text, readableText(root)).slice(0, MAX_TEXT_CHARS),
  };
}

/** mailparser is the better decoder when it works; when it fails, our walk alone will do. */
async function parseQuietly(bytes: Buffer): Promise<ParsedMail | undefined> {
  try {
    // Its HTML-to-text step is superlinear on hostile HTML (1 MB of '<': 0.4 s, 4 MB: 1.7 s);
    // html-text.ts does that job in one pass on the capped part instead.
    return await simpleParser(bytes, { skipImageLinks: true, skipTextToHtml: true, skipHtmlToText: true });
  } catch {
    return undefined;
  }
}

/**
 * mailparser's text, unless it is empty or came out with replacement characters (an unknown or
 * lying charset) where our own decoding, with its Baltic fallback, did not.
 */
function bestText(parsed: string | undefined, walked: string): string {
  if (!parsed?.trim()) return walked;
  return parsed.includes('\uFFFD') && walked.trim() && !walked.includes('\uFFFD') ? walked : parsed;
}

/** The first text/plain (or HTML turned into text) outside embedded messages. */
function readableText(root: MimePart): string {
  const parts: MimePart[] = [];
  const visit = (p: MimePart): void => {
    if (p.type.startsWith('text/')) parts.push(p);
    if (p.type.startsWith('multipart/')) p.children.forEach(visit);
  };
  visit(root);
  const plain = parts.find((p) => p.type === 'text/plain');
  if (plain) return plain.text;
  const html = parts.find((p) => p.type === 'text/html');
  return html ? partText(html) : '';
}

// --- MIME walk -------------------------------------------------------------------------------

interface WalkBudget {
  parts: number;
}

function parseEntity(source: string, depth: number, budget: WalkBudget): MimePart {
  budget.parts++;
  const { head, body } = splitHeadBody(source);
  const headers: HeaderList = parseHeaderBlock(head).map(([n, v]) => [n, decodeWords(v)]);
  const { type, params } = parseContentType(headerValue(headers, 'content-type')?.slice(0, 2000));
  const encoding = (headerValue(headers, 'content-transfer-encoding') ?? '').trim().toLowerCase();
  const part: MimePart = { type, params, headers, text: '', children: [] };

  if (type.startsWith('multipart/') && depth < MAX_DEPTH) {
    const chunks = splitMultipart(body, params.boundary);
    if (chunks) {
      const room = Math.max(0, MAX_PARTS - budget.parts);
      part.children = chunks.slice(0, room).map((c) => parseEntity(c, depth + 1, budget));
      return part;
    }
    // No boundary line found: keep the body readable as text rather than lose it.
    return { ...part, type: 'text/plain', text: decodeBody(body, encoding, params.charset) };
  }
  if (isEmbeddedMessage(type) && depth < MAX_DEPTH && budget.parts < MAX_PARTS) {
    const inner = transferDecode(body, encoding).toString('latin1');
    part.children = [parseEntity(inner, depth + 1, budget)];
    part.text = decodeBytes(Buffer.from(inner.slice(0, MAX_TEXT_CHARS), 'latin1'), 'utf-8');
    return part;
  }
  if (isTextual(type)) part.text = decodeBody(body, encoding, params.charset);
  return part;
}

function isEmbeddedMessage(type: string): boolean {
  return type === 'message/rfc822' || type === 'message/global';
}

/** Reports (delivery-status, feedback-report, headers) are text whatever their type says. */
function isTextual(type: string): boolean {
  return type.startsWith('text/') || type.startsWith('message/') || type === 'application/json';
}

function splitHeadBody(source: string): { head: string; body: string } {
  // A message that does not start with a header line has no header section at all.
  if (!/^[!-9;-~]+[ \t]*:/.test(source)) return { head: '', body: source };
  const m = /\r?\n\r?\n/.exec(source);
  if (!m) return { head: source, body: '' };
  return { head: source.slice(0, m.index), body: source.slice(m.index + m[0].length) };
}

function parseContentType(value: string | undefined): { type: string; params: Record<string, string> } {
  const [first, ...rest] = (value ?? 'text/plain').split(';');
  const params: Record<string, string> = {};
  for (const p of rest) {
    const m = /^\s*([\w.*-]+)\s*=\s*"?([^"]*)"?\s*$/.exec(p);
    if (m) params[m[1].toLowerCase().replace(/\*$/, '')] = m[2];
  }
  const type = first.trim().toLowerCase();
  return { type: /^[\w.+-]+\/[\w.+-]+$/.test(type) ? type : 'text/plain', params };
}

/** Splits on the declared boundary, or on the one the body really uses when they differ. */
function splitMultipart(body: string, declared: string | undefined): string[] | null {
  const lines = body.split('\n');
  const boundary = declared && hasDelimiter(lines, declared) ? declared : guessBoundary(lines);
  if (!boundary) return null;
  const delimiter = '--' + boundary;
  const chunks: string[] = [];
  let current: string[] | null = null;
  for (const line of lines) {
    const trimmed = line.trimEnd();
    if (trimmed === delimiter || trimmed === delimiter + '--') {
      if (current) chunks.push(current.join('\n'));
      current = trimmed === delimiter ? [] : null;
      if (!current) break;
    } else if (current) {
      current.push(line);
    }
  }
  if (current) chunks.push(current.join('\n'));
  return chunks.length > 0 ? chunks : null;
}

function hasDelimiter(lines: string[], boundary: string): boolean {
  const delimiter = '--' + boundary;
  return lines.some((l) => l.trimEnd() === delimiter);
}

function guessBoundary(lines: string[]): string | undefined {
  const seen = new Set<string>();
  for (const line of lines) {
    const m = /^--([\w'()+,./:=?-]{6,70})\s*$/.exec(line);
    if (!m) continue;
    const candidate = m[1].replace(/--$/, '');
    if (seen.has(candidate)) return candidate;
    seen.add(candidate);
  }
  return undefined;
}

function decodeBody(body: string, encoding: string, charset: string | undefined): string {
  // Quoted-printable takes up to three characters per byte; base64 four per three, plus line ends.
  const bytes = transferDecode(body.slice(0, MAX_TEXT_CHARS * 4), encoding);
  return decodeBytes(bytes.subarray(0, MAX_TEXT_CHARS), charset);
}

function transferDecode(body: string, encoding: string): Buffer {
  if (encoding === 'base64') return Buffer.from(body.replace(/[^A-Za-z0-9+/=]/g, ''), 'base64');
  if (encoding === 'quoted-printable') return decodeQuotedPrintable(body);
  return Buffer.from(body, 'latin1');
}

function decodeQuotedPrintable(body: string): Buffer {
  const soft = body.replace(/=\r?\n/g, '');
  const bytes: number[] = [];
  for (let i = 0; i < soft.length; i++) {
    const hex = soft[i] === '=' ? soft.slice(i + 1, i + 3) : '';
    if (/^[0-9A-Fa-f]{2}$/.test(hex)) {
      bytes.push(parseInt(hex, 16));
      i += 2;
    } else {
      bytes.push(soft.charCodeAt(i) & 0xff);
    }
  }
  return Buffer.from(bytes);
}

/**
 * Valid UTF-8 wins over the declared charset: mail clients often declare us-ascii or latin1 and
 * send UTF-8. An unknown charset falls back to windows-1257, the Baltic legacy encoding.
 */
function decodeBytes(bytes: Buffer, charset: string | undefined): string {
  try {
    // stream: a character cut in half at the size cap is left out, not taken for bad UTF-8.
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes, { stream: true });
  } catch {
    // not UTF-8: try what the part declares
  }
  for (const label of [charset, 'windows-1257']) {
    if (!label) continue;
    try {
      return new TextDecoder(label.trim().toLowerCase()).decode(bytes);
    } catch {
      // unknown label: next candidate
    }
  }
  return bytes.toString('latin1');
}

/** RFC 2047 encoded words, for headers of embedded messages mailparser does not decode. */
function decodeWords(value: string): string {
  return value
    .replace(/(=\?[^?\s]+\?[BbQq]\?[^?\s]*\?=)\s+(?==\?)/g, '$1')
    .replace(/=\?([^?\s]+)\?([BbQq])\?([^?\s]*)\?=/g, (_m, charset: string, enc: string, text: string) => {
      const bytes =
        enc.toUpperCase() === 'B'
          ? Buffer.from(text, 'base64')
          : decodeQuotedPrintable(text.replace(/_/g, ' '));
      return decodeBytes(bytes, charset.replace(/\*.*$/, ''));
    });
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
