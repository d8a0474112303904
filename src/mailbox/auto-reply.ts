// Auto-replies (out of office, vacation, ticket acknowledgements, read receipts). Headers are the
// reliable signal (RFC 3834 Auto-Submitted and the vendors' X- headers); subjects are next; body
// wording only counts together with a weak header hint, because a person on holiday may still
// write to unsubscribe.

import { allParts, headerValue, type HeaderList, type MailView } from './classification';

const AUTO_HEADERS = [
  'x-autoreply',
  'x-autorespond',
  'x-autoresponder',
  'x-auto-reply',
  'x-autoreply-from',
  'x-mail-autoreply',
  'x-ms-exchange-inbox-rules-loop',
  'x-vacation',
];

const AUTO_SUBJECT = new RegExp(
  [
    '^\\s*auto(?:matic|mated)?[\\s-]*(?:reply|response|answer)\\b',
    '^\\s*auto:',
    '^\\s*autoreply\\b',
    '\\bout of (?:the )?office\\b',
    '^\\s*ooo\\b',
    '\\baway from (?:the office|my desk)\\b',
    'autom[aā]tisk[aā] atbilde',
    'autom[aā]tiskais atbildes',
    'promb[uū]tn[eē]',
    '(?:esmu|atrodos) atva[lļ]in[aā]jum[aā]',
    '[aā]rpus biroja',
    'автоматическ[а-я]* ответ',
    'автоответ',
    'не в офисе',
    '(?:я|нахожусь) в отпуске',
    'abwesenheitsnotiz',
    'automatische antwort',
    'r[eé]ponse automatique',
    'respuesta autom[aá]tica',
    'risposta automatica',
    'automatisch antwoord',
    'automatiskt svar',
    'automatisk svar',
    'autosvar',
    'automaattinen vastaus',
    'automatinis atsakymas',
    'automaatne vastus',
    'odpowied[zź] automatyczna',
  ].join('|'),
  'i',
);

/** Wording that is only ever machine-written. */
const AUTO_BODY_STRONG =
  /this is an? (?:automatic|automated|auto-generated) (?:reply|response|message)|šī ir autom[aā]tisk[aā] atbilde|это автоматическ[а-я]* (?:ответ|сообщение)/i;

const AUTO_BODY_WEAK =
  /out of (?:the )?office|on (?:vacation|holiday|annual leave)|limited access to (?:my )?e-?mail|atva[lļ]in[aā]jum[aā]|promb[uū]tn[eē]|neb[uū][sš]u birj[aā]|в отпуске|буду отсутствовать|не в офисе/i;

export interface AutoReplyResult {
  reason: string;
  confidence: number;
  evidence: string;
}

/** Why it is an auto-reply (headers are surer than wording), or null. */
export function detectAutoReply(view: MailView): AutoReplyResult | null {
  const h = view.headers;
  const found = (reason: string, confidence: number, evidence: string): AutoReplyResult => ({ reason, confidence, evidence: evidence.slice(0, 200) });
  const autoSubmitted = headerValue(h, 'auto-submitted')?.split(';')[0].trim().toLowerCase();
  if (autoSubmitted && autoSubmitted !== 'no') return found(`Auto-Submitted: ${autoSubmitted}`, 0.95, `Auto-Submitted: ${autoSubmitted}`);
  const vendor = AUTO_HEADERS.find((name) => headerValue(h, name) !== undefined && !/^no$/i.test(headerValue(h, name) ?? ''));
  if (vendor) return found(`${vendor} header`, 0.95, `${vendor}: ${headerValue(h, vendor)}`);
  if (/auto[_-]?reply/i.test(precedence(h))) return found('Precedence: auto_reply', 0.95, `Precedence: ${precedence(h).trim()}`);
  if (isReadReceipt(view)) return found('disposition notification (read receipt)', 0.95, 'message/disposition-notification');
  const subject = view.subject.slice(0, 1000);
  if (AUTO_SUBJECT.test(subject)) return found('auto-reply subject', 0.85, subject);
  const text = view.text.slice(0, 64 * 1024);
  const strong = AUTO_BODY_STRONG.exec(text);
  if (strong) return found('auto-reply wording', 0.85, strong[0]);
  const weak = weakHeaderHint(h) ? AUTO_BODY_WEAK.exec(text) : null;
  if (weak) return found('auto-reply wording with suppress/bulk header', 0.7, weak[0]);
  return null;
}

function precedence(h: HeaderList): string {
  return `${headerValue(h, 'precedence') ?? ''} ${headerValue(h, 'x-precedence') ?? ''}`;
}

/** Exchange marks its own generated mail with X-Auto-Response-Suppress; vacation tools with bulk. */
function weakHeaderHint(h: HeaderList): boolean {
  return headerValue(h, 'x-auto-response-suppress') !== undefined || /bulk|junk|list/i.test(precedence(h));
}

function isReadReceipt(view: MailView): boolean {
  if (/disposition-notification/i.test(view.root.params['report-type'] ?? '')) return true;
  return allParts(view.root).some((p) => p.type === 'message/disposition-notification');
}
