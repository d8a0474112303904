// The access export (art. 15) as the person reads it: their language, the policy's promises
// (purposes, legal basis, recipients, retention from the config, rights, the Datu valsts
// inspekcija), where their data came from, subjects as they received them; and a JSON attachment
// with documented, stable keys and nothing internal or anyone else's.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { expect } from 'chai';
import { Types } from 'mongoose';
import { AccessExport, EXPORT_VERSION, type ExportRequest } from '../../src/domain/requests/access-export';
import { hashEmail } from '../../src/domain/email-address';
import { RequesterMail } from '../../src/domain/requests/requester-mail';
import { createTestContext, type SinkMail, type TestContext } from '../helpers/context';
import { createSubscriber, DEFAULT_LIST } from '../helpers/factories';
import { to } from '../signup/helpers';

const FAMILY_LIST = 'celojumi-gimenem';
const DAY = 86_400_000;

// The documented shape (docs/access-export.md). Renaming or removing a key must fail here.
const TOP_LEVEL = [
  'format',
  'version',
  'generatedAt',
  'requestNumber',
  'language',
  'email',
  'person',
  'subscriptions',
  'sources',
  'consentHistory',
  'policyVersions',
  'mailings',
  'requests',
  'doNotMail',
  'messagesToUs',
  'processing',
  'ledger',
];
const ITEM_KEYS: Record<string, string[]> = {
  person: ['email', 'name', 'language', 'restricted', 'firstRecordedAt', 'lastChangedAt'],
  subscriptions: ['list', 'listName', 'status', 'requestedAt', 'confirmedAt', 'unsubscribedAt', 'policyVersion'],
  sources: ['kind', 'at', 'list', 'ip', 'userAgent', 'importSource', 'consentedAt', 'requestNumber', 'messageSubject'],
  consentHistory: [
    'at',
    'type',
    'list',
    'channel',
    'ip',
    'forwardedFor',
    'userAgent',
    'policyVersion',
    'consentText',
    'importSource',
    'consentedAt',
    'requestNumber',
    'campaignSubject',
  ],
  policyVersions: ['version', 'effectiveAt', 'url'],
  mailings: ['at', 'subject', 'list', 'outcome', 'reason'],
  requests: ['number', 'type', 'channel', 'status', 'receivedAt', 'dueAt', 'verifiedAt', 'closedAt', 'extensionReason', 'rejectionReason', 'history'],
  doNotMail: ['reason', 'since', 'until'],
  messagesToUs: ['receivedAt', 'subject', 'messageId', 'kind', 'outcome', 'raw'],
  processing: ['controller', 'privacyPolicyUrl', 'purposes', 'categories', 'recipients', 'retention', 'rights', 'supervisoryAuthority'],
};

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

/** Every key of every object in the document, at any depth. */
function allKeys(value: Json, into = new Set<string>()): Set<string> {
  if (Array.isArray(value)) value.forEach((v) => allKeys(v, into));
  else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      into.add(k);
      allKeys(v, into);
    }
  }
  return into;
}

function allStrings(value: Json, into: string[] = []): string[] {
  if (typeof value === 'string') into.push(value);
  else if (Array.isArray(value)) value.forEach((v) => allStrings(v, into));
  else if (value && typeof value === 'object') Object.values(value).forEach((v) => allStrings(v, into));
  return into;
}

describe('access export: for the person, in their language, with a stable JSON', () => {
  let t: TestContext;
  let exporter: AccessExport;
  const anna = 'anna.export@example.lv';
  const janis = 'janis.export@example.lv';
  const other = 'someone.else@example.lv';
  let otherHash: string;

  const requestFor = (email: string, locale: 'lv' | 'en', number = 'DSR-2026-0042'): ExportRequest => ({
    number,
    email,
    emailHash: hashEmail(email, t.config.emailHashKey),
    locale,
  });

  async function exportMail(email: string, locale: 'lv' | 'en', number: string): Promise<{ mail: SinkMail; data: Json }> {
    await exporter.send(requestFor(email, locale, number));
    const [mail] = await t.waitForMails(1, (m) => to(email)(m) && m.parsed.subject!.includes(number));
    const attachment = mail!.parsed.attachments[0]!;
    expect(attachment.filename).to.equal(`e-jaunumi-${number}.json`);
    return { mail: mail!, data: JSON.parse(attachment.content.toString('utf8')) };
  }

  async function seedCampaign(subject: string, list = DEFAULT_LIST) {
    return t.c.models.campaigns.create({ name: `internal name ${subject}`, list, subject, mjml: '<mjml/>', author: 'marketer@impro.lv' });
  }

  before(async () => {
    // Retention periods come from the config, not from the text.
    t = await createTestContext({ env: { RETENTION_UNCONFIRMED: '21d', RETENTION_INBOUND_RAW: '45d' } });
    await t.c.models.lists.create({ slug: FAMILY_LIST, name: { lv: 'Ceļojumi ģimenēm', en: 'Family trips' }, public: true });
    exporter = new AccessExport({
      models: t.c.models,
      requesterMail: new RequesterMail({ mailer: t.c.mailer, emails: t.c.emails, listHeaders: t.c.listHeaders, mailboxAddress: t.config.mailboxAddress }),
      now: () => new Date(),
      settings: { retention: t.config.retention, publicBaseUrl: t.config.publicBaseUrl, mailboxAddress: t.config.mailboxAddress },
    });

    const campaign = await seedCampaign('Labdien, {{name.vocative}}! Rudens ceļojumi');
    const family = await seedCampaign('{{name|Draugs}}, ģimenes brīvdienas', FAMILY_LIST);
    const people = [
      { email: anna, name: 'Anna Bērziņa', locale: 'lv' as const },
      { email: janis, name: 'Jānis Ozols', locale: 'en' as const },
      { email: other, name: 'Svešinieks Citādais', locale: 'lv' as const },
    ];
    for (const p of people) {
      const s = await createSubscriber(t.c, { ...p, lists: { [DEFAULT_LIST]: 'active', [FAMILY_LIST]: 'unsubscribed' } });
      const base = { subscriberId: s._id, emailHash: s.emailHash };
      await t.c.ledger.record({
        ...base,
        list: DEFAULT_LIST,
        type: 'requested',
        channel: 'web-form',
        ip: '198.51.100.7',
        userAgent: 'Firefox/140',
        policyVersion: 1,
        consentText: 'Piekrītu saņemt e-Jaunumus.',
        requestRef: 'f3a9c0d1e2b4',
        at: new Date(Date.now() - 40 * DAY),
      });
      await t.c.ledger.record({ ...base, list: DEFAULT_LIST, type: 'confirmed', channel: 'web-form', ip: '198.51.100.7', policyVersion: 1, at: new Date(Date.now() - 40 * DAY + 60_000) });
      await t.c.ledger.record({
        ...base,
        list: FAMILY_LIST,
        type: 'imported',
        channel: 'import',
        source: 'Klientu bāze 2019',
        consentedAt: new Date('2019-03-14T10:00:00Z'),
        policyVersion: 1,
        actor: 'dpo@impro.lv',
        at: new Date(Date.now() - 30 * DAY),
      });
      await t.c.ledger.record({ ...base, list: FAMILY_LIST, type: 'withdrawn', channel: 'one-click', campaignId: family._id, at: new Date(Date.now() - 10 * DAY) });
      for (const c of [campaign, family]) {
        await t.c.models.deliveries.create({ campaignId: c._id, subscriberId: s._id, claimedBy: 'run-1', at: new Date(Date.now() - 20 * DAY) });
        await t.c.models.deliveryOutcomes.create({ campaignId: c._id, subscriberId: s._id, status: 'sent', at: new Date(Date.now() - 20 * DAY), messageId: `<${c._id}.${s._id}@impro.lv>`, smtpResponse: '250 OK' });
      }
      await t.c.models.inboundMessages.create({
        dedupeKey: `dk-${p.email}`,
        messageId: `<q.${p.email}>`,
        mailbox: 'INBOX',
        uidKey: `1:${p.email}`,
        from: p.email,
        fromHash: s.emailHash,
        subject: 'Kādus datus par mani glabājat?',
        kind: 'access',
        outcome: 'applied',
        classification: { kind: 'access', confidence: 0.93 },
        note: 'staff note',
        raw: `From: ${p.email}\r\nSubject: Kādus datus par mani glabājat?\r\n\r\nLūdzu, izsniedziet manus datus.`,
        receivedAt: new Date(Date.now() - 5 * DAY),
      });
      await t.c.models.requests.create({
        number: `DSR-2026-${p.email === anna ? '0042' : p.email === janis ? '0043' : '0044'}`,
        type: 'access',
        channel: 'mailbox',
        email: p.email,
        emailHash: s.emailHash,
        subscriberId: s._id,
        receivedAt: new Date(Date.now() - 5 * DAY),
        dueAt: new Date(Date.now() + 25 * DAY),
        status: 'open',
        note: 'phoned twice, internal remark',
        actions: [
          { at: new Date(Date.now() - 5 * DAY), actor: 'mailbox', action: 'received' },
          { at: new Date(Date.now() - 4 * DAY), actor: 'dpo@impro.lv', action: 'verification-sent', note: 'smtp 451 from relay-7' },
        ],
      });
    }
    otherHash = hashEmail(other, t.config.emailHashKey);
    await t.c.models.suppressions.create({ emailHash: hashEmail(anna, t.config.emailHashKey), reason: 'soft-bounce', detail: '452 mailbox full', expiresAt: new Date(Date.now() + 20 * DAY) });
  });
  after(async () => t.close());

  it('keeps the documented keys: renaming, removing or adding one fails here and in docs/access-export.md', async () => {
    const { document } = await exporter.build(requestFor(anna, 'lv'));
    const data = JSON.parse(JSON.stringify(document));
    expect(Object.keys(data)).to.deep.equal(TOP_LEVEL);
    expect(data).to.include({ format: 'e-jaunumi-access-export', version: EXPORT_VERSION, requestNumber: 'DSR-2026-0042', language: 'lv', email: anna });
    expect(Object.keys(data.person)).to.deep.equal(ITEM_KEYS.person);
    expect(Object.keys(data.processing)).to.deep.equal(ITEM_KEYS.processing);
    for (const section of TOP_LEVEL.filter((k) => Array.isArray(data[k]))) {
      expect(data[section], section).to.not.be.empty;
      for (const item of data[section]) expect(Object.keys(item), section).to.deep.equal(ITEM_KEYS[section]);
    }
    expect(Object.keys(data.requests[0].history[0])).to.deep.equal(['at', 'action']);
    expect(Object.keys(data.processing.controller)).to.deep.equal(['name', 'registrationNumber', 'address', 'email']);
    expect(Object.keys(data.processing.supervisoryAuthority)).to.deep.equal(['name', 'address', 'website', 'email']);

    // Every key the file can hold is documented by name.
    const doc = await readFile(path.join(__dirname, '../../docs/access-export.md'), 'utf8');
    const documented = new Set([...doc.matchAll(/`([^`\n]+)`/g)].flatMap((m) => m[1]!.match(/[A-Za-z][A-Za-z0-9]*/g) ?? []));
    const undocumented = [...allKeys(data)].filter((k) => !documented.has(k));
    expect(undocumented, 'keys missing from docs/access-export.md').to.deep.equal([]);
  });

  it('holds nothing internal and nothing about anyone else', async () => {
    const { document } = await exporter.build(requestFor(anna, 'en'));
    // The ledger section is proof material: its ids and hashes are what the person recomputes
    // (docs/ledger.md). It is held to the one rule below; the rest of the file to all of them.
    const { ledger, ...data } = JSON.parse(JSON.stringify(document));
    for (const s of allStrings(ledger)) expect(s).not.to.contain(otherHash).and.not.to.contain(other);
    expect(ledger.chain).to.not.be.empty;
    const keys = allKeys(data);
    for (const internal of ['_id', 'id', '__v', 'emailHash', 'emailKey', 'fromHash', 'subscriberId', 'subscriptionId', 'campaignId', 'actor', 'note', 'pendingRef', 'anonymised', 'classification', 'smtpResponse', 'textHash', 'consentTextHash']) {
      expect(keys.has(internal), internal).to.equal(false);
    }
    const strings = allStrings(data);
    const annaHash = hashEmail(anna, t.config.emailHashKey);
    for (const s of strings) {
      expect(s, 'an ObjectId-looking string').not.to.match(/\b[0-9a-f]{24}\b/i);
      expect(s).not.to.contain(annaHash).and.not.to.contain(otherHash);
      // Staff, other people, internal remarks, the sign-up nonce, the marketer's campaign name.
      for (const foreign of ['dpo@impro.lv', 'marketer@impro.lv', other, 'Svešinieks', 'internal remark', 'relay-7', 'f3a9c0d1e2b4', 'internal name', 'mailbox full']) {
        expect(s).not.to.contain(foreign);
      }
    }
    expect(Types.ObjectId.isValid(data.requestNumber)).to.equal(false);
    // Anna's own data is there.
    expect(data.person).to.include({ email: anna, name: 'Anna Bērziņa', language: 'lv', restricted: false });
    expect(data.requests.map((r: Json) => r.number)).to.deep.equal(['DSR-2026-0042']);
    expect(data.messagesToUs).to.have.length(1);
    expect(data.messagesToUs[0].raw).to.contain('Lūdzu, izsniedziet manus datus.');
    expect(data.doNotMail).to.deep.equal([{ reason: 'soft-bounce', since: data.doNotMail[0].since, until: data.doNotMail[0].until }]);
  });

  it('shows each subject as that person received it, not the template', async () => {
    const a = JSON.parse(JSON.stringify((await exporter.build(requestFor(anna, 'lv'))).document));
    expect(a.mailings.map((m: Json) => m.subject)).to.deep.equal(['Labdien, Anna! Rudens ceļojumi', 'Anna Bērziņa, ģimenes brīvdienas']);
    // Jānis reads English: his first name, without the Latvian vocative ending.
    const j = JSON.parse(JSON.stringify((await exporter.build(requestFor(janis, 'en'))).document));
    expect(j.mailings.map((m: Json) => m.subject)).to.deep.equal(['Labdien, Jānis! Rudens ceļojumi', 'Jānis Ozols, ģimenes brīvdienas']);
    expect(j.mailings[0]).to.include({ list: DEFAULT_LIST, outcome: 'sent', reason: null });
    // The unsubscribe came from a mail: its subject as received.
    const withdrawn = a.consentHistory.find((e: Json) => e.type === 'withdrawn');
    expect(withdrawn).to.include({ channel: 'one-click', list: FAMILY_LIST, campaignSubject: 'Anna Bērziņa, ģimenes brīvdienas' });
    for (const s of allStrings(a)) expect(s).not.to.contain('{{');
  });

  it('says where the data came from: the form with date and IP, the import with its source, the mailbox', async () => {
    const { mail, data } = await exportMail(anna, 'lv', 'DSR-2026-0101');
    expect(data.sources.map((s: Json) => s.kind)).to.deep.equal(['sign-up-form', 'import', 'mailbox']);
    expect(data.sources[0]).to.include({ list: DEFAULT_LIST, ip: '198.51.100.7', userAgent: 'Firefox/140' });
    expect(data.sources[1]).to.include({ list: FAMILY_LIST, importSource: 'Klientu bāze 2019', consentedAt: '2019-03-14T10:00:00.000Z' });
    expect(data.sources[2]).to.include({ messageSubject: 'Kādus datus par mani glabājat?' });
    const text = mail.parsed.text!;
    expect(text).to.contain('No kurienes ir šie dati');
    expect(text).to.match(/- .* — Pierakstīšanās veidlapa mūsu tīmekļa vietnē, saraksts „e-Jaunumi”, IP adrese 198\.51\.100\.7/);
    expect(text).to.match(/Pārnests no IMPRO iepriekšējā saraksta, saraksts „Ceļojumi ģimenēm”, avots: „Klientu bāze 2019”, piekrišana dota 14\.03\.2019\./);
    expect(text).to.contain('Jūsu e-pasta vēstule IMPRO, temats: „Kādus datus par mani glabājat?”');
  });

  it('speaks Latvian: data, history, purposes and legal basis, recipients, retention from the config, rights, the Datu valsts inspekcija', async () => {
    const { mail, data } = await exportMail(anna, 'lv', 'DSR-2026-0102');
    expect(mail.parsed.subject).to.equal('Jūsu dati — pieprasījums DSR-2026-0102');
    const text = mail.parsed.text!;
    const html = mail.parsed.html as string;
    for (const heading of [
      'Jūsu pamatdati',
      'Jūsu abonementi',
      'No kurienes ir šie dati',
      'Piekrišanas vēsture',
      'Jums sūtītie e-Jaunumi',
      'Jūsu datu pieprasījumi',
      'Izsūtīšanas aizliegumi',
      'Jūsu vēstules mums',
      'Kāpēc apstrādājam Jūsu datus un uz kāda pamata',
      'Kādus datus glabājam',
      'Kas var piekļūt datiem',
      'Cik ilgi glabājam datus',
      'Jūsu tiesības',
      'Sūdzības',
    ]) {
      expect(text, heading).to.contain(`${heading}\n---`);
      expect(html, heading).to.contain(`>${heading}</h2>`);
    }
    expect(text).to.contain('Vārds: Anna Bērziņa').and.contain('Valoda: latviešu');
    expect(text).to.contain('„e-Jaunumi” — abonēts').and.contain('„Ceļojumi ģimenēm” — abonements atcelts');
    expect(text).to.contain('„Labdien, Anna! Rudens ceļojumi” (nosūtīts)');
    expect(text).to.contain('Jūsu piekrišana (VDAR 6. panta 1. punkta a) apakšpunkts');
    expect(text).to.contain('Neapstiprināta pierakstīšanās: 21 diena no pierakstīšanās brīža');
    expect(text).to.contain('Jūsu vēstuļu pilns teksts: 45 dienas.');
    expect(text).to.contain('Pēc atteikšanās no visiem sarakstiem: 365 dienas');
    for (const right of ['labošanu', 'ierobežošanu', 'dzēšanu', 'atsaukt piekrišanu', 'Iebilst']) expect(text, right).to.contain(right);
    expect(text).to.contain('Datu valsts inspekcijai').and.contain('www.dvi.gov.lv');
    expect(text).to.contain('e-pasts atkārtoti nav piegādāts');
    expect(data.processing.retention.find((r: Json) => r.code === 'unconfirmed-signup').period).to.equal('P21D');
    expect(data.processing.purposes.map((p: Json) => p.code)).to.deep.equal(['newsletter', 'proof-of-consent', 'respecting-refusal', 'requests']);
    expect(data.processing.supervisoryAuthority.website).to.equal('https://www.dvi.gov.lv');
    // No English left in the Latvian mail's own words.
    expect(text).not.to.match(/Your data|legal basis|Complaints|None\./);
  });

  it('speaks English to a person who asked in English, with the same JSON keys and codes', async () => {
    const { mail, data } = await exportMail(janis, 'en', 'DSR-2026-0103');
    expect(mail.parsed.subject).to.equal('Your data — request DSR-2026-0103');
    const text = mail.parsed.text!;
    for (const heading of ['Your details', 'Your subscriptions', 'Where the data came from', 'Consent history', 'e-Jaunumi sent to you', 'Why we process your data, and on what legal basis', 'Who has access to the data', 'How long we keep the data', 'Your rights', 'Complaints']) {
      expect(text, heading).to.contain(`${heading}\n---`);
    }
    expect(text).to.contain('Language: English').and.contain('“Family trips” — unsubscribed');
    expect(text).to.contain('An unconfirmed sign-up: 21 days from the sign-up');
    expect(text).to.contain('The sign-up form on our website, list “e-Jaunumi”, IP address 198.51.100.7');
    expect(text).to.contain('source: “Klientu bāze 2019”');
    for (const right of ['corrected', 'restricted', 'erased', 'Withdraw your consent', 'Object to the processing']) expect(text, right).to.contain(right);
    expect(text).to.contain('Data State Inspectorate of Latvia (Datu valsts inspekcija').and.contain('www.dvi.gov.lv');
    expect(text).not.to.match(/Jūsu|Sūdzības|Nav\./);
    expect(data.language).to.equal('en');
    expect(data.subscriptions.map((s: Json) => s.listName)).to.deep.equal(['e-Jaunumi', 'Family trips']);
    expect(data.processing.purposes.map((p: Json) => p.code)).to.deep.equal(['newsletter', 'proof-of-consent', 'respecting-refusal', 'requests']);
  });

  it('renders a hostile name safely: no markup in the HTML, no extra line or header in the text', async () => {
    const email = 'hostile.export@example.lv';
    const name = '<img src=x onerror=alert(1)>\r\nBcc: victim@example.com\r\n\r\n<b>Ievērībai</b>';
    const s = await createSubscriber(t.c, { email, name, lists: { [DEFAULT_LIST]: 'active' } });
    const campaign = await seedCampaign('Sveiki, {{name}}!');
    await t.c.models.deliveryOutcomes.create({ campaignId: campaign._id, subscriberId: s._id, status: 'sent', at: new Date() });
    await t.c.models.inboundMessages.create({
      dedupeKey: 'dk-hostile',
      mailbox: 'INBOX',
      uidKey: '1:hostile',
      from: email,
      fromHash: s.emailHash,
      subject: '</li><script>x()</script>\nX-Injected: 1',
      receivedAt: new Date(),
    });
    const { mail, data } = await exportMail(email, 'lv', 'DSR-2026-0104');
    const html = mail.parsed.html as string;
    expect(html).not.to.contain('<img src=x').and.not.to.contain('<script>').and.not.to.contain('<b>Ievērībai');
    expect(html).to.contain('&lt;img src=x onerror=alert(1)&gt;').and.contain('&lt;/li&gt;&lt;script&gt;');
    const lines = mail.parsed.text!.split(/\r?\n/);
    expect(lines.filter((l) => /^(Bcc|X-Injected):/.test(l))).to.deep.equal([]);
    expect(lines.some((l) => l.startsWith('- Vārds: <img src=x onerror=alert(1)> Bcc: victim@example.com <b>Ievērībai</b>'))).to.equal(true);
    expect(mail.parsed.headers.has('bcc')).to.equal(false);
    expect(mail.parsed.headers.has('x-injected')).to.equal(false);
    // The subject as received: the name in one line, as the header-safe renderer made it.
    expect(data.mailings[0].subject).to.equal('Sveiki, <img src=x onerror=alert(1)> Bcc: victim@example.com <b>Ievērībai</b>!');
    // The JSON keeps the name exactly as stored: it is data, not markup.
    expect(data.person.name).to.equal(name);
  });

  it('answers someone we hold no subscriber for, saying so', async () => {
    const email = 'stranger.export@example.lv';
    const { mail, data } = await exportMail(email, 'en', 'DSR-2026-0105');
    expect(data.person).to.equal(null);
    expect(data.subscriptions).to.deep.equal([]);
    expect(Object.keys(data)).to.deep.equal(TOP_LEVEL);
    expect(mail.parsed.text).to.contain('We hold no subscriber record for this address').and.contain('Your rights');
  });
});
