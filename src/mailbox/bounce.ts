// Bounce detection and parsing: RFC 3464 delivery-status reports first, then the free-text
// shapes of MTAs that send none (or send one without the fields we need), then Amazon SES JSON.
// Whatever the shape, three answers: which address failed, which enhanced status code, and
// whether the address itself is dead (`permanent`) or the failure was about this one message.

import {
  allParts,
  extractAddresses,
  headerValue,
  headerValues,
  isAddress,
  normaliseAddress,
  parseHeaderBlock,
  partText,
  returnedHeaderBlocks,
  type ClassifyOptions,
  type HeaderList,
  type MailView,
  type MimePart,
} from './classification';

export interface BounceResult {
  recipient?: string;
  status: string;
  permanent: boolean;
  reason: string;
  confidence: number;
  evidence: string;
}

/** How sure each kind of evidence makes us that this is a bounce at all. */
const EVIDENCE_CONFIDENCE: Record<string, number> = {
  'delivery-status report': 0.95,
  'X-Failed-Recipients header': 0.95,
  'bounce subject': 0.9,
  'MTA bounce text': 0.9,
  'mailer-daemon notice': 0.75,
};

interface DsnRecord {
  finalRecipient?: string;
  originalRecipient?: string;
  action?: string;
  status?: string;
  diagnostic?: string;
}

export function detectBounce(view: MailView, opts: ClassifyOptions = {}): BounceResult | null {
  const ses = sesNotification(view);
  if (ses?.type === 'Bounce') return sesBounce(ses.body);

  const records = deliveryStatusRecords(view);
  const diagnostic = diagnosticText(view);
  const reason = bounceEvidence(view, records, diagnostic);
  if (!reason) return null;

  const record = pickRecord(records);
  const delayed = isDelay(view, records, record, diagnostic.text);
  const recipient = findRecipient(view, record, diagnostic, opts);
  const nearRecipient = [record?.diagnostic ?? '', textFrom(diagnostic.text, recipient)].join('\n');
  // Some MTAs put the reason before the address; then the whole notice is the evidence.
  const focus = hasReason(nearRecipient) ? nearRecipient : diagnostic.text;
  const status = decideStatus(record?.status, focus, diagnostic.text, delayed);
  const permanent = isPermanent(status, focus, delayed);
  // A bounce that names nobody cannot be acted on: a person looks at it.
  const confidence = recipient ? (EVIDENCE_CONFIDENCE[reason] ?? 0.8) : 0.6;
  const evidence = bounceLine(record?.diagnostic ?? focus, status);
  return { ...(recipient ? { recipient } : {}), status, permanent, reason, confidence, evidence };
}

/** The line of the notice that carries the status or the reason, for a person to read. */
function bounceLine(text: string, status: string): string {
  const lines = text.slice(0, 8000).split(/\r?\n/).map((l) => l.trim()).filter(Boolean);
  const line = lines.find((l) => l.includes(status)) ?? lines.find((l) => hasReason(l)) ?? lines[0] ?? status;
  return line.replace(/\s+/g, ' ').slice(0, 200);
}

// --- Is it a bounce at all? ------------------------------------------------------------------

const STRONG_SUBJECT = new RegExp(
  '^\\s*(?:\\[[^\\]]*\\]\\s*)?(?:' +
    [
      'undeliver(?:ed|able)',
      'non-?deliver(?:y|able)',
      'mail delivery (?:failed|failure|problem)',
      'delivery (?:status notification|failure|failed|has failed|notification|problem|delayed|report)',
      'message (?:delivery|not delivered|could not be delivered|undeliverable|delayed)',
      'returned mail',
      'failure notice',
      'failed delivery',
      'delayed mail',
      'warning: (?:could not send|message .{0,60}delayed|delayed)',
      'mail system error',
      'permanent delivery failure',
      'notification d.{1,3}tat de remise',
      '(?:nicht |un)zustellbar',
      'onbestelbaar',
      'недоставлен',
      'сообщение не (?:было )?доставлено',
      'не доставлено',
      'ошибка доставки',
      'уведомление о (?:недоставке|доставке|состоянии доставки)',
      'nepieg[aā]d',
      'zi[nņ]ojums (?:netika|nav) pieg[aā]d',
      'non remis',
      'non distribu[eé]',
      '[eé]chec de (?:la )?(?:remise|distribution)',
      '(?:mensaje )?no entregado',
      'nicht zugestellt',
      'non recapitabil',
      'impossibile recapitare',
      'n[aã]o (?:foi )?entregue',
      'nie ?dostarczon',
      'olevererbar',
      'kan ikke leveres',
    ].join('|') +
    ')',
  'i',
);

const STRONG_BODY = new RegExp(
  [
    'this is the mail system at host',
    "i'm sorry to have to inform you that your message could not",
    'created automatically by mail delivery software',
    'could not be delivered to one or more (?:of its )?recipients',
    'the following addresses had (?:permanent|transient) fatal errors',
    'transcript of session follows',
    'this is the qmail-send program',
    "i wasn't able to deliver your message",
    'delivery has failed to these recipients',
    "your message (?:to \\S+ )?(?:couldn't|could not|wasn't|was not|can ?not) be delivered",
    "your message wasn't delivered",
    'delivery to the following recipients? (?:failed|has been delayed|was delayed)',
    'the email account that you tried to reach (?:does not exist|is disabled|is over quota)',
    'sorry, we were unable to deliver your message',
    'did not reach (?:some or all of the intended recipients|the following recipient)',
    'the following recipient\\(?s?\\)? (?:cannot|could not) be reached',
    'was (?:not delivered|undeliverable) to(?: the following)?',
    'unable to deliver (?:your )?message to the following',
    'automatically generated delivery status notification',
    'this is a delivery status notification',
    'remote server returned \'[45]\\d\\d',
    'smtp error from remote mail server',
    'had permanent fatal delivery errors',
    'has been removed from the mail queue',
    'this is a warning message only',
    'delivery (?:of your message )?has been delayed',
    'сообщение не (?:было )?доставлено',
    'не удалось доставить',
    'не может быть доставлено',
    'zi[nņ]ojums netika pieg[aā]d[aā]ts',
    'nevar[eē]ja pieg[aā]d[aā]t',
    "n'a pas pu [eê]tre (?:remis|distribu[eé]|d[eé]livr[eé])",
    'no se (?:ha podido|pudo) entregar',
    'konnte (?:leider )?nicht (?:an [^.]{0,60})?zugestellt werden',
  ].join('|'),
  'i',
);

const WEAK_BODY =
  /undeliver|unknown recipient|not recognized|undelivered|could not be delivered|not delivered|delivery (?:has )?failed|delivery failure|permanent (?:error|failure)|user unknown|unknown user|does not exist|no such user|mailbox (?:full|unavailable)|returned mail|delivery status|недостав|не доставлен|nepieg[aā]d/i;

const DAEMON_LOCAL = /^(?:mailer-daemon|mailerdaemon|mail-daemon|post_?master|mdaemon|mail\.?daemon|bounces?|mailer)$/i;
const DAEMON_NAME = /mail delivery|mailer.?daemon|postmaster|delivery subsystem|mail administrator|mail system/i;

function bounceEvidence(view: MailView, records: DsnRecord[], diagnostic: Diagnostic): string | null {
  if (records.length > 0) {
    // A success notice (delivered/relayed/expanded) is a report but not a failure.
    if (records.every((r) => /^(?:delivered|relayed|expanded)/i.test(r.action ?? ''))) return null;
    return 'delivery-status report';
  }
  if (/delivery-status/i.test(view.root.params['report-type'] ?? '')) return 'delivery-status report';
  if (headerValue(view.headers, 'x-failed-recipients')) return 'X-Failed-Recipients header';
  if (STRONG_SUBJECT.test(view.subject)) return 'bounce subject';
  if (STRONG_BODY.test(diagnostic.text)) return 'MTA bounce text';
  if (fromDaemon(view) && WEAK_BODY.test(`${view.subject}\n${diagnostic.text}`)) return 'mailer-daemon notice';
  return null;
}

function fromDaemon(view: MailView): boolean {
  const local = view.from?.split('@')[0] ?? '';
  const fromHeader = headerValue(view.headers, 'from') ?? '';
  const returnPath = headerValue(view.headers, 'return-path');
  return DAEMON_LOCAL.test(local) || DAEMON_NAME.test(fromHeader) || returnPath?.trim() === '<>';
}

function isDelay(view: MailView, records: DsnRecord[], record: DsnRecord | undefined, text: string): boolean {
  if (record?.action) return /^delayed/i.test(record.action);
  if (records.some((r) => r.status?.startsWith('5'))) return false;
  // Final-failure wording or a 5xx reply outweighs "will retry"-style phrases in the same notice.
  if (FINAL_FAILURE.test(text) || enhancedCodes(text).some((c) => c[0] === '5')) return false;
  return DELAY_SUBJECT.test(view.subject) || DELAY_BODY.test(text);
}

const DELAY_SUBJECT = /\(delay\)|\bdelay(?:ed)?\b|still being retried|could not send message for past|задерж/i;
const DELAY_BODY =
  /warning message only|will (?:continue|keep) (?:trying|to try)|will (?:retry|be retried)|has been delayed|still undelivered|delivery incomplete|not yet been delivered|is delayed/i;
const FINAL_FAILURE =
  /permanent(?:ly)? (?:error|fatal|failure|failed)|fatal delivery error|failed permanently|i've given up|removed from the (?:mail )?queue|this is a permanent error/i;

// --- Delivery-status fields ------------------------------------------------------------------

function deliveryStatusRecords(view: MailView): DsnRecord[] {
  const parts = allParts(view.root).filter((p) => /^message\/(?:global-)?delivery-status$/.test(p.type));
  const texts = parts.map((p) => p.text);
  if (texts.length === 0) {
    // Broken MIME: the fields are still in the raw text, up to the next boundary line.
    const m = /^(?:Reporting-MTA|Final-Recipient|Original-Recipient)[ \t]*:/im.exec(view.raw);
    if (m) texts.push(view.raw.slice(m.index, m.index + 4000).split(/\r?\n--\S/)[0]);
  }
  // Action and Status are required per recipient; read receipts share Final-Recipient but not these.
  return texts.flatMap(parseDsnFields).filter((r) => r.action || r.status);
}

/**
 * Per-recipient blocks are separated by blank lines; some MTAs omit them, so a recipient field
 * seen twice in one block also starts a new record.
 */
function parseDsnFields(text: string): DsnRecord[] {
  const records: DsnRecord[] = [];
  for (const block of text.split(/\r?\n[ \t]*\r?\n/)) {
    let current: DsnRecord = {};
    for (const [name, value] of parseHeaderBlock(block)) {
      const repeated =
        (name === 'final-recipient' && current.finalRecipient) ||
        (name === 'original-recipient' && current.originalRecipient);
      if (repeated) {
        records.push(current);
        current = {};
      }
      setDsnField(current, name, value);
    }
    records.push(current);
  }
  return records;
}

function setDsnField(record: DsnRecord, name: string, value: string): void {
  if (name === 'final-recipient') record.finalRecipient = value;
  else if (name === 'original-recipient') record.originalRecipient = value;
  else if (name === 'action') record.action = value.trim().toLowerCase();
  else if (name === 'status') record.status = enhancedCodes(value)[0] ?? record.status;
  else if (name === 'diagnostic-code' || name === 'x-postfix-diagnostic-code') record.diagnostic = value;
}

/** The first failed recipient; else the first delayed one; else whatever there is. */
function pickRecord(records: DsnRecord[]): DsnRecord | undefined {
  return (
    records.find((r) => /^failed/.test(r.action ?? '')) ??
    records.find((r) => /^delayed/.test(r.action ?? '')) ??
    records.find((r) => !/^(?:delivered|relayed|expanded)/.test(r.action ?? ''))
  );
}

// --- Human-readable part ---------------------------------------------------------------------

interface Diagnostic {
  /** The notice's own text, cut before any inline copy of the returned message. */
  text: string;
  /** Header fields of a returned message quoted inline (qmail, Exim, non-MIME sendmail). */
  inlineHeaders: HeaderList;
}

const RETURNED_MARKERS = [
  /^[ \t]*-{2,}[ \t]*(?:this is a copy of|below this line is a copy|original message|returned (?:mail|message)|unsent message follows|the header of the original|headers of the original|copy of the (?:original )?message)/im,
  /^[ \t]*(?:original message follows|below is a copy of the original message)/im,
  /^[ \t]*original message headers:/im,
  /^[ \t]*-+ ?(?:исходное сообщение|оригинальное сообщение|пересылаемое сообщение)/im,
  /^(?:Received|Return-Path|Message-I[Dd]|DKIM-Signature|MIME-Version|X-Mailer):[ \t]?\S/m,
];

function diagnosticText(view: MailView): Diagnostic {
  const parts = noticeParts(view.root).map(partText).filter((t) => t.trim());
  const text = parts.length > 0 ? parts.join('\n') : view.text;
  const cut = Math.min(...RETURNED_MARKERS.map((re) => re.exec(text)?.index ?? text.length).filter((i) => i > 0), text.length);
  const rest = text.slice(cut);
  const headerStart = /^[A-Za-z-]+:[ \t]/m.exec(rest);
  const inlineHeaders = headerStart ? parseHeaderBlock(rest.slice(headerStart.index).split(/\r?\n\s*\r?\n/)[0]) : [];
  return { text: text.slice(0, cut), inlineHeaders };
}

/** Text parts of the notice itself, not of a message it returns. */
function noticeParts(root: MimePart): MimePart[] {
  const out: MimePart[] = [];
  const visit = (p: MimePart): void => {
    if (p.type === 'text/plain' || p.type === 'text/html') out.push(p);
    if (p.type.startsWith('multipart/')) p.children.forEach(visit);
  };
  visit(root);
  return out;
}

// --- Recipient -------------------------------------------------------------------------------

function findRecipient(
  view: MailView,
  record: DsnRecord | undefined,
  diagnostic: Diagnostic,
  opts: ClassifyOptions,
): string | undefined {
  const returned = [...returnedHeaderBlocks(view.root), diagnostic.inlineHeaders];
  const returnedTo = returned.flatMap((h) => ['to', 'cc'].flatMap((n) => headerValues(h, n)).flatMap(extractAddresses));
  const excluded = excludedAddresses(view, returned, opts);
  const usable = (a: string | undefined): a is string =>
    !!a && isAddress(a) && !excluded.has(a) && !/^(?:mailer-daemon|postmaster)@/.test(a);

  const fromRecord = record && dsnRecipient(record, returnedTo);
  if (usable(fromRecord)) return fromRecord;
  const failedHeader = extractAddresses(headerValues(view.headers, 'x-failed-recipients').join(' '))[0];
  if (usable(failedHeader)) return failedHeader;
  const inText = extractAddresses(diagnostic.text).find(usable);
  if (inText) return inText;
  return returnedTo.find(usable);
}

/**
 * Original-Recipient is the address as we sent it (before aliases and forwarding), so it wins
 * when it is what the returned message was addressed to; otherwise Final-Recipient.
 */
function dsnRecipient(record: DsnRecord, returnedTo: string[]): string | undefined {
  const original = record.originalRecipient && fieldAddress(record.originalRecipient);
  const final = record.finalRecipient && fieldAddress(record.finalRecipient);
  if (original && (returnedTo.includes(original) || !final)) return original;
  return final ?? original;
}

function fieldAddress(value: string): string | undefined {
  const direct = normaliseAddress(value);
  return isAddress(direct) ? direct : extractAddresses(value)[0];
}

/** Addresses that appear in a bounce but are never the failed recipient: ours, the MTA's. */
function excludedAddresses(view: MailView, returned: HeaderList[], opts: ClassifyOptions): Set<string> {
  const own = (opts.ownAddresses ?? []).map(normaliseAddress);
  const fromHeaders = (headers: HeaderList, names: string[]): string[] =>
    names.flatMap((n) => headerValues(headers, n)).flatMap(extractAddresses);
  const ids = ['message-id', 'in-reply-to', 'references'];
  const top = fromHeaders(view.headers, ['from', 'to', 'delivered-to', 'x-original-to', 'return-path', ...ids]);
  const back = returned.flatMap((h) => fromHeaders(h, ['from', 'sender', 'return-path', 'reply-to', ...ids]));
  return new Set([...own, ...top, ...back]);
}

/** The text from the recipient's first mention on: the reason follows the address. */
function textFrom(text: string, recipient: string | undefined): string {
  const at = recipient ? text.toLowerCase().indexOf(recipient) : -1;
  return at >= 0 ? text.slice(at, at + 2000) : text;
}

// --- Status ----------------------------------------------------------------------------------

const ENHANCED_CODE = /(?<![\w.])([245])\.([0-7])\.(\d{1,3})(?!\w|\.\d)/g;

export function enhancedCodes(text: string): string[] {
  return [...text.matchAll(ENHANCED_CODE)].map((m) => `${m[1]}.${m[2]}.${Number(m[3])}`);
}

function isGeneric(code: string): boolean {
  return /^\d\.0\.0$/.test(code);
}

/**
 * An explicit Status field wins; a generic one (5.0.0) gives way to a more specific code of the
 * same class in the diagnostic. Without a field: an enhanced code in the text, then inference
 * from the SMTP reply and its wording.
 */
export function decideStatus(explicit: string | undefined, focus: string, whole: string, delayed: boolean): string {
  const found = [...enhancedCodes(focus), ...enhancedCodes(whole)].filter((c) => c[0] !== '2');
  if (explicit) {
    if (!isGeneric(explicit)) return explicit;
    return found.find((c) => c[0] === explicit[0] && !isGeneric(c)) ?? explicit;
  }
  const wantedClass = delayed ? '4' : '5';
  const best =
    found.find((c) => c[0] === wantedClass && !isGeneric(c)) ??
    found.find((c) => !isGeneric(c) && !delayed) ??
    found.find((c) => c[0] === wantedClass) ??
    (delayed ? undefined : found[0]);
  return best ?? inferStatus(focus || whole, delayed);
}

interface InferenceRule {
  pattern: RegExp;
  /** The enhanced code for a reply of this class (4 or 5). */
  status: (cls: string) => string;
}

/** Wordings of a mailbox that does not exist, in the languages MTAs answer in. */
const USER_UNKNOWN =
  /user ?unknown|unknown (?:user|recipient|mailbox|local.?part|address)|no such (?:user|mailbox|recipient|person|address|account)|(?:user|recipient|mailbox|address|account)(?: name)? (?:not found|does ?n[o']t exist|not exist|is unknown|unknown|not valid|is not valid|invalid)|does not exist|doesn'?t exist|invalid (?:final )?(?:delivery )?(?:recipient|mailbox|user(?: ?id)?|address|account)|not a valid (?:user|mailbox|recipient)|recipientnotfound|recipient address rejected: access denied|not listed in (?:domino )?directory|not listed in (?:the )?public name (?:&|and) address book|addressee unknown|user not known|not known at this site|receiver not found|unknown address|benutzer unbekannt|unbekannte[rn]? (?:benutzer|empf[aä]nger)|(?:e-?mail-?adresse|empf[aä]nger|postfach)[^.]{0,30}(?:existiert nicht|nicht gefunden|unbekannt)|utilisateur inconnu|destinataire inconnu|adresse[^.]{0,30}(?:inconnue|introuvable)|(?:utilisateur|bo[iî]te)[^.]{0,40}n'existe pas|usuario desconocido|destinatario desconocido|no existe (?:dicha persona|ese usuario|el usuario|la cuenta)|(?:usuario|cuenta|buz[oó]n)[^.]{0,30}no existe|nessun utente|utente sconosciuto|такого (?:почтового )?ящика нет|ящик[а-яё]* не (?:найден|существует)|(?:doesn't|does not) have (?:a|an) [\w.]{1,100} account|no mailbox here|(?:recipient|user)(?: name)? is not recognized|address (?:couldn't|could not) be found|пользовател[а-яё]* не (?:найден|существует)|нет такого|не существует|адрес(?:ат)? не найден|несуществующ|lietot[aā]js (?:nav atrasts|neeksist[eē])|neeksist[eē]/i;

/** Wordings of a recipient domain that does not exist, in the languages MTAs answer in. */
const HOST_UNKNOWN =
  /host or domain name not found|domain (?:name )?not found|no such (?:domain|host)|domain (?:does not|doesn't) exist|unknown (?:domain|host)|host (?:unknown|not found)|host \S{1,255} not found|couldn't find any host|name or service not known|unrouteable (?:address|(?:mail )?domain)|domain must exist|domain existiert nicht|dom(?:ain|[aä]ne)[^.]{0,30}(?:existiert nicht|nicht gefunden|unbekannt)|domaine[^.]{0,30}(?:inconnu|introuvable|n'existe pas)|dominio[^.]{0,30}(?:no existe|desconocido)|домен[а-яё]* не (?:найден|существует)/i;

// "Try again" only next to the DNS failure: Exchange's boilerplate says "check the address and try again".
const TEMP_DNS = /(?:not found|name service error|lookup (?:failure|failed))[^.]{0,20}try again|temporar\w{0,10} (?:dns|lookup|failure)|servfail|dns (?:timeout|temporar)|timed? ?out .{0,30}(?:dns|lookup)/i;

// Ordered: quota and disabled accounts before "unknown user" (their wording overlaps), policy
// before the vague "mailbox unavailable" (blocklist replies often say it too).
const INFERENCE_RULES: InferenceRule[] = [
  {
    pattern:
      /mailbox (?:is )?full|quota|over ?quota|insufficient (?:system )?storage|exceeded (?:storage|the storage)|mailbox size limit|storage (?:allocation|limit)|not enough space|full mailbox|ящик переполнен|переполнен|превышен[а-я]* (?:квот|лимит|размер ящика)|pastkaste ir pilna/i,
    status: (cls) => `${cls}.2.2`,
  },
  {
    pattern:
      /(?:mailbox|account|user|address)(?: is| has been)? (?:disabled|deactivated|suspended|inactive|blocked due to inactivity|locked|frozen|expired)|(?:disabled|inactive|suspended|deactivated) (?:mailbox|account|user)|not active|заблокирован|отключен|неактивен|деактивирован/i,
    status: (cls) => `${cls}.2.1`,
  },
  {
    pattern: /user has moved|address (?:has )?changed|no longer (?:at|with|valid at)|has moved to|(?:551|user not local)/i,
    status: (cls) => `${cls}.1.6`,
  },
  {
    // The domain is gone. Before "unknown user": notices for a dead domain often also say
    // "does not exist" or "unknown" about the address.
    pattern: HOST_UNKNOWN,
    status: (cls) => `${cls}.1.2`,
  },
  {
    pattern:
      USER_UNKNOWN,
    status: (cls) => `${cls}.1.1`,
  },
  {
    // RFC 7505 null MX and its wordings: the domain declares it takes no mail at all. Mail "from
    // you" or "from this IP" is a policy rejection, not this.
    pattern: /(?:does ?n[o']t|do not|will not) accept (?:any )?(?:e-?)?mail(?! from)|not accepting (?:any )?(?:e-?)?mail(?! from)|null mx/i,
    status: (cls) => `${cls}.1.10`,
  },
  {
    pattern:
      /spam|blocked|block ?list|black ?list|listed (?:at|on|in|by)|spamhaus|policy|reputation|relay(?:ing)? (?:denied|not permitted|access denied|prohibited)|not permitted to relay|unable to relay|administrative prohibition|banned|virus|malware|dmarc|\bspf\b|dkim|content rejected|message rejected|refused|denied|спам|заблокировано/i,
    status: (cls) => `${cls}.7.1`,
  },
  {
    pattern:
      /no mx|mx (?:record )?not found|(?:couldn't|could not|can't|cannot|unable to) find (?:a |any )?(?:mail exchanger|mx)|nxdomain|name service error/i,
    status: (cls) => `${cls}.1.2`,
  },
  {
    pattern: /syntax|malformed address|invalid address|bad (?:address|destination mailbox)/i,
    status: (cls) => `${cls}.1.3`,
  },
  {
    pattern: /too (?:large|big)|size (?:exceeds|limit)|exceeds (?:the )?(?:maximum )?(?:message )?size|message size|слишком больш/i,
    status: (cls) => `${cls}.3.4`,
  },
  {
    pattern: /connection refused|could not connect|unable to connect|no route to host|network is unreachable|connect to \S+ failed/i,
    status: () => '4.4.1',
  },
  {
    // Timeouts are always reported as 4.4.7, even in the final notice: the address is not at fault.
    pattern: /timed? ?out|timeout|delivery time expired|retry (?:time|timeout)|expired|too long in (?:the )?queue|could not be delivered within|истек/i,
    status: () => '4.4.7',
  },
  {
    pattern: /mailbox (?:unavailable|not available)|recipient (?:address )?rejected|address rejected|mailbox not found|недоступ/i,
    status: (cls) => `${cls}.1.1`,
  },
];

const BASIC_CODES: Record<string, string> = {
  '551': '5.1.6',
  '552': '5.2.2',
  '553': '5.1.3',
  '452': '4.2.2',
};

const BASIC_CODE = /(?<![\w.#-])([45][0-5]\d)(?=[\s:,;)-]|$)/;

/** Status from the wording of the reply, with the class of its basic SMTP code. */
export function inferStatus(wrapped: string, delayed: boolean): string {
  // Notices wrap long replies ("550 No\n    such user"): the wording is read on one line.
  const text = oneLine(wrapped);
  const basic = BASIC_CODE.exec(text)?.[1];
  const cls = delayed ? '4' : (basic?.[0] ?? '5');
  const byText = inferFromText(text, cls);
  if (byText) return byText;
  if (basic && (!delayed || basic[0] === '4')) return BASIC_CODES[basic] ?? `${basic[0]}.0.0`;
  return `${cls}.0.0`;
}

function hasReason(text: string): boolean {
  return enhancedCodes(text).length > 0 || BASIC_CODE.test(text) || inferFromText(text, '5') !== undefined;
}

/** Whitespace runs as one space, on at most the first 20,000 characters. */
function oneLine(text: string): string {
  return text.slice(0, 20_000).replace(/\s+/g, ' ');
}

function inferFromText(wrapped: string, cls: string): string | undefined {
  const text = oneLine(wrapped);
  for (const rule of INFERENCE_RULES) {
    if (!rule.pattern.test(text)) continue;
    const status = rule.status(cls);
    // "Host not found, try again" is a DNS hiccup, not a dead domain.
    if (status.endsWith('.1.2') && TEMP_DNS.test(text)) return '4.4.3';
    return status;
  }
  return undefined;
}

// --- Permanent -------------------------------------------------------------------------------

/** The address is dead: bad mailbox or domain (5.1.x except the sender-side 5.1.7/5.1.8), or a disabled account. */
function isDeadStatus(status: string): boolean {
  return /^5\.1\.(?!0$|7$|8$)\d+$/.test(status) || status === '5.2.1';
}

/**
 * Vague codes (x.0.0, "other address status" 5.1.0, protocol 5.5.x, "unable to route" 5.4.4) say
 * nothing about the address, so the wording decides: "user unknown" or "host or domain name not
 * found" under a vague code is still a dead address.
 */
function isVague(status: string): boolean {
  return /^5\.(?:\d\.0|5\.\d+|4\.4)$/.test(status);
}

/**
 * Codes that name a cause other than the address (full or oversized mailbox, timeout, our own
 * sender address); no wording makes these a dead address.
 */
function isOtherCause(status: string): boolean {
  return /^5\.(?:1\.[78]|2\.[23]|3\.4|4\.7)$/.test(status);
}

/**
 * Wording that blames the sender, the content or the rate, not the address: receivers misuse
 * dead-address codes for these (Gmail's rate limit is 5.2.1, a blocklisted sender gets 5.1.0),
 * and a rejection of our MAIL FROM says nothing about the recipient at all.
 */
const NOT_THE_ADDRESS = new RegExp(
  [
    'receiving mail at a rate',
    'rate limit',
    'too many (?:messages|connections|recipients|mails)',
    '(?:in reply to|after) mail from\\b',
    'mail ?from domain',
    'spamhaus|spamcop|barracuda ?(?:rbl|reputation)|\\brbl\\b|dnsbl',
    "block ?list(?:ed)?|black ?list(?:ed)?|(?<!not )listed (?:at|on|in|by)",
    'spam|reputation|virus|malware',
    'mailbox (?:is )?full|over ?quota|quota exceeded',
  ].join('|'),
  'i',
);

function wordingSaysDead(evidence: string): boolean {
  const inferred = inferFromText(evidence, '5');
  return inferred !== undefined && isDeadStatus(inferred);
}

/**
 * Wording that the user or the domain does not exist, and nothing else: no quota, rate or
 * policy wording beside it, and no "try again" after a DNS failure.
 */
function wordingNamesDeadAddress(evidence: string): boolean {
  const inferred = inferFromText(evidence, '5');
  if (inferred !== '5.1.1' && inferred !== '5.1.2') return false;
  const text = oneLine(evidence);
  return (USER_UNKNOWN.test(text) || HOST_UNKNOWN.test(text)) && !NOT_THE_ADDRESS.test(text);
}

export function isPermanent(status: string, evidence: string, delayed: boolean): boolean {
  if (delayed) return false;
  // An unknown user or host is dead whatever the code: MTAs answer 4.x.x for these too (a DNS
  // server's "host not found" at the last retry, a recipient check that answers 450).
  if (status.startsWith('4.')) return wordingNamesDeadAddress(evidence);
  if (!status.startsWith('5.') || isOtherCause(status)) return false;
  const blamesSomethingElse = NOT_THE_ADDRESS.test(oneLine(evidence));
  if (isDeadStatus(status)) return !blamesSomethingElse || wordingSaysDead(evidence);
  // A vague or policy code (5.7.x) with unmistakable "no such user" wording is still a dead address.
  return !blamesSomethingElse && wordingSaysDead(evidence);
}

// --- Amazon SES ------------------------------------------------------------------------------

export interface SesNotification {
  type: 'Bounce' | 'Complaint';
  body: Record<string, unknown>;
}

/** An SES notification (bare, or wrapped in an SNS envelope) anywhere in the message text. */
export function sesNotification(view: MailView): SesNotification | undefined {
  const texts = [...allParts(view.root).map((p) => p.text), view.text];
  for (const text of texts) {
    if (!/notificationType|eventType/.test(text)) continue;
    const found = parseSes(text);
    if (found) return found;
  }
  return undefined;
}

function parseSes(text: string): SesNotification | undefined {
  const start = text.indexOf('{');
  const end = text.lastIndexOf('}');
  if (start < 0 || end <= start) return undefined;
  let body = parseJsonObject(text.slice(start, end + 1));
  if (body && typeof body.Message === 'string') body = parseJsonObject(body.Message) ?? body;
  const type = body?.notificationType ?? body?.eventType;
  return body && (type === 'Bounce' || type === 'Complaint') ? { type, body } : undefined;
}

function parseJsonObject(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

export function asObject(value: unknown): Record<string, unknown> {
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

function text(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

const SES_SUBTYPE_STATUS: Record<string, string> = {
  NoEmail: '5.1.1',
  MailboxFull: '5.2.2',
  MessageTooLarge: '5.3.4',
  ContentRejected: '5.7.1',
  AttachmentRejected: '5.7.1',
};

function sesBounce(body: Record<string, unknown>): BounceResult {
  const bounce = asObject(body.bounce);
  const first = asObject(Array.isArray(bounce.bouncedRecipients) ? bounce.bouncedRecipients[0] : undefined);
  const recipient = extractAddresses(text(first.emailAddress))[0];
  const diagnostic = text(first.diagnosticCode);
  const transient = text(bounce.bounceType) !== 'Permanent';
  const subtype = text(bounce.bounceSubType);
  const explicit = enhancedCodes(text(first.status))[0];
  const bySubtype = SES_SUBTYPE_STATUS[subtype] ?? (transient ? '4.0.0' : '5.0.0');
  const status = explicit ?? enhancedCodes(diagnostic)[0] ?? inferFromText(diagnostic, transient ? '4' : '5') ?? bySubtype;
  // SES's own verdict is evidence too: Permanent/General or NoEmail means "remove this address".
  const sesSaysDead = !transient && ['General', 'NoEmail', 'Suppressed', 'OnAccountSuppressionList'].includes(subtype);
  const permanent = isPermanent(status, diagnostic, false) || (sesSaysDead && isVague(status));
  return {
    ...(recipient ? { recipient } : {}),
    status,
    permanent,
    reason: 'Amazon SES bounce notification',
    confidence: recipient ? 0.95 : 0.6,
    evidence: (diagnostic || `SES ${text(bounce.bounceType)}/${subtype}`).slice(0, 200),
  };
}
