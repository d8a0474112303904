// What GDPR art. 15(1)–(2) tells a person beside their data: purposes and legal basis, categories,
// recipients, retention, their rights and where to complain. It restates the privacy policy
// (templates/policy/, clauses 2–6) for the e-Jaunumi service; the retention periods are the ones
// the retention sweeps apply (RETENTION_* in the config), so the mail says what really happens.
import type { Config } from '../../config';
import type { ExportSection } from './access-export';
import { isoPeriod, periodWords, type ReadableSection } from './export-format';
import type { MailLocale } from './requester-mail';

export interface ProcessingNoticeSettings {
  retention: Config['retention'];
  publicBaseUrl: string;
  mailboxAddress: string;
}

type Words = Record<MailLocale, string>;

interface Described {
  code: string;
  text: Words;
}

const CONTROLLER = {
  name: 'SIA „IMPRO CEĻOJUMI”',
  registrationNumber: '40003235627',
  address: 'Merķeļa iela 13-204, Rīga, LV-1050, Latvija',
};

export const SUPERVISORY_AUTHORITY = {
  name: 'Datu valsts inspekcija',
  address: 'Elijas iela 17, Rīga, LV-1050, Latvija',
  website: 'https://www.dvi.gov.lv',
  email: 'pasts@dvi.gov.lv',
};

const PURPOSES: Array<Described & { legalBasis: Words }> = [
  {
    code: 'newsletter',
    text: {
      lv: 'e-Jaunumu (IMPRO CEĻOJUMI ceļojumu piedāvājumu un jaunumu) sūtīšana uz Jūsu e-pasta adresi',
      en: 'Sending e-Jaunumi (IMPRO CEĻOJUMI travel offers and news) to your e-mail address',
    },
    legalBasis: {
      lv: 'Jūsu piekrišana (VDAR 6. panta 1. punkta a) apakšpunkts; privātuma politikas 6. punkts)',
      en: 'your consent (GDPR Article 6(1)(a); clause 6 of the privacy policy)',
    },
  },
  {
    code: 'proof-of-consent',
    text: {
      lv: 'Pierādījums tam, kad un kā devāt vai atsaucāt piekrišanu',
      en: 'Proof of when and how you gave or withdrew your consent',
    },
    legalBasis: {
      lv: 'juridisks pienākums pierādīt piekrišanu (VDAR 6. panta 1. punkta c) apakšpunkts un 7. panta 1. punkts)',
      en: 'legal obligation to demonstrate consent (GDPR Articles 6(1)(c) and 7(1))',
    },
  },
  {
    code: 'respecting-refusal',
    text: {
      lv: 'Atcerēties Jūsu atteikšanos un nepiegādājamas adreses, lai nesūtītu to, ko nevēlaties, un nesūtītu uz adresēm, kas nedarbojas',
      en: 'Remembering that you unsubscribed, and addresses that cannot receive mail, so that we send nothing you do not want and nothing to dead addresses',
    },
    legalBasis: {
      lv: 'IMPRO leģitīmās intereses (VDAR 6. panta 1. punkta f) apakšpunkts)',
      en: 'IMPRO’s legitimate interests (GDPR Article 6(1)(f))',
    },
  },
  {
    code: 'requests',
    text: {
      lv: 'Jūsu vēstuļu un datu pieprasījumu izskatīšana un atbildes uz tiem',
      en: 'Handling and answering your messages and data requests',
    },
    legalBasis: {
      lv: 'juridisks pienākums (VDAR 6. panta 1. punkta c) apakšpunkts un 12.–22. pants)',
      en: 'legal obligation (GDPR Article 6(1)(c) and Articles 12–22)',
    },
  },
];

const CATEGORIES: Described[] = [
  { code: 'contact', text: { lv: 'E-pasta adrese', en: 'E-mail address' } },
  { code: 'profile', text: { lv: 'Vārds (ja to norādījāt) un vēlamā valoda', en: 'Name (if you gave one) and preferred language' } },
  {
    code: 'consent',
    text: {
      lv: 'Piekrišanas ieraksti: laiks, IP adrese, pārlūkprogrammas identifikācija (user agent), privātuma politikas versija un piekrišanas teksts, kuru redzējāt',
      en: 'Consent records: time, IP address, browser identification (user agent), privacy policy version and the consent text you were shown',
    },
  },
  { code: 'mailings', text: { lv: 'Kādi e-Jaunumi Jums sūtīti, kad un ar kādu iznākumu', en: 'Which e-Jaunumi were sent to you, when and with what outcome' } },
  {
    code: 'correspondence',
    text: { lv: 'Jūsu vēstules uz {mailbox} un Jūsu datu pieprasījumi', en: 'Your messages to {mailbox} and your data requests' },
  },
  {
    code: 'do-not-mail',
    text: {
      lv: 'Izsūtīšanas aizliegumi (piemēram, ja e-pasts uz adresi nav piegādājams)',
      en: 'Do-not-mail entries (for example when mail to the address cannot be delivered)',
    },
  },
];

const RECIPIENTS: Described[] = [
  {
    code: 'authorised-staff',
    text: {
      lv: 'Tikai īpaši pilnvaroti IMPRO darbinieki (privātuma politikas 3. punkts).',
      en: 'Only specially authorised IMPRO employees (clause 3 of the privacy policy).',
    },
  },
  {
    code: 'processors',
    text: {
      lv: 'Tehnisko pakalpojumu sniedzēji (serveri, e-pasta piegāde), kas datus apstrādā IMPRO uzdevumā un tikai tiktāl, cik nepieciešams e-pasta piegādei.',
      en: 'Technical service providers (servers, mail delivery) that process the data on IMPRO’s behalf, only as far as delivering the mail requires.',
    },
  },
  {
    code: 'no-third-parties',
    text: {
      lv: 'e-Jaunumu datus IMPRO nenodod trešajām personām to pašu vajadzībām (privātuma politikas 4. punkts).',
      en: 'IMPRO does not pass e-Jaunumi data to third parties for their own purposes (clause 4 of the privacy policy).',
    },
  },
];

type RetentionKey = keyof Config['retention'];

/** Each period the retention sweeps apply, in the order a person meets them; `{period}` is filled from the config. */
const RETENTION: Array<Described & { period?: RetentionKey }> = [
  {
    code: 'while-subscribed',
    text: {
      lv: 'Kamēr esat abonents: visu abonēšanas laiku.',
      en: 'While you are subscribed: for as long as the subscription lasts.',
    },
  },
  {
    code: 'unconfirmed-signup',
    period: 'unconfirmedMs',
    text: {
      lv: 'Neapstiprināta pierakstīšanās: {period} no pierakstīšanās brīža, pēc tam to dzēšam.',
      en: 'An unconfirmed sign-up: {period} from the sign-up, then it is deleted.',
    },
  },
  {
    code: 'after-unsubscribing',
    period: 'unsubscribedMs',
    text: {
      lv: 'Pēc atteikšanās no visiem sarakstiem: {period}, pēc tam dzēšam adresi, vārdu un abonementus; piekrišanas ieraksti paliek bez datiem, kas Jūs identificē, un paliek tikai neatgriezenisks adreses nospiedums, lai Jūsu atteikšanās tiktu ievērota.',
      en: 'After you have unsubscribed from every list: {period}, then your address, name and subscriptions are deleted; the consent records stay without anything that identifies you, and only an irreversible fingerprint of the address remains, so that your “no” is respected.',
    },
  },
  {
    code: 'delivery-details',
    period: 'deliveryDetailsMs',
    text: {
      lv: 'E-pasta piegādes sīkāka informācija (servera atbilde, vēstules identifikators): {period}, pēc tam to dzēšam.',
      en: 'Delivery details (the mail server’s answer, the message identifier): {period}, then deleted.',
    },
  },
  {
    code: 'message-text',
    period: 'inboundRawMs',
    text: { lv: 'Jūsu vēstuļu pilns teksts: {period}.', en: 'The full text of your messages to us: {period}.' },
  },
  {
    code: 'message-sender-subject',
    period: 'inboundMetaMs',
    text: { lv: 'Jūsu vēstuļu sūtītājs un temats: {period}.', en: 'Sender and subject of your messages to us: {period}.' },
  },
  {
    code: 'closed-requests',
    period: 'requestsAuditMs',
    text: {
      lv: 'Izpildīti vai noraidīti datu pieprasījumi: {period} pēc to slēgšanas.',
      en: 'Completed or rejected data requests: {period} after they were closed.',
    },
  },
  {
    code: 'after-erasure',
    text: {
      lv: 'Ja dati dzēsti pēc Jūsu pieprasījuma, paliek tikai neatgriezenisks adreses nospiedums izsūtīšanas aizlieguma sarakstā un piekrišanas ieraksti bez datiem, kas Jūs identificē.',
      en: 'After erasure at your request, only an irreversible fingerprint of the address stays on the do-not-mail list, with the consent records stripped of anything that identifies you.',
    },
  },
];

const RIGHTS: Described[] = [
  { code: 'access', text: { lv: 'Piekļūt saviem datiem (VDAR 15. pants) — šī vēstule ir atbilde uz šādu pieprasījumu.', en: 'Access your data (GDPR Article 15): this mail answers such a request.' } },
  { code: 'rectification', text: { lv: 'Prasīt nepareizu datu labošanu (16. pants).', en: 'Have wrong data corrected (Article 16).' } },
  { code: 'erasure', text: { lv: 'Prasīt datu dzēšanu (17. pants).', en: 'Have your data erased (Article 17).' } },
  { code: 'restriction', text: { lv: 'Prasīt datu apstrādes ierobežošanu (18. pants).', en: 'Have the processing restricted (Article 18).' } },
  {
    code: 'portability',
    text: { lv: 'Saņemt savus datus mašīnlasāmā formā (20. pants) — tie ir pievienotajā JSON failā.', en: 'Receive your data in a machine-readable form (Article 20): the attached JSON file.' },
  },
  {
    code: 'objection',
    text: { lv: 'Iebilst pret datu apstrādi, tostarp jebkurā brīdī pret tiešo tirgvedību (21. pants).', en: 'Object to the processing, and to direct marketing at any time (Article 21).' },
  },
  {
    code: 'withdrawal',
    text: {
      lv: 'Jebkurā brīdī atsaukt piekrišanu (7. panta 3. punkts) — ar saiti katra e-Jaunumu sūtījuma beigās vai rakstot uz {mailbox}.',
      en: 'Withdraw your consent at any time (Article 7(3)): with the link at the end of every e-Jaunumi mailing, or by writing to {mailbox}.',
    },
  },
];

const HEADINGS = {
  purposes: { lv: 'Kāpēc apstrādājam Jūsu datus un uz kāda pamata', en: 'Why we process your data, and on what legal basis' },
  categories: { lv: 'Kādus datus glabājam', en: 'What kinds of data we keep' },
  recipients: { lv: 'Kas var piekļūt datiem', en: 'Who has access to the data' },
  retention: { lv: 'Cik ilgi glabājam datus', en: 'How long we keep the data' },
  rights: { lv: 'Jūsu tiesības', en: 'Your rights' },
  complaint: { lv: 'Sūdzības', en: 'Complaints' },
} satisfies Record<string, Words>;

const PHRASES = {
  controller: {
    lv: 'Pārzinis: {name}, reģistrācijas Nr. {number}, {address}, {mailbox}. Pilna privātuma politika: {policyUrl}',
    en: 'Controller: {name}, registration No. {number}, {address}, {mailbox}. The full privacy policy: {policyUrl}',
  },
  howToUse: {
    lv: 'Lai izmantotu šīs tiesības, rakstiet uz {mailbox}. Atbildēsim mēneša laikā.',
    en: 'To use these rights, write to {mailbox}. We answer within one month.',
  },
  complaint: {
    lv: 'Jums ir tiesības iesniegt sūdzību uzraudzības iestādei — Datu valsts inspekcijai ({address}; www.dvi.gov.lv; {email}) — un vērsties tiesā.',
    en: 'You have the right to lodge a complaint with the supervisory authority, the Data State Inspectorate of Latvia (Datu valsts inspekcija, {address}; www.dvi.gov.lv; {email}), and to seek a judicial remedy.',
  },
} satisfies Record<string, Words>;

function fill(template: string, values: Record<string, string>): string {
  return template.replace(/\{(\w+)\}/g, (whole, key: string) => values[key] ?? whole);
}

export interface ProcessingNotice {
  controller: { name: string; registrationNumber: string; address: string; email: string };
  privacyPolicyUrl: string;
  purposes: Array<{ code: string; description: string; legalBasis: string }>;
  categories: Array<{ code: string; description: string }>;
  recipients: Array<{ code: string; description: string }>;
  retention: Array<{ code: string; period: string | null; description: string }>;
  rights: Array<{ code: string; description: string }>;
  supervisoryAuthority: typeof SUPERVISORY_AUTHORITY;
}

/** The notice in the export's language: the `processing` part of the JSON and the last parts of the mail. */
export function processingSection(settings: ProcessingNoticeSettings): ExportSection<ProcessingNotice> {
  return {
    key: 'processing',
    async collect({ locale }) {
      const values = { mailbox: settings.mailboxAddress };
      const described = (items: Described[]) => items.map((i) => ({ code: i.code, description: fill(i.text[locale], values) }));
      return {
        controller: { ...CONTROLLER, email: settings.mailboxAddress },
        privacyPolicyUrl: `${settings.publicBaseUrl}/privacy${locale === 'en' ? '?lang=en' : ''}`,
        purposes: PURPOSES.map((p) => ({ code: p.code, description: p.text[locale], legalBasis: p.legalBasis[locale] })),
        categories: described(CATEGORIES),
        recipients: described(RECIPIENTS),
        retention: RETENTION.map((r) => {
          const ms = r.period ? settings.retention[r.period] : undefined;
          return {
            code: r.code,
            period: ms === undefined ? null : isoPeriod(ms),
            description: fill(r.text[locale], { period: ms === undefined ? '' : periodWords(ms, locale) }),
          };
        }),
        rights: described(RIGHTS),
        supervisoryAuthority: SUPERVISORY_AUTHORITY,
      };
    },
    describe(notice, { locale }): ReadableSection[] {
      const c = notice.controller;
      return [
        {
          heading: HEADINGS.purposes[locale],
          items: notice.purposes.map((p) => `${p.description} — ${p.legalBasis}.`),
          notes: [fill(PHRASES.controller[locale], { name: c.name, number: c.registrationNumber, address: c.address, mailbox: c.email, policyUrl: notice.privacyPolicyUrl })],
        },
        { heading: HEADINGS.categories[locale], items: notice.categories.map((x) => x.description) },
        { heading: HEADINGS.recipients[locale], items: notice.recipients.map((x) => x.description) },
        { heading: HEADINGS.retention[locale], items: notice.retention.map((x) => x.description) },
        { heading: HEADINGS.rights[locale], items: notice.rights.map((x) => x.description), notes: [fill(PHRASES.howToUse[locale], { mailbox: c.email })] },
        {
          heading: HEADINGS.complaint[locale],
          paragraphs: [fill(PHRASES.complaint[locale], { address: notice.supervisoryAuthority.address, email: notice.supervisoryAuthority.email })],
        },
      ];
    },
  };
}
