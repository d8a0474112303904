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

/** The reason it is an auto-reply, or null. */
export function detectAutoReply(view: MailView): string | null {
  const h = view.headers;
  const autoSubmitted = headerValue(h, 'auto-submitted')?.split(';')[0].trim().toLowerCase();
  if (autoSubmitted && autoSubmitted !== 'no') return `Auto-Submitted: ${autoSubmitted}`;
  const vendor = AUTO_HEADERS.find((name) => headerValue(h, name) !== undefined && !/^no$/i.test(headerValue(h, name) ?? ''));
  if (vendor) return `${vendor} header`;
  if (/auto[_-]?reply/i.test(precedence(h))) return 'Precedence: auto_reply';
  if (isReadReceipt(view)) return 'disposition notification (read receipt)';
  if (AUTO_SUBJECT.test(view.subject)) return 'auto-reply subject';
  if (AUTO_BODY_STRONG.test(view.text)) return 'auto-reply wording';
  if (weakHeaderHint(h) && AUTO_BODY_WEAK.test(view.text)) return 'auto-reply wording with suppress/bulk header';
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
