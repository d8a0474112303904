// What a person asks for in a mail to impro@impro.lv, in Latvian, English or Russian:
// unsubscribe, or one of the GDPR rights (access, rectification, erasure, restriction, withdrawal
// of consent / objection). Quoted text and our own newsletter footer are removed first: a reply
// to e-Jaunumi quotes "Atteikties no e-Jaunumiem" whatever the person wrote above it.
//
// Every rule matches whole words (Cyrillic too: JavaScript's \b knows only ASCII), so "depart 18"
// is not "art. 18" and "remove meeting point" is not "remove me". A GDPR right needs a verb of
// its kind next to a data noun, or an article number next to GDPR/VDAR/art./pants; a verb that
// lands in a sentence about a booking or trip is about the booking. Rules run on text whose words
// are capped (text-scan.ts) and use only bounded repetition, so each is linear in the input.

import { scanAddresses } from './address-scan';
import { headerValues, type Classification, type ClassifyOptions, type HeaderList, type Language, type MailKind, type MailView } from './classification';
import { fold, originalSlice, scanText, sentenceAround, type ScannedText } from './text-scan';

export { fold } from './text-scan';

type Intent = Exclude<MailKind, 'bounce' | 'complaint' | 'auto-reply' | 'other'>;

export interface IntentMatch {
  intent: Intent;
  confidence: number;
  /** The phrase that decided, as the person wrote it. */
  evidence: string;
}

const B = '(?<![a-zа-я0-9])'; // a word starts here
const E = '(?![a-zа-я0-9])'; // a word ends here
const L = '[a-zа-я]{0,24}'; // the rest of a word, after folding

/** A whole word (or words) inside a larger rule. */
const w = (source: string): string => `${B}(?:${source})${E}`;

/**
 * Patterns are written naturally (with diacritics, й, ё) and folded like the text they test.
 * They must not use upper-case escapes (\S, \W): folding lower-cases the source.
 */
function rx(source: string, flags = 'gu'): RegExp {
  return new RegExp(fold(source), flags);
}

/** Several alternatives, for a single .test(): no global state. */
function rxu(...sources: string[]): RegExp {
  return new RegExp(fold(sources.join('|')), 'u');
}

/**
 * "Don't send me SMS" is about another channel, not the newsletter: a "do not send" followed by
 * one of these is not an unsubscribe (it is most often part of a question about a trip).
 */
const NOT_EMAIL = `(?! (?:me |man |мне )?(?:any )?(?:sms|smsus|īsziņ${L}|смс|text messages|texts|calls|zvan${L}|звон${L})${E})`;

const DATA_LV = w(`dat(?:i|us|iem|u|os)|informācij${L}|kont(?:s|u|a|am|ā)|profil${L}|datubāz${L}|ierakst(?:s|u|us|i|a)`);
const DATA_EN = `(?:${w('my|all|any|the')}(?: of my)? (?:personal )?${w('data|information|info|details|records|account|profile')}|${w('personal (?:data|information)')}|${w('(?:from|out of) (?:all )?(?:your|the) (?:database|system|records|crm|files)')})`;
const DATA_RU = `(?:(?:(?:мо|вс|персональн)${L} ){0,3}${w(`(?:данн|информаци|аккаунт|учётн|профил)${L}`)}|${w(`из (?:вашей |всех )?(?:баз|систем)${L}`)})`;
const PERSONAL_NOUN_LV = w(`(?:vārd|uzvārd|e-?past|adres)${L}|dat(?:i|us|u)`);

/**
 * A number of an article of the GDPR, only next to "art."/"pants"/"ст." or the regulation's name:
 * "article 17" or "статья 17" alone may be a magazine's, "depart 18" is nobody's.
 */
function article(n: string): string {
  const num = `${n}${E}`;
  const law = `(?:gdpr|vdar|regul[a-z]{0,6}|регламент[а-я]{0,3}|орзд|general data protection regulation)`;
  return [
    `(?:art\\.|pant[a-z]{0,3}|ст\\.) ?${num}`,
    `${n}\\.? ?(?:pant[a-z]{0,3}|art\\.)${E}`,
    `${law}[ .,:(]{1,3}(?:article |статья |стать[а-я]{0,2} )?${num}`,
    `(?:article|стать[а-я]{0,2}) ${n}(?: of| of the| из| в)? ${law}`,
  ].join('|');
}

interface Rule {
  intent: Intent;
  pattern: RegExp;
  confidence: number;
  /** A verb that may as well be about a booking: it does not count in a sentence about one. */
  aboutData: boolean;
}

const STRONG = 0.92;
const WEAK = 0.7;
const ARTICLE = 0.85;

function rules(intent: Intent, confidence: number, aboutData: boolean, ...sources: string[]): Rule[] {
  return sources.map((source) => ({ intent, confidence, aboutData, pattern: rx(`${B}(?:${source})${E}`) }));
}

// --- Intent rules, strongest right first (the order of intents is the priority) ---------------

const ERASURE: Rule[] = [
  ...rules('erasure', STRONG, false,
    `aizmirst${L} mani`,
    `tiesīb${L} (?:tikt )?aizmirst${L}`,
    `right to (?:be forgotten|erasure)`,
    `forget me`,
    `(?:data|information|account) (?:deletion|erasure|removal)`,
    `erasure`,
    `право на (?:забвение|удаление)`,
    `забудьте (?:меня|обо мне)`,
  ),
  ...rules('erasure', STRONG, true,
    `(?:iz|no)?dzēs${L}.{0,60}${DATA_LV}`,
    `${DATA_LV}.{0,40}(?:iz|no)?dzēs${L}`,
    `iznīcin${L}.{0,40}${DATA_LV}`,
    `(?:delete|erase|remove|destroy|wipe|purge|get rid of)${L}.{0,50}${DATA_EN}`,
    `(?:удал|сотр|уничтож)${L}.{0,50}${DATA_RU}`,
  ),
  ...rules('erasure', ARTICLE, false, article('17')),
];

const RESTRICTION: Rule[] = [
  ...rules('restriction', STRONG, false,
    `ierobež${L}.{0,40}apstrād${L}`,
    `apstrād${L}.{0,30}ierobež${L}`,
    `apturē${L}.{0,30}apstrād${L}`,
    `restrict${L}.{0,30}processing`,
    `processing.{0,20}restrict${L}`,
    `(?:limit|suspend|stop)${L} (?:the )?processing`,
    `огранич${L}.{0,30}обработк${L}`,
    `приостанов${L}.{0,30}обработк${L}`,
  ),
  ...rules('restriction', ARTICLE, false, article('18')),
];

const RECTIFICATION: Rule[] = [
  ...rules('rectification', STRONG, true,
    `(?:iz)?labo(?:jiet|t|jat|siet)${E}.{0,40}${PERSONAL_NOUN_LV}`,
    `${PERSONAL_NOUN_LV}.{0,40}(?:iz)?labo(?:jiet|t|jat|siet|jums|jumu|jumi|šanu|šana)`,
    // "Mans uzvārds ir uzrakstīts nepareizi": a participle may stand between.
    `(?:vārd|uzvārd|e-?past|adres|dati)${L}.{0,30}(?:nepareiz|kļūdain)${L}`,
    `(?:vārd|uzvārd|e-?past|adres|dati)${L}.{0,30}ar kļūdu`,
    `nepareiz${L} (?:ir )?(?:mans |mana |mani )?(?:vārd|uzvārd|e-?past|adres|dati)${L}`,
    `(?:nomain|main|atjaunin|atjauno|precizē)${L} (?:manu|mans|manus|savu|savus|man) ?(?:vārd${L}|uzvārd${L}|e-?past${L}|adres${L}|dat(?:i|us|u)|personas)`,
    `(?:correct|fix|update|change|amend|rectify|edit)${L} (?:the |my )?(?:spelling of (?:my )?)?(?:first |last |sur)?(?:name|surname|e-?mail|address|details|data|personal (?:data|information)|information)`,
    // "Mana e-pasta adrese ir mainījusies" / "my address has changed": a new address to record.
    `(?:e-?pasta adrese|e-?pasts|adrese|uzvārds) (?:ir )?(?:no)?mainīj${L}`,
    `my (?:e-?mail )?(?:address|e-?mail|surname|last name) (?:has )?changed`,
    `(?:адрес|почта|фамилия)${L} (?:электронн${L} почт${L} )?(?:изменил|поменял)${L}`,
    `(?:my )?(?:name|surname|e-?mail|address|details) (?:is|are) (?:wrong|incorrect|misspel${L}|spelled wrong|outdated)`,
    `(?:wrong|incorrect|misspel${L}) (?:name|surname|e-?mail|data|details)`,
    `rectif${L}|typo in my`,
    `исправ${L}.{0,30}(?:имя|имени|фамили${L}|данн${L}|адрес${L}|почт${L}|e-?mail)`,
    `(?:имя|фамили${L}|данн${L}|адрес${L}).{0,30}исправ${L}`,
    `(?:измени|поменя|обнови)${L},?(?: пожалуйста,?)? (?:мо${L} )?(?:имя|фамили${L}|данн${L}|адрес${L}|e-?mail|почт${L})`,
    `(?:неправильн|неверн|ошибочн)${L} (?:указан${L} |написан${L} )?(?:мо${L} )?(?:имя|фамили${L}|данн${L}|адрес${L})`,
    `ошибк${L} в (?:мо${L} )?(?:имени|фамилии|данных|адресе)`,
  ),
  ...rules('rectification', ARTICLE, false, article('16')),
];

const ACCESS: Rule[] = [
  ...rules('access', STRONG, false,
    `kād${L} (?:mani |manus )?(?:personas )?dat(?:us|i|u)${E}.{0,60}(?:glabā|apstrādā|uzglabā|par mani|jums ir|ir jums|turat|vācat|savācat)${L}`,
    `piekļuv${L}.{0,40}${DATA_LV}`,
    `(?:kopij|izdruk)${L}.{0,30}(?:manu |manus |visus )?(?:personas )?dat(?:i|us|u|iem)`,
    `informācij${L} par (?:maniem |saviem )?(?:personas )?dat${L}`,
    `informācij${L} (?:jūs )?(?:glabājat|apstrādājat) par mani`,
    `(?:izsniedz|sniedz|nosūt|atsūt)${L} .{0,30}(?:manus |visus )?personas dat(?:us|i)`,
    `(?:izsniedz|sniedz|nosūt|atsūt)${L} (?:man )?(?:manus |visus )dat(?:us|i)`,
    `what (?:personal )?data (?:do )?(?:you|your company) (?:hold|have|store|keep|process|collect)`,
    `what (?:do|does) (?:you|your company) (?:hold|have|store|keep|know) (?:about|on) me`,
    `(?:see|view|know|get|obtain|receive) (?:all )?(?:of )?my (?:personal )?(?:data|information)`,
    `(?:want|like|wish) to (?:see|view|know|get) (?:all )?(?:my|the) (?:personal )?data`,
    `what (?:personal )?information (?:do )?(?:you|your company) (?:hold|have|store|keep|process|collect)(?: about| on) me`,
    `what personal (?:data|information)`,
    `(?:data|information) (?:that )?(?:you )?(?:hold|have|store|keep|process) (?:about|on) me`,
    `(?:subject )?access request|dsar`,
    `access (?:to )?(?:all )?(?:my|the) (?:personal )?(?:data|information)`,
    `cop(?:y|ies) of (?:all )?(?:my|the) (?:personal )?(?:data|information)`,
    `data portability`,
    `как${L} (?:мо${L} )?(?:персональн${L} )?данн${L}`,
    `(?:информаци|данн)${L} обо мне`,
    `доступ к (?:мо${L} )?(?:персональн${L} )?данн${L}`,
    `копи${L} (?:мо${L} )?(?:персональн${L} )?данн${L}`,
  ),
  ...rules('access', ARTICLE, false, article('15')),
];

const WITHDRAWAL: Rule[] = [
  ...rules('withdrawal', STRONG, false,
    `atsau(?:c|k)${L}.{0,30}piekrišan${L}`,
    `piekrišan${L}.{0,30}atsau(?:c|k)${L}`,
    `iebilst${L}.{0,40}apstrād${L}`,
    `iebildum${L}.{0,30}apstrād${L}`,
    `nepiekrītu.{0,30}apstrād${L}`,
    `(?:withdraw|revok|retract)${L}.{0,30}consent`,
    `consent.{0,30}(?:withdraw|revok)${L}`,
    `object${L} to (?:the |any )?(?:further )?(?:data )?processing`,
    `objection to (?:the )?(?:data )?processing`,
    `(?:no longer|do not|don't) (?:give (?:my )?)?consent`,
    `(?:отзыв|отозв|отзова)${L}.{0,30}согласи${L}`,
    `возража${L}.{0,30}обработк${L}`,
    `не (?:даю|согласен|согласна) (?:на )?.{0,20}обработк${L}`,
  ),
  ...rules('withdrawal', ARTICLE, false, article('21'), `art\\. ?7\\(3\\)`),
];

/** Nouns of the newsletter itself: an unsubscribe verb next to one of these is unambiguous. */
const NEWSLETTER = `(?:jaunum|ziņ|vēstul|e-?past|sūtījum|abonē|sarakst|reklām|piedāvājum|newsletter|rassylk|paziņojum)${L}`;

const UNSUBSCRIBE: Rule[] = [
  ...rules('unsubscribe', STRONG, false,
    `unsubscri${L}|unsub`,
    `atrakstī?${L}`,
    `(?:atteik|atsak)${L}.{0,40}${NEWSLETTER}`,
    `izrakst${L} (?:mani|no)`,
    `nesūt(?:iet|īt|i) (?:man )?vairs${NOT_EMAIL}`,
    `vairs ne(?:vēl|grib|vajag|sūt)${L}${E}${NOT_EMAIL}`,
    `ne(?:vēl|grib)${L} (?:vairs )?saņemt${L}`,
    `(?:izņem|noņem|izslēdz|izslēg|svītro|dzēs|izdzēs)${L} (?:(?:manu|mano|mani) )?(?:(?:e-?past${L}|adres${L}) ){0,2}no (?:(?:jūsu|sava|šī|e-?pasta|adresātu) ){0,2}(?:sarakst|adresāt|jaunum|e-?jaunum)${L}`,
    `(?:pārtrauc|beidz)${L} (?:man )?(?:sūtīt|sūtīšanu)`,
    `take me off|opt[ -]?out`,
    `remove me from (?:your |the |this )?(?:mailing |e-?mail |newsletter )?(?:list|newsletters?|mailings?|e-?mails?)`,
    `stop (?:sending|emailing|e-mailing|mailing|spamming|the (?:e-?mails|newsletters?))${NOT_EMAIL}`,
    `(?:don't|do not) (?:send|e-?mail|mail) me (?:any ?more|(?:any )?(?:more )?(?:e-?mails|newsletters|mails|messages|offers))`,
    `(?:don't|do not|no longer) (?:want|wish) to (?:receive|get)`,
    `no more (?:e-?mails|newsletters|mails|messages)`,
    `cancel (?:my )?(?:subscription|newsletter)`,
    `(?:remove|delete|take) my (?:e-?mail|address|e-?mail address) (?:from|off)`,
    `отпи(?:с|ш)${L}`,
    `больше не (?:присылай|отправляй|пиши|хочу|нужно|надо|шлите)${L}${NOT_EMAIL}`,
    `не (?:присылай|шлите|отправляй)${L} (?:мне )?больше(?: (?:писем|рассылк${L}|новост${L}))?`,
    `(?:исключ|удал|убер|убр)${L} (?:мо${L} )?(?:адрес${L} |e-?mail |почт${L} )?(?:электронн${L} почт${L} )?из (?:ваш${L} |эт${L} )?(?:рассылк|списк)${L}`,
    `не (?:хочу|желаю) (?:больше )?получать`,
    `прекрат${L} (?:присылать|рассылку|отправлять|слать)`,
    `отказ${L} от (?:рассылк|подписк|писем|новост)${L}`,
  ),
  // Short or vague wordings: usually an unsubscribe, but also how people talk about a booking.
  ...rules('unsubscribe', STRONG, true,
    `(?:izņem|noņem|izslēdz|svītro|dzēs|izdzēs)${L} mani(?! .{0,20}${DATA_LV})`,
    `remove me`,
    `(?:удалит|исключит|убери|удали)${L} меня`,
  ),
  ...rules('unsubscribe', WEAK, true,
    `nesūt(?:iet|īt|i)${NOT_EMAIL}`,
    `(?:don't|do not) (?:send|e-?mail|mail|contact) me${NOT_EMAIL}`,
    `не (?:присылай|шлите|отправляй)${L}${NOT_EMAIL}`,
  ),
];

const RULES: Rule[] = [...ERASURE, ...RESTRICTION, ...RECTIFICATION, ...ACCESS, ...WITHDRAWAL, ...UNSUBSCRIBE];

/** A message that is nothing but the word ("Atteikties", "STOP", "Отписаться"). */
const BARE_UNSUBSCRIBE = rx(`^(?:lūdzu |please )?(?:atteikties|atteikt|atsakos|atteikums|stop|remove|unsubscribe|отписаться|отписка|отпишите)(?: lūdzu| please)?$`, 'u');

/** A GDPR request that names no right is most often a request for access; a person decides. */
const GENERIC_GDPR = rx(`${B}(?:gdpr|vdar|орзд|datu subjekta pieprasījum${L}|data subject request)${E}`, 'u');

/** Words of a booking or trip: a "delete"/"remove"/"change" in their sentence is about the booking. */
const BOOKING = rx(
  `${B}(?:(?:rezervācij|ceļojum|ekskursij|brauc|biļet|lidojum|viesnīc|maksājum|rēķin|sēdviet|grup|izbrauk|booking|reservation|trip|tour|ticket|flight|hotel|seat|excursion|invoice|payment|itinerar|passenger|group|брон|поездк|экскурси|билет|рейс|отел|гостиниц|оплат|групп)${L}|tūr(?:e|es|ei|i|u|ā)|vīz(?:a|as|u|ai|ā|ām)|visa (?:application|appointment)|room|тур(?:а|у|е|ом|ы|ов)?|виз(?:а|ы|у|е|ой)|сч[её]т${L}|мест(?:о|а|е|у)?)${E}`,
  'u',
);
/** Words that put such a sentence back on the newsletter or on personal data. */
const ABOUT_US = rx(
  `${B}(?:(?:e-?jaunum|jaunum|newsletter|mailing|subscription|gdpr|vdar|personas dat|персональн|рассылк|marketing|mārketing|данн)${L}|data|dati|datus|datu)${E}`,
  'u',
);

/** Polite requests phrased as questions ("Could you please delete my data?") are still requests. */
const POLITE = rx(`${B}(?:please|could you|can you|would you|lūdzu|ludzu|vai (?:jūs )?(?:varat|varētu|variet)|пожалуйста|прошу|не могли бы|можете)${E}`, 'u');

const MAX_MATCHES_PER_RULE = 20;

export function intentOf(text: string): Intent | undefined {
  return findIntent(text)?.intent;
}

/** The best request in a text: strongest first, then by the priority of the intents. */
export function findIntent(text: string): IntentMatch | undefined {
  const scanned = scanText(text);
  let best: IntentMatch | undefined;
  for (const rule of RULES) {
    if (best && best.confidence >= rule.confidence) continue;
    const found = firstAccepted(rule, scanned);
    if (found && (!best || found.confidence > best.confidence)) best = found;
  }
  if (best) return best;
  const bare = scanned.text.replace(/[^\p{L}\s]/gu, '').trim();
  if (BARE_UNSUBSCRIBE.test(bare)) return { intent: 'unsubscribe', confidence: STRONG, evidence: text.trim().slice(0, 200) };
  const generic = GENERIC_GDPR.exec(scanned.text);
  if (generic) return { intent: 'access', confidence: WEAK, evidence: originalSlice(scanned, generic.index, generic.index + generic[0].length) };
  return undefined;
}

function firstAccepted(rule: Rule, scanned: ScannedText): IntentMatch | undefined {
  const pattern = rule.pattern;
  pattern.lastIndex = 0;
  for (let n = 0; n < MAX_MATCHES_PER_RULE; n++) {
    const m = pattern.exec(scanned.text);
    if (!m) return undefined;
    const start = m.index;
    const end = start + m[0].length;
    pattern.lastIndex = end > start ? end : start + 1;
    const sentence = sentenceAround(scanned, start, end);
    if (rule.aboutData && BOOKING.test(sentence.text) && !ABOUT_US.test(sentence.text)) continue;
    // Asking whether one could withdraw or erase is not yet doing it: a person reads it.
    const hesitant = sentence.endsWithQuestion && rule.intent !== 'access' && rule.intent !== 'unsubscribe' && !POLITE.test(sentence.text);
    const confidence = hesitant ? Math.min(rule.confidence, WEAK) : rule.confidence;
    return { intent: rule.intent, confidence, evidence: originalSlice(scanned, start, end) };
  }
  return undefined;
}

export interface RequestResult extends Classification {
  asksQuestion: boolean;
}

export function detectRequest(view: MailView): RequestResult {
  const body = stripQuoted(view.text);
  const subject = stripSubjectPrefixes(view.subject.slice(0, 1000));
  const language = detectLanguage(`${subject}\n${body}`);
  const asksQuestion = asksSomething(body) || (!body.trim() && asksSomething(subject));
  const found = findIntent(body) ?? findIntent(subject);
  if (found) {
    return { kind: found.intent, confidence: found.confidence, evidence: found.evidence, language, asksQuestion, reason: 'request wording' };
  }
  return { kind: 'other', confidence: 0.9, language, asksQuestion, reason: 'no request recognised' };
}

/** "Re: Fwd: AW: …" off the subject, one prefix at a time (a nested quantifier would backtrack). */
function stripSubjectPrefixes(subject: string): string {
  let out = subject;
  for (let i = 0; i < 10; i++) {
    const m = /^\s{0,10}(?:re|fwd?|aw|sv|vs|atb|pārs|ответ|отв|fw) ?(?:\[\d{1,4}\])? ?:/i.exec(out);
    if (!m) break;
    out = out.slice(m[0].length);
  }
  return out.trim();
}

const INTERROGATIVE = rx(
  `^(?:vai|kā|kad|kur|cik|kāpēc|kādēļ|kas|kurš|kura|kuri|kādu|kāds|kāda|can|could|would|will|is|are|do|does|did|what|when|where|how|why|which|who|may|should|как|когда|где|сколько|почему|зачем|можно|что|какой|какая|какие|кто|ли)${E}`,
  'u',
);

/** A question mark, or a sentence that opens with an interrogative word, in the person's own text. */
export function asksSomething(withLinks: string): boolean {
  // A link's query string is not a question.
  const text = withLinks.slice(0, 64 * 1024).replace(/https?:\/\/[^\s<>]{0,2000}/gi, ' ');
  if (text.includes('?')) return true;
  for (const sentence of text.slice(0, 20_000).split(/[.!\n]/)) {
    if (INTERROGATIVE.test(fold(sentence.trim().slice(0, 40)))) return true;
  }
  return false;
}

// --- Quote stripping -------------------------------------------------------------------------

/** A line from which everything below is quoted, forwarded or signature. */
const CUT_LINE = rxu(
  `^\\s*-{2,}\\s*(?:original message|oriģinālā ziņa|sākotnējā ziņa|pārsūtīt${L} ziņa|forwarded message|исходное сообщение|пересылаемое сообщение|пересланное сообщение|ursprüngliche nachricht)`,
  `^\\s*_{10,}\\s*$`,
  `^\\s*begin forwarded message`,
  `^\\s*(?:sent from my|sent from outlook|get outlook for|nosūtīts no man${L}|sūtīts no man${L}|отправлено с|отправлено из)`,
  `^-- ?$`,
);

const ATTRIBUTION = rxu(
  `^\\s*(?:on|am|le|el|il|den|op)\\b.{0,250}(?:wrote|schrieb|a écrit|escribió|scrisse|skrev|schreef)\\s*:?\\s*$`,
  `^.{0,250}rakstīj${L}\\s*:?\\s*$`,
  `^.{0,250}(?:написал|писал|пишет)${L}(?:\\(а\\))?\\s*:?\\s*$`,
  // Gmail in some locales: "2024. gada 1. maijs 10:00, IMPRO <impro@impro.lv>:"
  `^.{5,250}<[^<>@ ]+@[^<> ]+>\\s*:\\s*$`,
);

const HEADER_FROM = rxu(`^\\s*\\*?(?:from|no|от|von|de|van)\\s*:\\*?\\s*[^ ]`);
const HEADER_NEXT = rxu(`^\\s*\\*?(?:sent|date|nosūtīts|datums|отправлено|дата|gesendet|envoyé|to|kam|кому|subject|temats|тема)\\s*:`);

/** Our newsletter's footer when it leaks into a reply without quote marks. */
const FOOTER = rxu(
  `^\\s*(?:lai atteiktos|to unsubscribe|ja (?:vairs )?nevēlaties|if you (?:no longer )?(?:wish|want)|jūs saņēmāt šo|šo e-pastu saņēmāt|you (?:are )?receiv(?:ed|ing) this|чтобы отписаться|вы получили это)`,
  `(?:atteik|unsubscri|отпис)${L}.{0,60}(?:https?:|/u/)`,
);
const FOOTER_BUTTON = rxu(`^\\s*(?:atteikties no e-?jaunumiem|unsubscribe from e-?jaunumi|отписаться от e-?jaunumi)\\s*$`);

/** Lines longer than this are never a quote marker, attribution or footer; they are only cut for the test. */
const MAX_MARKER_LINE = 1000;

export function stripQuoted(text: string): string {
  return splitQuoted(text).own;
}

/** The person's own text, and what they quoted or forwarded (and our leaked footer lines). */
export function splitQuoted(text: string): { own: string; quoted: string } {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  const folded = lines.map((l) => fold(l.slice(0, MAX_MARKER_LINE)));
  const kept: string[] = [];
  const quoted: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = folded[i];
    if (CUT_LINE.test(line) || isAttribution(folded, i) || isQuotedHeader(folded, i)) {
      quoted.push(...lines.slice(i));
      break;
    }
    if (/^\s{0,20}>/.test(line) || FOOTER.test(line) || isFooterButton(folded, i)) quoted.push(lines[i]);
    else kept.push(lines[i]);
  }
  return { own: kept.join('\n').trim(), quoted: quoted.join('\n') };
}

/** Attributions are short: "On Mon, 1 Jan 2024, IMPRO <impro@impro.lv> wrote:", often wrapped onto two lines. */
const MAX_ATTRIBUTION = 300;

function isAttribution(folded: string[], i: number): boolean {
  const line = folded[i];
  if (line.length > MAX_ATTRIBUTION) return false;
  if (ATTRIBUTION.test(line)) return true;
  const next = folded[i + 1] === undefined ? '' : folded[i + 1].trim();
  // Only a wrapped attribution: when the next line is one on its own, it is caught there.
  if (!next || !line.trim() || next.length > MAX_ATTRIBUTION || ATTRIBUTION.test(next)) return false;
  return ATTRIBUTION.test(`${line.trim()} ${next}`);
}

/** Outlook's quoted header block: "From: …" followed by "Sent: …" / "Nosūtīts: …". */
function isQuotedHeader(folded: string[], i: number): boolean {
  if (!HEADER_FROM.test(folded[i])) return false;
  return folded.slice(i + 1, i + 5).some((l) => HEADER_NEXT.test(l));
}

/** The footer's link text counts as footer only when its link follows (within a few lines). */
function isFooterButton(folded: string[], i: number): boolean {
  if (!FOOTER_BUTTON.test(folded[i])) return false;
  const next = folded.slice(i + 1, i + 4).find((l) => l.trim());
  return next !== undefined && /https?:\/\/|\/u\//.test(next);
}

/** Our footer, wherever it is: a sign that the person replied to one of our mails. */
const OUR_FOOTER = rxu(
  `(?:atteikties no e-?jaunumiem|unsubscribe from e-?jaunumi|jūs saņemat šo vēstuli, jo piekritāt|you receive this because you subscribed to e-?jaunumi|impro ceļojumi.{0,40}merķeļa)`,
);

export function carriesOurFooter(text: string): boolean {
  return OUR_FOOTER.test(fold(text.slice(0, 200_000)));
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
export function unsubscribeTokenFor(headers: HeaderList, opts: ClassifyOptions = {}): string | undefined {
  // Case is kept: tokens are case-sensitive.
  const addresses = RECIPIENT_HEADERS.flatMap((n) => headerValues(headers, n)).flatMap((v) => scanAddresses(v.slice(0, 10_000)));
  for (const address of addresses.slice(0, 50)) {
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
