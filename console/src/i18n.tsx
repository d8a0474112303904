// Every string the console shows, one catalogue per language: Latvian first, English second. The
// English catalogue must have every Latvian key (the type says so).
import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from 'react';

const lv = {
  'app.title': 'e-Jaunumi konsole',
  'lang.switch': 'Valoda',
  'nav.dashboard': 'Pārskats',
  'nav.campaigns': 'Kampaņas',
  'nav.lists': 'Saraksti',
  'nav.signOut': 'Iziet',
  'nav.menu': 'Izvēlne',
  'nav.signedInAs': 'Pieslēdzies: {email} ({role})',
  'role.marketer': 'mārketinga speciālists',
  'role.dpo': 'datu aizsardzības speciālists',
  'role.admin': 'administrators',

  'login.title': 'Pieslēgties',
  'login.email': 'E-pasta adrese',
  'login.password': 'Parole',
  'login.showPassword': 'Rādīt vai slēpt paroli',
  'login.submit': 'Pieslēgties',
  'login.totpTitle': 'Divpakāpju pārbaude',
  'login.totpHelp': 'Ievadiet 6 ciparu kodu no autentifikācijas lietotnes.',
  'login.totpCode': 'Kods',
  'login.totpSubmit': 'Apstiprināt',
  'login.enrolTitle': 'Iestatiet divpakāpju pārbaudi',
  'login.enrolHelp': 'Jūsu lomai nepieciešama otrā pārbaude. Noskenējiet QR kodu ar autentifikācijas lietotni (vai ievadiet atslēgu) un ievadiet tās rādīto kodu.',
  'login.enrolSecret': 'Atslēga',
  'login.enrolQr': 'QR kods autentifikācijas lietotnei',
  'login.back': 'Atpakaļ',

  'setPassword.title': 'Iestatiet paroli',
  'setPassword.help': 'Vismaz 12 rakstzīmes. Garāka frāze ir labāka par sarežģītu vārdu.',
  'setPassword.password': 'Jaunā parole',
  'setPassword.repeat': 'Atkārtojiet paroli',
  'setPassword.mismatch': 'Paroles nesakrīt.',
  'setPassword.submit': 'Saglabāt paroli',
  'setPassword.done': 'Parole saglabāta. Tagad varat pieslēgties.',
  'setPassword.noToken': 'Saitē nav vienreizējā koda. Atveriet saiti no e-pasta vēlreiz vai lūdziet administratoram jaunu.',
  'setPassword.toLogin': 'Uz pieslēgšanos',

  'dashboard.title': 'Pārskats',
  'dashboard.lists': 'Aktīvie abonenti sarakstos',
  'dashboard.recent': 'Pēdējās kampaņas',
  'dashboard.none': 'Vēl nav kampaņu.',

  'campaigns.title': 'Kampaņas',
  'campaigns.new': 'Jauna kampaņa',
  'campaigns.empty': 'Vēl nav nevienas kampaņas.',
  'campaigns.name': 'Nosaukums',
  'campaigns.list': 'Saraksts',
  'campaigns.status': 'Statuss',
  'campaigns.progress': 'Progress',
  'campaigns.open': 'Atvērt',

  'status.draft': 'melnraksts',
  'status.scheduled': 'ieplānota',
  'status.sending': 'sūta',
  'status.paused': 'apturēta',
  'status.sent': 'nosūtīta',
  'status.cancelled': 'atcelta',
  'status.failed': 'neizdevās',

  'editor.newTitle': 'Jauna kampaņa',
  'editor.editTitle': 'Kampaņa: {name}',
  'editor.name': 'Kampaņas nosaukums (redz tikai komanda)',
  'editor.list': 'Saraksts',
  'editor.subject': 'Temats',
  'editor.preheader': 'Priekšvārds (redzams iesūtnē aiz temata)',
  'editor.mjml': 'MJML saturs',
  'editor.mjmlHelp': 'Apvienošanas lauki: {{name}} (saņēmēja vārds), {{unsubscribeUrl}}, {{preferencesUrl}}. Rakstiet mj-section līmeņa MJML vai pilnu <mjml> dokumentu.',
  'editor.save': 'Saglabāt',
  'editor.saved': 'Saglabāts.',
  'editor.preview': 'Priekšskatījums',
  'editor.previewTitle': 'E-pasta priekšskatījums',
  'editor.previewDesktop': 'Dators',
  'editor.previewPhone': 'Tālrunis',
  'editor.previewStale': 'Atjauno…',
  'editor.inbox': 'Iesūtnē',
  'editor.mjmlErrors': 'MJML kļūdas',
  'editor.line': '{line}. rinda: {message}',
  'editor.testTitle': 'Testa sūtījums',
  'editor.testTo': 'Adreses (atdalītas ar komatu)',
  'editor.testSend': 'Sūtīt testu',
  'editor.testResult': 'Tests nosūtīts: {ok} no {all}.',
  'editor.saveFirst': 'Vispirms saglabājiet kampaņu.',
  'editor.sendNow': 'Sūtīt sarakstam…',
  'editor.back': 'Atpakaļ uz kampaņām',

  'send.title': 'Sūtīt kampaņu?',
  'send.body': 'Kampaņa „{name}” tagad tiks nosūtīta sarakstam „{list}”: {count} saņēmēji.',
  'send.bodyNote': 'Pēc sūtīšanas sākuma kampaņu vairs nevar labot.',
  'send.confirm': 'Sūtīt {count} saņēmējiem',
  'send.cancel': 'Atcelt',

  'progress.title': 'Sūtīšana',
  'progress.queued': 'Rindā',
  'progress.sent': 'Nosūtīti',
  'progress.skipped': 'Izlaisti',
  'progress.failed': 'Neizdevās',
  'progress.pause': 'Apturēt',
  'progress.resume': 'Turpināt',
  'progress.cancel': 'Atcelt sūtīšanu',
  'progress.cancelConfirm': 'Atcelt šo sūtīšanu? Atlikušie saņēmēji to nesaņems.',
  'progress.done': 'Sūtīšana pabeigta.',
  'progress.live': 'Atjaunojas automātiski',
  'progress.scheduledFor': 'Sūtīšana sāksies {at} (Rīgas laiks).',

  'lists.title': 'Saraksti',
  'lists.slug': 'Identifikators',
  'lists.active': 'Aktīvi',
  'lists.pending': 'Gaida apstiprinājumu',
  'lists.unsubscribed': 'Atrakstījušies',
  'lists.signupLink': 'Pierakstīšanās saite',
  'lists.public': 'Redzams pierakstīšanās lapā',
  'lists.hidden': 'Paslēpts',
  'lists.empty': 'Nav sarakstu.',

  'common.loading': 'Ielādē…',
  'common.close': 'Aizvērt',
  'common.error': 'Kļūda',

  'error.unauthenticated': 'Nepareiza e-pasta adrese vai parole.',
  'error.sessionEnded': 'Sesija ir beigusies. Lūdzu, pieslēdzieties vēlreiz.',
  'error.forbidden': 'Jūsu lomai šī darbība nav atļauta.',
  'error.crossSite': 'Pieprasījums atteikts drošības dēļ (cita vietne vai trūkst drošības žetona). Pārlādējiet lapu.',
  'error.rateLimited': 'Pārāk daudz mēģinājumu. Mēģiniet vēlreiz pēc {seconds} s.',
  'error.tooShort': 'Parole ir par īsu: vajag vismaz 12 rakstzīmes.',
  'error.tooLong': 'Parole ir par garu.',
  'error.common': 'Šī parole ir pārāk izplatīta. Izvēlieties citu.',
  'error.linkGone': 'Saite ir izmantota vai novecojusi. Lūdziet administratoram jaunu.',
  'error.totp': 'Kods nav derīgs. Pārbaudiet laiku tālrunī un mēģiniet vēlreiz.',
  'error.validation': 'Pārbaudiet ievadīto: {message}',
  'error.invalidMjml': 'MJML nav derīgs; skatiet kļūdas zem redaktora.',
  'error.notFound': 'Nav atrasts.',
  'error.conflict': 'Šobrīd to nevar izdarīt: {message}',
  'error.network': 'Serveris nav sasniedzams. Pārbaudiet savienojumu.',
  'error.server': 'Servera kļūda. Mēģiniet vēlreiz vēlāk.',
};

export type MessageKey = keyof typeof lv;

const en: Record<MessageKey, string> = {
  'app.title': 'e-Jaunumi console',
  'lang.switch': 'Language',
  'nav.dashboard': 'Dashboard',
  'nav.campaigns': 'Campaigns',
  'nav.lists': 'Lists',
  'nav.signOut': 'Sign out',
  'nav.menu': 'Menu',
  'nav.signedInAs': 'Signed in: {email} ({role})',
  'role.marketer': 'marketer',
  'role.dpo': 'data protection officer',
  'role.admin': 'administrator',

  'login.title': 'Sign in',
  'login.email': 'Email address',
  'login.password': 'Password',
  'login.showPassword': 'Show or hide the password',
  'login.submit': 'Sign in',
  'login.totpTitle': 'Two-step check',
  'login.totpHelp': 'Enter the 6-digit code from your authenticator app.',
  'login.totpCode': 'Code',
  'login.totpSubmit': 'Confirm',
  'login.enrolTitle': 'Set up the two-step check',
  'login.enrolHelp': 'Your role needs a second check. Scan the QR code with an authenticator app (or type the key) and enter the code it shows.',
  'login.enrolSecret': 'Key',
  'login.enrolQr': 'QR code for the authenticator app',
  'login.back': 'Back',

  'setPassword.title': 'Set your password',
  'setPassword.help': 'At least 12 characters. A long phrase beats a clever word.',
  'setPassword.password': 'New password',
  'setPassword.repeat': 'Repeat the password',
  'setPassword.mismatch': 'The passwords differ.',
  'setPassword.submit': 'Save password',
  'setPassword.done': 'Password saved. You can sign in now.',
  'setPassword.noToken': 'The link has no one-time code. Open the link from the mail again or ask an administrator for a new one.',
  'setPassword.toLogin': 'To sign-in',

  'dashboard.title': 'Dashboard',
  'dashboard.lists': 'Active subscribers per list',
  'dashboard.recent': 'Latest campaigns',
  'dashboard.none': 'No campaigns yet.',

  'campaigns.title': 'Campaigns',
  'campaigns.new': 'New campaign',
  'campaigns.empty': 'No campaigns yet.',
  'campaigns.name': 'Name',
  'campaigns.list': 'List',
  'campaigns.status': 'Status',
  'campaigns.progress': 'Progress',
  'campaigns.open': 'Open',

  'status.draft': 'draft',
  'status.scheduled': 'scheduled',
  'status.sending': 'sending',
  'status.paused': 'paused',
  'status.sent': 'sent',
  'status.cancelled': 'cancelled',
  'status.failed': 'failed',

  'editor.newTitle': 'New campaign',
  'editor.editTitle': 'Campaign: {name}',
  'editor.name': 'Campaign name (only the team sees it)',
  'editor.list': 'List',
  'editor.subject': 'Subject',
  'editor.preheader': 'Preheader (shown in the inbox after the subject)',
  'editor.mjml': 'MJML source',
  'editor.mjmlHelp': 'Merge fields: {{name}} (the recipient’s name), {{unsubscribeUrl}}, {{preferencesUrl}}. Write mj-section-level MJML or a whole <mjml> document.',
  'editor.save': 'Save',
  'editor.saved': 'Saved.',
  'editor.preview': 'Preview',
  'editor.previewTitle': 'Mail preview',
  'editor.previewDesktop': 'Desktop',
  'editor.previewPhone': 'Phone',
  'editor.previewStale': 'Updating…',
  'editor.inbox': 'In the inbox',
  'editor.mjmlErrors': 'MJML errors',
  'editor.line': 'line {line}: {message}',
  'editor.testTitle': 'Test send',
  'editor.testTo': 'Addresses (comma-separated)',
  'editor.testSend': 'Send test',
  'editor.testResult': 'Test sent: {ok} of {all}.',
  'editor.saveFirst': 'Save the campaign first.',
  'editor.sendNow': 'Send to the list…',
  'editor.back': 'Back to campaigns',

  'send.title': 'Send the campaign?',
  'send.body': 'Campaign “{name}” goes to list “{list}” now: {count} recipients.',
  'send.bodyNote': 'Once sending starts the campaign can no longer be edited.',
  'send.confirm': 'Send to {count} recipients',
  'send.cancel': 'Cancel',

  'progress.title': 'Sending',
  'progress.queued': 'Queued',
  'progress.sent': 'Sent',
  'progress.skipped': 'Skipped',
  'progress.failed': 'Failed',
  'progress.pause': 'Pause',
  'progress.resume': 'Resume',
  'progress.cancel': 'Cancel the send',
  'progress.cancelConfirm': 'Cancel this send? The remaining recipients will not get it.',
  'progress.done': 'Sending finished.',
  'progress.live': 'Updates by itself',
  'progress.scheduledFor': 'Sending starts on {at} (Riga time).',

  'lists.title': 'Lists',
  'lists.slug': 'Identifier',
  'lists.active': 'Active',
  'lists.pending': 'Awaiting confirmation',
  'lists.unsubscribed': 'Unsubscribed',
  'lists.signupLink': 'Sign-up link',
  'lists.public': 'Shown on the sign-up page',
  'lists.hidden': 'Hidden',
  'lists.empty': 'No lists.',

  'common.loading': 'Loading…',
  'common.close': 'Close',
  'common.error': 'Error',

  'error.unauthenticated': 'Wrong email address or password.',
  'error.sessionEnded': 'Your session has ended. Please sign in again.',
  'error.forbidden': 'Your role may not do this.',
  'error.crossSite': 'Request refused for safety (another site, or the security token is missing). Reload the page.',
  'error.rateLimited': 'Too many attempts. Try again in {seconds} s.',
  'error.tooShort': 'The password is too short: at least 12 characters.',
  'error.tooLong': 'The password is too long.',
  'error.common': 'This password is too common. Choose another.',
  'error.linkGone': 'The link was used or has expired. Ask an administrator for a new one.',
  'error.totp': 'The code is not valid. Check the time on your phone and try again.',
  'error.validation': 'Check your input: {message}',
  'error.invalidMjml': 'The MJML is not valid; see the errors below the editor.',
  'error.notFound': 'Not found.',
  'error.conflict': 'That cannot be done now: {message}',
  'error.network': 'The server cannot be reached. Check the connection.',
  'error.server': 'Server error. Try again later.',
};

export const LANGUAGES = ['lv', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];
const CATALOGUES: Record<Language, Record<MessageKey, string>> = { lv, en };
const STORAGE_KEY = 'ej-console-lang';

export type Translate = (key: MessageKey, vars?: Record<string, string | number>) => string;

/** Outside React (the API client) the current language is read from here. */
let current: Language = initialLanguage();

export function translate(key: MessageKey, vars: Record<string, string | number> = {}, lang: Language = current): string {
  return CATALOGUES[lang][key].replace(/\{(\w+)\}/g, (whole, name: string) => (name in vars ? String(vars[name]) : whole));
}

function initialLanguage(): Language {
  const stored = typeof localStorage === 'undefined' ? null : localStorage.getItem(STORAGE_KEY);
  return stored === 'en' || stored === 'lv' ? stored : 'lv';
}

const I18nContext = createContext<{ lang: Language; setLang: (l: Language) => void; t: Translate }>({
  lang: current,
  setLang: () => undefined,
  t: (key, vars) => translate(key, vars),
});

export function I18nProvider({ children }: { children: ReactNode }) {
  const [lang, setLangState] = useState<Language>(current);
  const setLang = useCallback((l: Language) => {
    current = l;
    localStorage.setItem(STORAGE_KEY, l);
    document.documentElement.lang = l;
    setLangState(l);
  }, []);
  const value = useMemo(() => ({ lang, setLang, t: ((key, vars) => translate(key, vars, lang)) as Translate }), [lang, setLang]);
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useI18n() {
  return useContext(I18nContext);
}
