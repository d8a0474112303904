// The person's data, one section each: what goes into the JSON (documented names, every key always
// present, null when empty; docs/access-export.md) and what the mail says about it in their
// language. Codes stay codes in the JSON; the mail speaks words. Nothing internal leaves: no
// database ids, keyed hashes, internal flags, staff names or notes written for staff.
import type { ConsentChannel, ConsentEventType } from '../../data/consent-event.model';
import { personalise } from '../../mail/campaign-renderer';
import { quotedNames } from '../consent/specific-consent';
import type { ExportContext, ExportSection } from './access-export';
import { dateTimeWords, dateWords, oneLine } from './export-format';
import type { MailLocale } from './requester-mail';

type Words = Record<MailLocale, string>;
type WordMap = Record<MailLocale, Record<string, string>>;

/** A long history stays readable: the mail lists this many entries, the attachment all of them. */
export const READABLE_LIMIT = 50;

const NONE: Words = { lv: 'Nav.', en: 'None.' };
const MORE: Words = { lv: '… un vēl {n} (visi ir pievienotajā JSON failā).', en: '… and {n} more (all of them are in the attached JSON file).' };

const LANGUAGE_WORDS: WordMap = { lv: { lv: 'latviešu', en: 'angļu' }, en: { lv: 'Latvian', en: 'English' } };
const YES_NO: Record<MailLocale, [string, string]> = { lv: ['jā', 'nē'], en: ['yes', 'no'] };

const STATUS_WORDS: WordMap = {
  lv: { pending: 'gaida apstiprinājumu', active: 'abonēts', unsubscribed: 'abonements atcelts', lapsed: 'nesūtām: piekrišana netika atjaunota pēc politikas maiņas' },
  en: { pending: 'waiting for confirmation', active: 'subscribed', unsubscribed: 'unsubscribed', lapsed: 'not sent: consent not renewed after a policy change' },
};

const EVENT_WORDS: Record<MailLocale, Record<ConsentEventType, string>> = {
  lv: {
    requested: 'pierakstījāties',
    confirmed: 'apstiprinājāt piekrišanu',
    withdrawn: 'atsaucāt piekrišanu (atteicāties)',
    imported: 'pārnests no IMPRO iepriekšējā saraksta',
    restricted: 'apstrāde ierobežota',
    'restriction-lifted': 'apstrādes ierobežojums atcelts',
    erased: 'dati dzēsti',
    suppressed: 'sūtīšana apturēta',
    'suppression-lifted': 'sūtīšanas aizliegums atcelts',
    rectified: 'dati laboti',
    expired: 'neapstiprinātā pierakstīšanās dzēsta',
    'opt-out-lifted': 'agrākā atteikšanās aizstāta ar Jūsu jauno piekrišanu',
    lapsed: 'sūtīšana beigta: piekrišana netika atjaunota pēc privātuma politikas maiņas',
  },
  en: {
    requested: 'you signed up',
    confirmed: 'you confirmed your consent',
    withdrawn: 'you withdrew your consent (unsubscribed)',
    imported: 'carried over from an earlier IMPRO list',
    restricted: 'processing restricted',
    'restriction-lifted': 'processing restriction lifted',
    erased: 'data erased',
    suppressed: 'mailing stopped',
    'suppression-lifted': 'do-not-mail entry lifted',
    rectified: 'data corrected',
    expired: 'unconfirmed sign-up deleted',
    'opt-out-lifted': 'earlier unsubscribe replaced by your new consent',
    lapsed: 'mailing ended: consent not renewed after the privacy policy changed',
  },
};

const CHANNEL_WORDS: Record<MailLocale, Record<ConsentChannel, string>> = {
  lv: {
    'web-form': 'veidlapa mūsu tīmekļa vietnē',
    api: 'mūsu tīmekļa vietne',
    'one-click': 'atteikšanās saite e-pastā',
    'unsubscribe-page': 'atteikšanās lapa',
    mailbox: 'Jūsu e-pasta vēstule mums',
    bounce: 'e-pasts netika piegādāts',
    complaint: 'ziņojums par nevēlamu e-pastu',
    admin: 'IMPRO darbinieks',
    import: 'saraksta pārnešana',
    retention: 'glabāšanas termiņa beigas',
    reconciliation: 'sistēmas pārbaude',
    're-consent': 'piekrišanas atjaunošana pēc privātuma politikas maiņas',
  },
  en: {
    'web-form': 'a form on our website',
    api: 'our website',
    'one-click': 'the unsubscribe link in a mail',
    'unsubscribe-page': 'the unsubscribe page',
    mailbox: 'your e-mail to us',
    bounce: 'mail could not be delivered',
    complaint: 'a report of unwanted mail',
    admin: 'IMPRO staff',
    import: 'carrying over a list',
    retention: 'end of the retention period',
    reconciliation: 'a system check',
    're-consent': 'renewing consent after a privacy policy change',
  },
};

const OUTCOME_WORDS: WordMap = {
  lv: { sent: 'nosūtīts', skipped: 'nav sūtīts', failed: 'neizdevās nosūtīt', ambiguous: 'iespējams, nosūtīts' },
  en: { sent: 'sent', skipped: 'not sent', failed: 'could not be sent', ambiguous: 'possibly sent' },
};

const REQUEST_TYPE_WORDS: WordMap = {
  lv: { access: 'piekļuve datiem', rectification: 'datu labošana', erasure: 'datu dzēšana', restriction: 'apstrādes ierobežošana', withdrawal: 'piekrišanas atsaukšana' },
  en: { access: 'access to data', rectification: 'correction', erasure: 'erasure', restriction: 'restriction of processing', withdrawal: 'withdrawal of consent' },
};

const REQUEST_STATUS_WORDS: WordMap = {
  lv: { 'awaiting-verification': 'gaida adreses apstiprinājumu', open: 'izskatīšanā', done: 'izpildīts', rejected: 'noraidīts' },
  en: { 'awaiting-verification': 'waiting for you to confirm the address', open: 'being handled', done: 'completed', rejected: 'rejected' },
};

const SUPPRESSION_WORDS: WordMap = {
  lv: {
    'hard-bounce': 'e-pasts uz adresi nav piegādājams',
    'soft-bounce': 'e-pasts atkārtoti nav piegādāts',
    complaint: 'ziņojums par nevēlamu e-pastu',
    manual: 'sūtīšanu apturējis IMPRO darbinieks',
    erasure: 'dati dzēsti pēc Jūsu pieprasījuma',
  },
  en: {
    'hard-bounce': 'mail to the address cannot be delivered',
    'soft-bounce': 'mail repeatedly not delivered',
    complaint: 'reported as unwanted mail',
    manual: 'mailing stopped by IMPRO staff',
    erasure: 'data erased at your request',
  },
};

const HEADINGS = {
  person: { lv: 'Jūsu pamatdati', en: 'Your details' },
  sources: { lv: 'No kurienes ir šie dati', en: 'Where the data came from' },
  consentHistory: { lv: 'Piekrišanas vēsture', en: 'Consent history' },
  mailings: { lv: 'Jums sūtītie e-Jaunumi', en: 'e-Jaunumi sent to you' },
  requests: { lv: 'Jūsu datu pieprasījumi', en: 'Your data requests' },
  doNotMail: { lv: 'Izsūtīšanas aizliegumi', en: 'Do-not-mail entries' },
  messagesToUs: { lv: 'Jūsu vēstules mums', en: 'Your messages to us' },
} satisfies Record<string, Words>;

const LABELS = {
  email: { lv: 'E-pasta adrese', en: 'E-mail address' },
  name: { lv: 'Vārds', en: 'Name' },
  language: { lv: 'Valoda', en: 'Language' },
  restricted: { lv: 'Apstrāde ierobežota', en: 'Processing restricted' },
  since: { lv: 'Pirmo reizi reģistrēts', en: 'First recorded' },
  lists: { lv: 'Jūsu abonementi', en: 'Your subscriptions' },
  noSubscriber: {
    lv: 'Mums nav abonenta ieraksta ar šo adresi; zemāk ir viss, kas ar to vēl ir saistīts.',
    en: 'We hold no subscriber record for this address; below is everything still linked to it.',
  },
  ip: { lv: 'IP adrese', en: 'IP address' },
  browser: { lv: 'pārlūkprogramma', en: 'browser' },
  policy: { lv: 'privātuma politikas versija', en: 'privacy policy version' },
  consentText: { lv: 'piekrišanas teksts', en: 'consent text' },
  fromMail: { lv: 'no e-pasta', en: 'from the mail' },
  due: { lv: 'atbildes termiņš', en: 'due' },
  until: { lv: 'līdz', en: 'until' },
  subject: { lv: 'temats', en: 'subject' },
  noSubject: { lv: '(bez temata)', en: '(no subject)' },
  unknownSubject: { lv: '(temats vairs nav zināms)', en: '(subject no longer known)' },
} satisfies Record<string, Words>;

const SOURCE_WORDS = {
  'sign-up-form': { lv: 'Pierakstīšanās veidlapa mūsu tīmekļa vietnē', en: 'The sign-up form on our website' },
  website: { lv: 'Pierakstīšanās mūsu tīmekļa vietnē', en: 'Sign-up on our website' },
  import: { lv: 'Pārnests no IMPRO iepriekšējā saraksta', en: 'Carried over from an earlier IMPRO list' },
  mailbox: { lv: 'Jūsu e-pasta vēstule IMPRO', en: 'Your e-mail to IMPRO' },
  request: { lv: 'Jūsu datu pieprasījums', en: 'Your data request' },
  importSource: { lv: 'avots', en: 'source' },
  consentedAt: { lv: 'piekrišana dota', en: 'consent given' },
  listWord: { lv: 'saraksts', en: 'list' },
} satisfies Record<string, Words>;

const REQUEST_CHANNEL_WORDS: WordMap = {
  lv: { mailbox: 'e-pasts', admin: 'IMPRO darbinieks', letter: 'rakstisks iesniegums', web: 'tīmekļa vietne' },
  en: { mailbox: 'e-mail', admin: 'IMPRO staff', letter: 'written request', web: 'website' },
};

function words(map: WordMap, locale: MailLocale, code: string | null | undefined): string {
  return code ? (map[locale][code] ?? code) : '';
}

/** At most READABLE_LIMIT items, and a line saying how many more the attachment holds. */
function capped(items: string[], locale: MailLocale): string[] {
  if (items.length === 0) return [NONE[locale]];
  if (items.length <= READABLE_LIMIT) return items;
  return [...items.slice(0, READABLE_LIMIT), MORE[locale].replace('{n}', String(items.length - READABLE_LIMIT))];
}

function listName(names: Map<string, Words>, slug: string | null | undefined, locale: MailLocale): string | null {
  if (!slug) return null;
  return names.get(slug)?.[locale] ?? slug;
}

/** A request number as the person knows it; sign-up nonces and other internal references are left out. */
function requestNumberOf(ref: string | null | undefined): string | null {
  return ref && /^DSR-\d{4}-\d+$/.test(ref) ? ref : null;
}

/** The subject as the person received it: merge fields filled with their name, in their language. */
async function subjectRenderer(ctx: ExportContext) {
  const subscriber = await ctx.records.subscriber();
  const locale = subscriber?.locale === 'en' ? 'en' : 'lv';
  const name = subscriber?.name ?? '';
  return (subject: string | null | undefined): string | null =>
    subject ? personalise({ subject, html: '', text: '' }, { name, locale, unsubscribeUrl: '', preferencesUrl: '' }).subject : null;
}

const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);

export const personSection: ExportSection<{
  email: string;
  name: string | null;
  language: string | null;
  restricted: boolean;
  firstRecordedAt: string | null;
  lastChangedAt: string | null;
} | null> = {
  key: 'person',
  async collect({ records }) {
    const s = await records.subscriber();
    if (!s) return null;
    return {
      email: s.email,
      name: s.name || null,
      language: s.locale ?? null,
      restricted: s.restricted === true,
      firstRecordedAt: iso(s.createdAt),
      lastChangedAt: iso(s.updatedAt),
    };
  },
  describe(person, { locale, records }) {
    if (!person) return [{ heading: HEADINGS.person[locale], paragraphs: [LABELS.noSubscriber[locale]], items: [`${LABELS.email[locale]}: ${records.email}`] }];
    const items = [
      `${LABELS.email[locale]}: ${person.email}`,
      `${LABELS.name[locale]}: ${person.name ?? NONE[locale]}`,
      `${LABELS.language[locale]}: ${words(LANGUAGE_WORDS, locale, person.language)}`,
      `${LABELS.restricted[locale]}: ${YES_NO[locale][person.restricted ? 0 : 1]}`,
    ];
    if (person.firstRecordedAt) items.push(`${LABELS.since[locale]}: ${dateTimeWords(new Date(person.firstRecordedAt), locale)}`);
    return [{ heading: HEADINGS.person[locale], items }];
  },
};

type Subscription = { list: string; listName: string; status: string; requestedAt: string | null; confirmedAt: string | null; unsubscribedAt: string | null; policyVersion: number | null };

export const subscriptionsSection: ExportSection<Subscription[]> = {
  key: 'subscriptions',
  async collect({ records, locale }) {
    const [subscriptions, names] = await Promise.all([records.subscriptions(), records.listNames()]);
    return subscriptions.map((s) => ({
      list: s.list,
      listName: listName(names, s.list, locale) ?? s.list,
      status: s.status,
      requestedAt: iso(s.requestedAt),
      confirmedAt: iso(s.confirmedAt),
      unsubscribedAt: iso(s.unsubscribedAt),
      policyVersion: s.policyVersion ?? null,
    }));
  },
  describe(subscriptions, { locale }) {
    const items = subscriptions.map((s) => `${quotedNames([s.listName], locale)} — ${words(STATUS_WORDS, locale, s.status)}`);
    return [{ heading: LABELS.lists[locale], items: capped(items, locale) }];
  },
};

type Source = {
  kind: 'sign-up-form' | 'website' | 'import' | 'mailbox' | 'request';
  at: string;
  list: string | null;
  ip: string | null;
  userAgent: string | null;
  importSource: string | null;
  consentedAt: string | null;
  requestNumber: string | null;
  messageSubject: string | null;
};

export const sourcesSection: ExportSection<Source[]> = {
  key: 'sources',
  async collect({ records }) {
    const [events, inbound, requests] = await Promise.all([records.consentEvents(), records.inboundMessages(), records.requests()]);
    // Every key in the documented order, whatever the kind.
    const source = (kind: Source['kind'], at: Date, fields: Partial<Source> = {}): Source => ({
      kind,
      at: at.toISOString(),
      list: null,
      ip: null,
      userAgent: null,
      importSource: null,
      consentedAt: null,
      requestNumber: null,
      messageSubject: null,
      ...fields,
    });
    const sources: Source[] = [];
    for (const e of events) {
      if (e.type === 'requested' && (e.channel === 'web-form' || e.channel === 'api')) {
        sources.push(source(e.channel === 'api' ? 'website' : 'sign-up-form', e.at, { list: e.list ?? null, ip: e.ip ?? null, userAgent: e.userAgent ?? null }));
      } else if (e.type === 'imported') {
        sources.push(source('import', e.at, { list: e.list ?? null, importSource: e.source ?? null, consentedAt: iso(e.consentedAt) }));
      }
    }
    for (const m of inbound) sources.push(source('mailbox', m.receivedAt, { messageSubject: m.subject ?? null }));
    // A request by mail is already there as the mail itself.
    for (const r of requests) if (r.channel !== 'mailbox') sources.push(source('request', r.receivedAt, { requestNumber: r.number }));
    return sources.sort((a, b) => a.at.localeCompare(b.at));
  },
  async describe(sources, { locale, records }) {
    const names = await records.listNames();
    const items = sources.map((s) => {
        const parts = [`${dateTimeWords(new Date(s.at), locale)} — ${SOURCE_WORDS[s.kind][locale]}`];
        if (s.list) parts.push(`${SOURCE_WORDS.listWord[locale]} ${quotedNames([listName(names, s.list, locale)!], locale)}`);
        if (s.ip) parts.push(`${LABELS.ip[locale]} ${s.ip}`);
        if (s.userAgent) parts.push(`${LABELS.browser[locale]}: ${s.userAgent}`);
        if (s.importSource) parts.push(`${SOURCE_WORDS.importSource[locale]}: ${quotedNames([s.importSource], locale)}`);
        if (s.consentedAt) parts.push(`${SOURCE_WORDS.consentedAt[locale]} ${dateWords(new Date(s.consentedAt), locale)}`);
        if (s.requestNumber) parts.push(s.requestNumber);
        if (s.kind === 'mailbox') parts.push(`${LABELS.subject[locale]}: ${s.messageSubject ? quotedNames([s.messageSubject], locale) : LABELS.noSubject[locale]}`);
        return parts.join(', ');
    });
    return [{ heading: HEADINGS.sources[locale], items: capped(items, locale) }];
  },
};

type ConsentRecord = {
  at: string;
  type: string;
  list: string | null;
  channel: string;
  ip: string | null;
  forwardedFor: string | null;
  userAgent: string | null;
  policyVersion: number | null;
  consentText: string | null;
  importSource: string | null;
  consentedAt: string | null;
  requestNumber: string | null;
  campaignSubject: string | null;
};

export const consentHistorySection: ExportSection<ConsentRecord[]> = {
  key: 'consentHistory',
  async collect(ctx) {
    const [events, campaigns, subjectOf] = await Promise.all([ctx.records.consentEvents(), ctx.records.campaignsOfEvents(), subjectRenderer(ctx)]);
    return events.map((e) => ({
      at: e.at.toISOString(),
      type: e.type,
      list: e.list ?? null,
      channel: e.channel,
      ip: e.ip ?? null,
      forwardedFor: e.forwardedFor ?? null,
      userAgent: e.userAgent ?? null,
      policyVersion: e.policyVersion ?? null,
      consentText: e.consentText ?? null,
      importSource: e.source ?? null,
      consentedAt: iso(e.consentedAt),
      requestNumber: requestNumberOf(e.requestRef),
      campaignSubject: e.campaignId ? subjectOf(campaigns.get(String(e.campaignId))?.subject) : null,
    }));
  },
  async describe(history, { locale, records }) {
    const names = await records.listNames();
    const items = history.map((e) => {
      const what = EVENT_WORDS[locale][e.type as ConsentEventType] ?? e.type;
      const parts = [`${dateTimeWords(new Date(e.at), locale)} — ${what}`];
      if (e.list) parts.push(quotedNames([listName(names, e.list, locale)!], locale));
      parts.push(CHANNEL_WORDS[locale][e.channel as ConsentChannel] ?? e.channel);
      if (e.ip) parts.push(`${LABELS.ip[locale]} ${e.ip}`);
      if (e.policyVersion !== null) parts.push(`${LABELS.policy[locale]} ${e.policyVersion}`);
      if (e.campaignSubject) parts.push(`${LABELS.fromMail[locale]} ${quotedNames([e.campaignSubject], locale)}`);
      if (e.requestNumber) parts.push(e.requestNumber);
      if (e.consentText) parts.push(`${LABELS.consentText[locale]}: ${quotedNames([e.consentText], locale)}`);
      return parts.join(', ');
    });
    return [{ heading: HEADINGS.consentHistory[locale], items: capped(items, locale) }];
  },
};

/** Which privacy-policy texts the consents name; each is published at its URL. JSON only. */
export function policyVersionsSection(publicBaseUrl: string): ExportSection<Array<{ version: number; effectiveAt: string; url: string }>> {
  return {
    key: 'policyVersions',
    async collect({ records, locale }) {
      const versions = await records.policyVersions();
      const lang = locale === 'en' ? '?lang=en' : '';
      return versions.map((p) => ({ version: p.version, effectiveAt: p.effectiveAt.toISOString(), url: `${publicBaseUrl}/privacy/v/${p.version}${lang}` }));
    },
  };
}

type Mailing = { at: string; subject: string | null; list: string | null; outcome: string; reason: string | null };

export const mailingsSection: ExportSection<Mailing[]> = {
  key: 'mailings',
  async collect(ctx) {
    const [mailings, subjectOf] = await Promise.all([ctx.records.mailings(), subjectRenderer(ctx)]);
    return mailings.map((m) => ({ at: m.at.toISOString(), subject: subjectOf(m.campaign?.subject), list: m.campaign?.list ?? null, outcome: m.outcome, reason: m.reason }));
  },
  describe(mailings, { locale }) {
    const items = mailings.map(
      (m) => `${dateTimeWords(new Date(m.at), locale)} — ${m.subject ? quotedNames([m.subject], locale) : LABELS.unknownSubject[locale]} (${words(OUTCOME_WORDS, locale, m.outcome)})`,
    );
    return [{ heading: HEADINGS.mailings[locale], items: capped(items, locale) }];
  },
};

type RequestRecord = {
  number: string;
  type: string;
  channel: string;
  status: string;
  receivedAt: string;
  dueAt: string;
  verifiedAt: string | null;
  closedAt: string | null;
  extensionReason: string | null;
  rejectionReason: string | null;
  history: Array<{ at: string; action: string }>;
};

/** Requests with what the person was told (extension and rejection reasons); staff notes and actors stay inside. */
export const requestsSection: ExportSection<RequestRecord[]> = {
  key: 'requests',
  async collect({ records }) {
    return (await records.requests()).map((r) => ({
      number: r.number,
      type: r.type,
      channel: r.channel,
      status: r.status,
      receivedAt: r.receivedAt.toISOString(),
      dueAt: r.dueAt.toISOString(),
      verifiedAt: iso(r.verifiedAt),
      closedAt: iso(r.closedAt),
      extensionReason: r.extensionReason ?? null,
      rejectionReason: r.rejectionReason ?? null,
      history: r.actions.map((a) => ({ at: a.at.toISOString(), action: a.action })),
    }));
  },
  describe(requests, { locale }) {
    const items = requests.map(
      (r) =>
        `${r.number}, ${dateWords(new Date(r.receivedAt), locale)} — ${words(REQUEST_TYPE_WORDS, locale, r.type)} (${words(REQUEST_CHANNEL_WORDS, locale, r.channel)}), ${words(REQUEST_STATUS_WORDS, locale, r.status)}${r.closedAt ? '' : `, ${LABELS.due[locale]} ${dateWords(new Date(r.dueAt), locale)}`}`,
    );
    return [{ heading: HEADINGS.requests[locale], items: capped(items, locale) }];
  },
};

export const doNotMailSection: ExportSection<Array<{ reason: string; since: string | null; until: string | null }>> = {
  key: 'doNotMail',
  async collect({ records }) {
    return (await records.suppressions()).map((s) => ({ reason: s.reason, since: iso(s.createdAt), until: iso(s.expiresAt) }));
  },
  describe(entries, { locale }) {
    const items = entries.map((s) => {
      const since = s.since ? `${dateWords(new Date(s.since), locale)} — ` : '';
      return `${since}${words(SUPPRESSION_WORDS, locale, s.reason)}${s.until ? ` (${LABELS.until[locale]} ${dateWords(new Date(s.until), locale)})` : ''}`;
    });
    return [{ heading: HEADINGS.doNotMail[locale], items: capped(items, locale) }];
  },
};

type InboundRecord = { receivedAt: string; subject: string | null; messageId: string | null; kind: string | null; outcome: string; raw: string | null };

/** The person's own mails to the mailbox, the full text while it is kept (RETENTION_INBOUND_RAW). */
export const messagesToUsSection: ExportSection<InboundRecord[]> = {
  key: 'messagesToUs',
  async collect({ records }) {
    return (await records.inboundMessages()).map((m) => ({
      receivedAt: m.receivedAt.toISOString(),
      subject: m.subject ?? null,
      messageId: m.messageId ?? null,
      kind: m.kind ?? null,
      outcome: m.outcome,
      raw: m.raw ?? null,
    }));
  },
  describe(messages, { locale }) {
    const items = messages.map((m) => `${dateTimeWords(new Date(m.receivedAt), locale)} — ${m.subject ? quotedNames([oneLine(m.subject)], locale) : LABELS.noSubject[locale]}`);
    return [{ heading: HEADINGS.messagesToUs[locale], items: capped(items, locale) }];
  },
};
