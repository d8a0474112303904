// What a person asks for in a mail to impro@impro.lv, in Latvian, English or Russian:
// unsubscribe, or one of the GDPR rights (access, rectification, erasure, restriction, withdrawal
// of consent / objection). Quoted text and our own newsletter footer are removed first: a reply
// to e-Jaunumi quotes "Atteikties no e-Jaunumiem" whatever the person wrote above it.

import { headerValues, type Classification, type ClassifyOptions, type Language, type MailKind, type MailView } from './classification';

type Intent = Exclude<MailKind, 'bounce' | 'complaint' | 'auto-reply' | 'other'>;

/** Lower case without diacritics: people type "ludzu vairs nesutiet" as often as "lūdzu". */
export function fold(text: string): string {
  return text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
}

/**
 * Patterns are written naturally (with diacritics, й, ё) and folded like the text they test.
 * They must not use upper-case escapes (\S, \W): folding lower-cases the source.
 */
function rx(...sources: string[]): RegExp {
  return new RegExp(fold(sources.join('|')), 'u');
}

const L = '[a-zа-я]*'; // the rest of a word, after folding

/**
 * "Don't send me SMS" is about another channel, not the newsletter: a "do not send" followed by
 * one of these is not an unsubscribe (it is most often part of a question about a trip).
 */
const NOT_EMAIL = `(?! (?:me |man |мне )?(?:any )?(?:sms|smsus|īsziņ${L}|смс|text messages|texts|calls|zvan${L}|звон${L}))`;

// --- Intent patterns, strongest right first (the order is the priority) ----------------------

const DATA_LV = `(?:dat(?:i|us|iem|u|os)\\b|informācij${L}|kont${L}|profil${L}|datubāz${L}|ierakst${L})`;
const DATA_EN = `(?:(?:my|all|any|the)(?: of my)? (?:personal )?(?:data|information|info|details|records|account|profile)|personal (?:data|information)|(?:from|out of) (?:all )?(?:your|the) (?:database|system|records|crm|files))`;
const DATA_RU = `(?:(?:мо|все|вс|персональн)${L} )*(?:данн${L}|информаци${L}|аккаунт${L}|учётн${L}|профил${L}|запис${L})|из (?:вашей |всех )?(?:баз${L}|систем${L})`;

const INTENTS: Array<[Intent, RegExp]> = [
  [
    'erasure',
    rx(
      `(?:iz|no)?dzēs${L}.{0,60}${DATA_LV}`,
      `${DATA_LV}.{0,40}(?:iz|no)?dzēs${L}`,
      `iznīcin${L}.{0,40}${DATA_LV}`,
      `aizmirst${L} mani`,
      `tiesīb${L} (?:tikt )?aizmirst`,
      `\\b(?:delete|erase|remove|destroy|wipe|purge|get rid of)${L}\\b.{0,50}${DATA_EN}`,
      `(?:data|information|account) (?:deletion|erasure|removal)`,
      `right to (?:be forgotten|erasure)`,
      `\\bforget me\\b`,
      `\\berasure\\b`,
      `(?:удал|сотр|уничтож)${L}.{0,50}(?:${DATA_RU})`,
      `право на (?:забвение|удаление)`,
      `забудьте (?:меня|обо мне)`,
      `(?:article|art\\.?|pant${L}|стать${L}|ст\\.?) ?17\\b|\\b17\\.? ?(?:pant|art)`,
    ),
  ],
  [
    'restriction',
    rx(
      `ierobež${L}.{0,40}apstrād`,
      `apstrād${L}.{0,30}ierobež`,
      `apturē${L}.{0,30}apstrād`,
      `restrict${L}.{0,30}processing`,
      `processing.{0,20}restrict`,
      `(?:limit|suspend|stop)${L} (?:the )?processing`,
      `огранич${L}.{0,30}обработк`,
      `приостанов${L}.{0,30}обработк`,
      `(?:article|art\\.?|pant${L}|стать${L}|ст\\.?) ?18\\b|\\b18\\.? ?(?:pant|art)`,
    ),
  ],
  [
    'rectification',
    rx(
      `\\b(?:iz)?labo(?:jiet|t|jat|siet|jums|jumu|jumi|šanu|šana)\\b`,
      // "Mans uzvārds ir uzrakstīts nepareizi": a participle may stand between.
      `(?:vārd|uzvārd|e-?past|adres|dati)${L} (?:ir )?(?:${L} )?(?:nepareiz|kļūdain|ar kļūdu)`,
      `nepareiz${L} (?:ir )?(?:mans |mana |mani )?(?:vārd|uzvārd|e-?past|adres|dati)`,
      `(?:nomain|main|atjaunin|atjauno|precizē)${L} (?:manu|mans|manus|savu|savus|man) ?(?:vārd|uzvārd|e-?past|adres|dat(?:i|us|u)\\b|personas)`,
      `\\b(?:correct|fix|update|change|amend|rectify|edit)${L} (?:the |my )?(?:spelling of (?:my )?)?(?:first |last |sur)?(?:name|surname|e-?mail|address|details|data|personal (?:data|information)|information)`,
      // "Mana e-pasta adrese ir mainījusies" / "my address has changed": a new address to record.
      `(?:e-?pasta adrese|e-?pasts|adrese|uzvārds) (?:ir )?(?:no)?mainīj${L}`,
      `my (?:e-?mail )?(?:address|e-?mail|surname|last name) (?:has )?changed`,
      `(?:адрес|почта|фамилия)${L} (?:электронн${L} почт${L} )?(?:изменил|поменял)${L}`,
      `(?:my )?(?:name|surname|e-?mail|address|details) (?:is|are) (?:wrong|incorrect|misspel${L}|spelled wrong|outdated)`,
      `(?:wrong|incorrect|misspel${L}) (?:name|surname|e-?mail|data|details)`,
      `\\brectif${L}|typo in my`,
      `исправ${L}`,
      `(?:измени|поменя|обнови)${L},?(?: пожалуйста,?)? (?:мо${L} )?(?:имя|фамили${L}|данн${L}|адрес${L}|e-?mail|почт${L})`,
      `(?:неправильн|неверн|ошибочн)${L} (?:указан${L} |написан${L} )?(?:мо${L} )?(?:имя|фамили|данн|адрес)`,
      `ошибк${L} в (?:мо${L} )?(?:имени|фамилии|данных|адресе)`,
      `(?:article|art\\.?|pant${L}|стать${L}|ст\\.?) ?16\\b|\\b16\\.? ?(?:pant|art)`,
    ),
  ],
  [
    'access',
    rx(
      `kād${L} (?:mani |manus )?(?:personas )?dat(?:us|i|u)\\b.{0,60}(?:glabā|apstrādā|uzglabā|par mani|jums ir|ir jums|turat|vācat|savācat)`,
      `piekļuv${L}.{0,40}${DATA_LV}`,
      `(?:kopij|izdruk)${L}.{0,30}(?:manu |manus |visus )?(?:personas )?dat(?:i|us|u|iem)\\b`,
      `informācij${L} par (?:maniem |saviem )?(?:personas )?dat`,
      `informācij${L} (?:jūs )?(?:glabājat|apstrādājat) par mani`,
      `(?:izsniedz|sniedz|nosūt|atsūt)${L} .{0,30}(?:manus |visus )?(?:personas )?dat(?:us|i)\\b`,
      `what (?:personal )?data (?:do )?(?:you|your company) (?:hold|have|store|keep|process|collect)`,
      `what (?:do|does) (?:you|your company) (?:hold|have|store|keep|know) (?:about|on) me`,
      `(?:see|view|know|get|obtain|receive) (?:all )?(?:of )?my (?:personal )?(?:data|information)\\b`,
      `(?:want|like|wish) to (?:see|view|know|get) (?:all )?(?:my|the) (?:personal )?data\\b`,
      `what (?:personal )?information (?:do )?(?:you|your company) (?:hold|have|store|keep|process|collect)(?: about| on) me`,
      `what personal (?:data|information)`,
      `(?:data|information) (?:that )?(?:you )?(?:hold|have|store|keep|process) (?:about|on) me`,
      `(?:subject )?access request|\\bdsar\\b`,
      `access (?:to )?(?:all )?(?:my|the) (?:personal )?(?:data|information)`,
      `cop(?:y|ies) of (?:all )?(?:my|the) (?:personal )?(?:data|information)`,
      `data portability`,
      `как${L} (?:мо${L} )?(?:персональн${L} )?данн${L}`,
      `(?:информаци|данн)${L} обо мне`,
      `доступ к (?:мо${L} )?(?:персональн${L} )?данн`,
      `копи${L} (?:мо${L} )?(?:персональн${L} )?данн`,
      `(?:article|art\\.?|pant${L}|стать${L}|ст\\.?) ?15\\b|\\b15\\.? ?(?:pant|art)`,
    ),
  ],
  [
    'withdrawal',
    rx(
      `atsau(?:c|k)${L}.{0,30}piekrišan`,
      `piekrišan${L}.{0,30}atsau(?:c|k)`,
      `iebilst${L}.{0,40}apstrād`,
      `iebildum${L}.{0,30}apstrād`,
      `nepiekrītu.{0,30}apstrād`,
      `(?:withdraw|revok|retract)${L}.{0,30}consent`,
      `consent.{0,30}(?:withdraw|revok)`,
      `object${L} to (?:the |any )?(?:further )?(?:data )?processing`,
      `objection to (?:the )?(?:data )?processing`,
      `(?:no longer|do not|don't) (?:give (?:my )?)?consent`,
      `(?:отзыв|отозв|отзова)${L}.{0,30}согласи`,
      `возража${L}.{0,30}обработк`,
      `не (?:даю|согласен|согласна) (?:на )?.{0,20}обработк`,
      `(?:article|art\\.?|pant${L}|стать${L}|ст\\.?) ?21\\b|\\b21\\.? ?(?:pant|art)|7\\(3\\)`,
    ),
  ],
  [
    'unsubscribe',
    rx(
      `unsubscri${L}|\\bunsub\\b`,
      `(?:atteik|atsak)${L}.{0,40}(?:jaunum|ziņ|vēstul|e-?past|sūtījum|abonē|sarakst|reklām|piedāvājum|newsletter|rassylk|paziņojum)`,
      `\\batrakstī?${L}`,
      `\\bizrakst${L} (?:mani|no)`,
      `\\bnesūt(?:iet|īt|i)\\b${NOT_EMAIL}`,
      `vairs ne(?:vēl|grib|vajag|sūt)${L}(?![a-zа-я])${NOT_EMAIL}`,
      `ne(?:vēl|grib)${L} (?:vairs )?saņemt`,
      `(?:izņem|noņem|izslēdz|svītro|dzēs|izdzēs)${L} mani\\b(?! .{0,20}${DATA_LV})`,
      `(?:izņem|noņem|izslēdz|izslēg|svītro|dzēs|izdzēs)${L} (?:(?:manu|mano|mani) )?(?:(?:e-?past${L}|adres${L}) )*no (?:jūsu |sava |šī |e-?pasta |adresātu )*(?:sarakst|adresāt|jaunum|e-?jaunum)`,
      `(?:pārtrauc|beidz)${L} (?:man )?(?:sūtīt|sūtīšanu)`,
      `remove me|take me off|opt[ -]?out`,
      `stop (?:sending|emailing|e-mailing|mailing|spamming|the (?:e-?mails|newsletters?))${NOT_EMAIL}`,
      `(?:don't|do not) (?:send|e-?mail|mail|contact) me${NOT_EMAIL}`,
      `(?:don't|do not|no longer) (?:want|wish) to (?:receive|get)`,
      `no more (?:e-?mails|newsletters|mails|messages)`,
      `cancel (?:my )?(?:subscription|newsletter)`,
      `(?:remove|delete|take) my (?:e-?mail|address|e-?mail address) (?:from|off)`,
      `отпи(?:с|ш)${L}`,
      `больше не (?:присылай|отправляй|пиши|хочу|нужно|надо|шлите)${L}(?![a-zа-я])${NOT_EMAIL}`,
      `не (?:присылай|шлите|отправляй)${L}(?![a-zа-я])${NOT_EMAIL}`,
      `(?:исключ|удал|убер|убр)${L} (?:мо${L} )?(?:адрес${L} |e-?mail |почт${L} )?(?:электронн${L} почт${L} )?из (?:ваш${L} |эт${L} )?(?:рассылк|списк)`,
      `не (?:хочу|желаю) (?:больше )?получать`,
      `(?:удалит|исключит|убери|удали)${L} меня`,
      `прекрат${L} (?:присылать|рассылку|отправлять|слать)`,
      `отказ${L} от (?:рассылк|подписк|писем|новост)`,
    ),
  ],
];

/** A message that is nothing but the word ("Atteikties", "STOP", "Отписаться"). */
const BARE_UNSUBSCRIBE = rx(`^(?:lūdzu |please )?(?:atteikties|atteikt|atsakos|atteikums|stop|remove|отписаться|отписка|отпишите)(?: lūdzu| please)?$`);

/** A GDPR request that names no right is most often a request for access. */
const GENERIC_GDPR = rx(`\\bgdpr\\b|\\bvdar\\b|орзд|datu subjekta pieprasījum|data subject request`);

export function intentOf(text: string): Intent | undefined {
  const folded = fold(text).replace(/\s+/g, ' ').trim();
  const found = INTENTS.find(([, pattern]) => pattern.test(folded));
  if (found) return found[0];
  const bare = folded.replace(/[^\p{L}\s]/gu, '').trim();
  if (BARE_UNSUBSCRIBE.test(bare)) return 'unsubscribe';
  if (GENERIC_GDPR.test(folded)) return 'access';
  return undefined;
}

export function detectRequest(view: MailView): Classification {
  const body = stripQuoted(view.text);
  const subject = view.subject.replace(/^(?:\s*(?:re|fwd?|aw|sv|vs|atb|pārs|ответ|отв|fw)\s*(?:\[\d+\])?\s*:\s*)+/i, '');
  const language = detectLanguage(`${subject}\n${body}`);
  const kind = intentOf(body) ?? intentOf(subject);
  if (kind) return { kind, language, reason: 'request wording' };
  return { kind: 'other', language, reason: 'no request recognised' };
}

// --- Quote stripping -------------------------------------------------------------------------

/** A line from which everything below is quoted, forwarded or signature. */
const CUT_LINE = rx(
  `^\\s*-{2,}\\s*(?:original message|oriģinālā ziņa|sākotnējā ziņa|pārsūtīt${L} ziņa|forwarded message|исходное сообщение|пересылаемое сообщение|пересланное сообщение|ursprüngliche nachricht)`,
  `^\\s*_{10,}\\s*$`,
  `^\\s*begin forwarded message`,
  `^\\s*(?:sent from my|sent from outlook|get outlook for|nosūtīts no man${L}|sūtīts no man${L}|отправлено с|отправлено из)`,
  `^-- ?$`,
);

const ATTRIBUTION = rx(
  `^\\s*(?:on|am|le|el|il|den|op)\\b.{0,250}(?:wrote|schrieb|a écrit|escribió|scrisse|skrev|schreef)\\s*:?\\s*$`,
  `^.{0,250}rakstīj${L}\\s*:?\\s*$`,
  `^.{0,250}(?:написал|написала|пишет)${L}\\s*:?\\s*$`,
  // Gmail in some locales: "2024. gada 1. maijs 10:00, IMPRO <impro@impro.lv>:"
  `^.{5,250}<[^<>@ ]+@[^<> ]+>\\s*:\\s*$`,
);

const HEADER_FROM = rx(`^\\s*\\*?(?:from|no|от|von|de|van)\\s*:\\*?\\s*[^ ]`);
const HEADER_NEXT = rx(`^\\s*\\*?(?:sent|date|nosūtīts|datums|отправлено|дата|gesendet|envoyé|to|kam|кому|subject|temats|тема)\\s*:`);

/** Our newsletter's footer when it leaks into a reply without quote marks. */
const FOOTER = rx(
  `^\\s*(?:lai atteiktos|to unsubscribe|ja (?:vairs )?nevēlaties|if you (?:no longer )?(?:wish|want)|jūs saņēmāt šo|šo e-pastu saņēmāt|you (?:are )?receiv(?:ed|ing) this|чтобы отписаться|вы получили это)`,
  `(?:atteik|unsubscri|отпис)${L}.{0,60}(?:https?:|/u/)`,
);
const FOOTER_BUTTON = rx(`^\\s*(?:atteikties no e-?jaunumiem|unsubscribe from e-?jaunumi|отписаться от e-?jaunumi)\\s*$`);

export function stripQuoted(text: string): string {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  const kept: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = fold(lines[i]);
    if (CUT_LINE.test(line) || isAttribution(lines, i) || isQuotedHeader(lines, i)) break;
    if (/^\s*>/.test(line) || FOOTER.test(line) || isFooterButton(lines, i)) continue;
    kept.push(lines[i]);
  }
  return kept.join('\n').trim();
}

/** "On Mon, 1 Jan 2024, IMPRO <impro@impro.lv> wrote:" — often wrapped onto two lines. */
function isAttribution(lines: string[], i: number): boolean {
  const line = fold(lines[i]);
  if (ATTRIBUTION.test(line)) return true;
  const next = lines[i + 1] === undefined ? '' : fold(lines[i + 1]).trim();
  // Only a wrapped attribution: when the next line is one on its own, it is caught there.
  if (!next || !line.trim() || ATTRIBUTION.test(next)) return false;
  return ATTRIBUTION.test(`${line.trim()} ${next}`);
}

/** Outlook's quoted header block: "From: …" followed by "Sent: …" / "Nosūtīts: …". */
function isQuotedHeader(lines: string[], i: number): boolean {
  if (!HEADER_FROM.test(fold(lines[i]))) return false;
  return lines.slice(i + 1, i + 5).some((l) => HEADER_NEXT.test(fold(l)));
}

/** The footer's link text counts as footer only when its link follows. */
function isFooterButton(lines: string[], i: number): boolean {
  if (!FOOTER_BUTTON.test(fold(lines[i]))) return false;
  const next = lines.slice(i + 1).find((l) => l.trim());
  return next !== undefined && /https?:\/\/|\/u\//.test(next);
}

// --- Language --------------------------------------------------------------------------------

const LV_WORDS = /\b(?:lūdzu|ludzu|mani|manu|manus|mans|vairs|datus|dati|jūs|jus|jūsu|jusu|un|ir|par|vai|labdien|paldies|sveiki|esmu|vēlos|velos|man|lai|nav|kā|ka|no|es|ar|uz|arī|ari)\b/giu;
const EN_WORDS = /\b(?:the|please|my|me|you|your|and|is|are|i|to|from|of|data|stop|remove|hello|hi|thanks|thank|would|want|dear|regards|this|that|with|for|unsubscribe)\b/gi;

export function detectLanguage(text: string): Language {
  const cyrillic = (text.match(/[а-яё]/giu) ?? []).length;
  const latin = (text.match(/[a-zāčēģīķļņšūž]/giu) ?? []).length;
  if (cyrillic >= 3 && cyrillic >= latin * 0.5) return 'ru';
  const diacritics = (text.match(/[āčēģīķļņšūž]/giu) ?? []).length;
  const lv = (text.match(LV_WORDS) ?? []).length + diacritics;
  const en = (text.match(EN_WORDS) ?? []).length;
  return en > lv ? 'en' : 'lv';
}

// --- List-Unsubscribe mailto -----------------------------------------------------------------

const RECIPIENT_HEADERS = ['to', 'cc', 'delivered-to', 'x-original-to', 'envelope-to', 'x-envelope-to', 'x-delivered-to', 'x-rcpt-to'];

/** The token of a mail sent to our List-Unsubscribe mailto address, unsubscribe+TOKEN@…. */
export function unsubscribeTokenFor(view: MailView, opts: ClassifyOptions = {}): string | undefined {
  const addresses = RECIPIENT_HEADERS.flatMap((n) => headerValues(view.headers, n)).flatMap(
    // Case is kept: tokens are case-sensitive.
    (v) => v.match(/[\w.!#$%&'*+/=?^`{|}~-]+@[\w.-]+\.[a-z]{2,63}/gi) ?? [],
  );
  for (const address of addresses) {
    const token = tokenOf(address, opts);
    if (token) return token;
  }
  return undefined;
}

function tokenOf(address: string, opts: ClassifyOptions): string | undefined {
  if (!opts.unsubscribeTokenFromAddress) return /^unsubscribe\+([^@]+)@/i.exec(address)?.[1];
  try {
    return opts.unsubscribeTokenFromAddress(address) ?? undefined;
  } catch {
    // A broken validator must not break classification; the mail is then read as a person's.
    return undefined;
  }
}
