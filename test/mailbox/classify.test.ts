import { randomBytes } from 'node:crypto';
import { readFile, readdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { expect } from 'chai';
import { classifyMessage } from '../../src/mailbox/classify';
import { classifyFiles } from '../../src/mailbox/classify-files';
import type { MailKind } from '../../src/mailbox/classification';

const FIXTURES = fileURLToPath(new URL('../fixtures/mail/', import.meta.url));

type Expectation = [file: string, kind: MailKind, recipient?: string, status?: string, permanent?: boolean];

// The corpus table: every fixture, what it must classify as. Bounces: recipient, status,
// permanent; complaints: recipient (undefined where the provider redacted it).
const CORPUS: Expectation[] = [
  ['access--en-gdpr-article-15.eml', 'access'],
  ['access--lv-kadus-datus-glabajat.eml', 'access'],
  ['access--ru-kakie-dannye.eml', 'access'],
  ['auto-reply--en-auto-submitted-ticket.eml', 'auto-reply'],
  ['auto-reply--en-out-of-office-subject-only.eml', 'auto-reply'],
  ['auto-reply--exchange-inbox-rules-loop.eml', 'auto-reply'],
  ['auto-reply--lv-outlook-auto-submitted.eml', 'auto-reply'],
  ['auto-reply--quotes-footer-unsubscribe.eml', 'auto-reply'],
  ['auto-reply--read-receipt-mdn.eml', 'auto-reply'],
  ['auto-reply--ru-avtootvet-x-autoreply.eml', 'auto-reply'],
  ['bounce--551-5.1.6-user-moved.eml', 'bounce', 'laura@vecadrese.lv', '5.1.6', true],
  ['bounce--broken-mime-dsn-5.1.1.eml', 'bounce', 'kristaps@kurzeme.lv', '5.1.1', true],
  ['bounce--courier-5.1.1-user-unknown.eml', 'bounce', 'sandra@dzirnavas.lv', '5.1.1', true],
  ['bounce--dsn-generic-5.0.0-specific-diagnostic-5.1.1.eml', 'bounce', 'peteris.liepa@tvnet.lv', '5.1.1', true],
  ['bounce--exchange-delay-4.4.7.eml', 'bounce', 'valdis@birojs365.lv', '4.4.7', false],
  ['bounce--exchange-legacy-5.1.1-undeliverable.eml', 'bounce', 'raimonds.ozols@vidzemes-birojs.lv', '5.1.1', true],
  ['bounce--exim-4.4.7-retry-timeout.eml', 'bounce', 'info@vecais-serveris.lv', '4.4.7', false],
  ['bounce--exim-5.1.1-no-such-user.eml', 'bounce', 'edgars.sprogis@one.lv', '5.1.1', true],
  ['bounce--exim-5.3.4-message-too-large.eml', 'bounce', 'arturs@dizains.lv', '5.3.4', false],
  ['bounce--exim-5.7.1-o365-access-denied-recipient.eml', 'bounce', 'marta.lapa@birojs.example.com', '5.4.1', true],
  ['bounce--gmail-5.1.1-address-not-found.eml', 'bounce', 'karlis.zarins1987@gmail.com', '5.1.1', true],
  ['bounce--gmail-delay-4.4.7-timed-out.eml', 'bounce', 'liene@majas-lapa.lv', '4.4.7', false],
  ['bounce--gmail-5.2.1-rate-limited-not-dead.eml', 'bounce', 'dace.kalnina.celo@gmail.com', '5.2.1', false],
  ['bounce--groupwise-5.1.1-user-not-found.eml', 'bounce', 'skolotaja.inese@skola.edu.lv', '5.1.1', true],
  ['bounce--lotus-domino-5.1.1-not-listed.eml', 'bounce', 'andris.koks@kokapstrade.lv', '5.1.1', true],
  ['bounce--lv-isp-4.2.2-over-quota.eml', 'bounce', 'vilnis.berzins@lattelecom.lv', '4.2.2', false],
  ['bounce--mdaemon-5.1.1-permanent-fatal.eml', 'bounce', 'normunds@buvnieks-sia.lv', '5.1.1', true],
  ['bounce--o365-dsn-5.1.10-recipient-not-found.eml', 'bounce', 'liga.petersone@rigasfirma.lv', '5.1.10', true],
  ['bounce--postfix-5.1.0-sender-blocklisted-not-dead.eml', 'bounce', 'juris@celtnieks.example.nl', '5.1.0', false],
  ['bounce--postfix-dsn-5.1.1-user-unknown.eml', 'bounce', 'anna.berzina@inbox.lv', '5.1.1', true],
  ['bounce--postfix-dsn-5.2.2-mailbox-full.eml', 'bounce', 'ilze.ozola@apollo.lv', '5.2.2', false],
  ['bounce--postfix-dsn-5.7.1-spamhaus-blocked.eml', 'bounce', 'zane@mazfirma.lv', '5.7.1', false],
  ['bounce--postfix-plain-5.1.2-domain-not-found.eml', 'bounce', 'janis.kalnins@kalninu-gimene.lvv', '5.1.2', true],
  ['bounce--qmail-5.1.1-no-mailbox.eml', 'bounce', 'gunta.vilka@latnet.lv', '5.1.1', true],
  ['bounce--qmail-5.4.4-no-mail-exchanger.eml', 'bounce', 'aivars@slegta-firma.lv', '5.4.4', true],
  ['bounce--relay-denied-5.7.1.eml', 'bounce', 'toms@vecs-hostings.lv', '5.7.1', false],
  ['bounce--ru-mailru-5.1.1-user-not-found.eml', 'bounce', 'sergey.petrov@mail.ru', '5.1.1', true],
  ['bounce--ru-yandex-5.0.0-account-disabled.eml', 'bounce', 'olga.ivanova@yandex.ru', '5.0.0', true],
  ['bounce--sendmail-delay-4.4.1-warning.eml', 'bounce', 'maris@lauku-saimnieciba.lv', '4.4.1', false],
  ['bounce--sendmail-dsn-5.1.1-user-unknown.eml', 'bounce', 'k.muller@firma.de', '5.1.1', true],
  ['bounce--sendmail-final-timeout-4.4.7.eml', 'bounce', 'maris@lauku-saimnieciba.lv', '4.4.7', false],
  ['bounce--sendmail-5.7.27-null-mx-not-accepting.eml', 'bounce', 'birojs@parked-domain.example', '5.7.27', true],
  ['bounce--ses-dsn-5.1.1.eml', 'bounce', 'rudolfs@bitemail.lv', '5.1.1', true],
  ['bounce--ses-json-permanent-5.1.1.eml', 'bounce', 'aivars.kalejs@example.lv', '5.1.1', true],
  ['bounce--ses-json-transient-4.2.2-mailbox-full.eml', 'bounce', 'dace@inbox.lv', '4.2.2', false],
  ['bounce--yahoo-554-no-account.eml', 'bounce', 'baiba_k@yahoo.com', '5.1.1', true],
  ['bounce--zimbra-5.2.1-mailbox-disabled.eml', 'bounce', 'evija@zimbra.augstskola.lv', '5.2.1', true],
  ['complaint--arf-abuse-yahoo.eml', 'complaint', 'rasma.kalnina@yahoo.com'],
  ['complaint--arf-aol-redacted-no-recipient.eml', 'complaint', undefined],
  ['complaint--arf-not-spam-original-rcpt-to.eml', 'complaint', 'natalja.smirnova@mail.ru'],
  ['complaint--jmrp-hotmail-x-hmxmr.eml', 'complaint', 'gatis.liepins@outlook.com'],
  ['complaint--ses-json-abuse.eml', 'complaint', 'marta.ozolina@example.com'],
  ['erasure--en-right-to-be-forgotten.eml', 'erasure'],
  ['erasure--lv-atrakstiet-un-izdzesiet-datus.eml', 'erasure'],
  ['erasure--ru-udalite-dannye.eml', 'erasure'],
  ['other--empty-body.eml', 'other'],
  ['other--en-outlook-trip-question-unquoted-footer.eml', 'other'],
  ['other--lv-trip-question-quoted-footer.eml', 'other'],
  ['other--lv-no-sms-trip-question.eml', 'other'],
  ['other--nested-rfc822-three-deep.eml', 'other'],
  ['rectification--en-correct-my-name.eml', 'rectification'],
  ['rectification--lv-adrese-mainijusies.eml', 'rectification'],
  ['rectification--lv-vards-nepareizs.eml', 'rectification'],
  ['rectification--ru-ispravte-familiyu.eml', 'rectification'],
  ['restriction--en-restrict-processing.eml', 'restriction'],
  ['restriction--lv-ierobezot-apstradi.eml', 'restriction'],
  ['restriction--ru-ogranichit-obrabotku.eml', 'restriction'],
  ['unsubscribe--broken-boundary.eml', 'unsubscribe'],
  ['unsubscribe--en-subject-only.eml', 'unsubscribe'],
  ['unsubscribe--lv-atrakstiet-mani.eml', 'unsubscribe'],
  ['unsubscribe--lv-no-diacritics.eml', 'unsubscribe'],
  ['unsubscribe--mailto-token.eml', 'unsubscribe'],
  ['unsubscribe--malformed-unknown-charset.eml', 'unsubscribe'],
  ['unsubscribe--no-message-id.eml', 'unsubscribe'],
  ['unsubscribe--ru-isklyuchit-iz-rassylki.eml', 'unsubscribe'],
  ['unsubscribe--ru-otpishite.eml', 'unsubscribe'],
  ['withdrawal--en-object-to-processing.eml', 'withdrawal'],
  ['withdrawal--lv-atsaucu-piekrisanu.eml', 'withdrawal'],
  ['withdrawal--ru-otzyvayu-soglasie.eml', 'withdrawal'],
];

describe('classifyMessage: fixture corpus', () => {
  it('has an expectation for every fixture file and a fixture for every expectation', async () => {
    const files = (await readdir(FIXTURES)).filter((f) => f.endsWith('.eml')).sort();
    expect(files).to.deep.equal(CORPUS.map(([f]) => f).sort());
    expect(files.length).to.be.at.least(40);
  });

  for (const [file, kind, recipient, status, permanent] of CORPUS) {
    it(`${file} → ${[kind, recipient, status, permanent].filter((v) => v !== undefined).join(' ')}`, async () => {
      const result = await classifyMessage(await readFile(path.join(FIXTURES, file)));
      expect(result.kind, result.reason).to.equal(kind);
      expect(result.error).to.equal(undefined);
      if (kind === 'bounce') {
        expect(result.recipient).to.equal(recipient);
        expect(result.status).to.equal(status);
        expect(result.permanent).to.equal(permanent);
      }
      if (kind === 'complaint') expect(result.recipient).to.equal(recipient);
    });
  }
});

describe('classifyMessage: envelope fields', () => {
  it('extracts Authentication-Results, Message-ID, From and language of a request', async () => {
    const result = await classifyMessage(await readFile(path.join(FIXTURES, 'erasure--en-right-to-be-forgotten.eml')));
    expect(result.authentication).to.deep.equal({ dkim: 'pass', spf: 'pass', dmarc: 'pass' });
    expect(result.from).to.equal('tom.baker@example.co.uk');
    expect(result.messageId).to.match(/^<.+@mail\.example\.lv>$/);
    expect(result.language).to.equal('en');
  });

  it('reads the token of a mail to unsubscribe+TOKEN@ with its case intact', async () => {
    const result = await classifyMessage(await readFile(path.join(FIXTURES, 'unsubscribe--mailto-token.eml')));
    expect(result).to.include({ kind: 'unsubscribe', unsubscribeToken: 'eyJraWQiOiJrMSJ9.Q2xEa_9-Zz' });
  });

  it('lets the caller validate the token, and survives a validator that throws', async () => {
    const raw = await readFile(path.join(FIXTURES, 'unsubscribe--mailto-token.eml'));
    const rejected = await classifyMessage(raw, { unsubscribeTokenFromAddress: () => null });
    expect(rejected.unsubscribeToken).to.equal(undefined);
    const broken = await classifyMessage(raw, {
      unsubscribeTokenFromAddress: () => {
        throw new Error('bad key');
      },
    });
    expect(broken.error).to.equal(undefined);
    const accepted = await classifyMessage(raw, { unsubscribeTokenFromAddress: (a) => (a.startsWith('unsubscribe+') ? 'T1' : null) });
    expect(accepted).to.include({ kind: 'unsubscribe', unsubscribeToken: 'T1' });
  });

  it('never takes one of our own addresses as the bounced recipient', async () => {
    const raw = [
      'From: Mail Delivery System <MAILER-DAEMON@mx.example.lv>',
      'To: bounces@impro.lv',
      'Subject: Undelivered Mail Returned to Sender',
      '',
      'Your message from impro@impro.lv could not be delivered to one or more recipients.',
      '',
      '<zelma@example.lv>: 550 5.1.1 user unknown',
    ].join('\r\n');
    const result = await classifyMessage(raw, { ownAddresses: ['impro@impro.lv'] });
    expect(result).to.include({ kind: 'bounce', recipient: 'zelma@example.lv', status: '5.1.1', permanent: true });
  });
});

describe('classifyMessage: never throws', () => {
  it('answers other with an error for 0 bytes', async () => {
    const result = await classifyMessage(Buffer.alloc(0));
    expect(result.kind).to.equal('other');
    expect(result.error).to.be.a('string');
  });

  it('classifies random bytes without throwing', async () => {
    for (let i = 0; i < 50; i++) {
      const result = await classifyMessage(randomBytes(1 + i * 97));
      expect(result.kind).to.be.a('string');
    }
  });

  it('classifies header-only, body-only and binary-laced messages', async () => {
    const inputs = ['Subject: x', '\r\n\r\n\r\n', 'no headers at all, please unsubscribe me', 'From: a@b.lv\r\n\r\n\u0000\u0001\uFFFF'];
    for (const raw of inputs) {
      const result = await classifyMessage(raw);
      expect(result.kind).to.be.a('string');
    }
    expect((await classifyMessage(inputs[2])).kind).to.equal('unsubscribe');
  });

  it('handles a 10 MB base64 attachment in reasonable time', async function () {
    this.timeout(30_000);
    const attachment = randomBytes(10 * 1024 * 1024).toString('base64').replace(/.{76}/g, '$&\r\n');
    const raw = [
      'From: Big Sender <big@example.lv>',
      'To: impro@impro.lv',
      'Subject: pielikums',
      'MIME-Version: 1.0',
      'Content-Type: multipart/mixed; boundary="big-b"',
      '',
      '--big-b',
      'Content-Type: text/plain; charset=utf-8',
      '',
      'Lūdzu, atrakstiet mani no jaunumiem.',
      '--big-b',
      'Content-Type: application/octet-stream; name="scan.bin"',
      'Content-Transfer-Encoding: base64',
      '',
      attachment,
      '--big-b--',
      '',
    ].join('\r\n');
    const started = Date.now();
    const result = await classifyMessage(Buffer.from(raw));
    expect(result.kind).to.equal('unsubscribe');
    expect(Date.now() - started).to.be.below(20_000);
  });

  it('survives nesting far deeper than it walks', async () => {
    let message = 'From: a@b.lv\r\nSubject: core\r\n\r\nhello';
    for (let i = 0; i < 200; i++) {
      message = `From: a@b.lv\r\nContent-Type: message/rfc822\r\n\r\n${message}`;
    }
    const result = await classifyMessage(message);
    expect(result.kind).to.be.a('string');
  });
});

describe('classifyFiles', () => {
  it('gives one lean object per file, in order, also for an unreadable file', async () => {
    const files = [
      path.join(FIXTURES, 'bounce--postfix-dsn-5.1.1-user-unknown.eml'),
      path.join(FIXTURES, 'does-not-exist.eml'),
      path.join(FIXTURES, 'complaint--arf-abuse-yahoo.eml'),
      path.join(FIXTURES, 'other--empty-body.eml'),
    ];
    const out = await classifyFiles(files);
    expect(out).to.have.length(4);
    expect(out[0]).to.deep.equal({
      file: files[0],
      kind: 'bounce',
      confidence: 0.95,
      evidence: 'smtp; 550 5.1.1 <anna.berzina@inbox.lv>: Recipient address rejected: User unknown in virtual mailbox table',
      recipient: 'anna.berzina@inbox.lv',
      status: '5.1.1',
      permanent: true,
    });
    expect(out[1]).to.include({ file: files[1], kind: 'other', confidence: 0 });
    expect(out[1].error).to.match(/ENOENT/);
    expect(out[2]).to.deep.equal({
      file: files[2],
      kind: 'complaint',
      confidence: 0.95,
      evidence: 'Feedback-Type: abuse',
      recipient: 'rasma.kalnina@yahoo.com',
      feedbackType: 'abuse',
    });
    expect(out[3]).to.deep.equal({ file: files[3], kind: 'other', confidence: 0.9 });
    for (const o of out) expect(Object.values(o)).not.to.include(undefined);
  });

  it('gives the same answers through the time-budgeted worker, and the phrase that decided', async () => {
    const files = [
      path.join(FIXTURES, 'bounce--postfix-dsn-5.1.1-user-unknown.eml'),
      path.join(FIXTURES, 'does-not-exist.eml'),
      path.join(FIXTURES, 'erasure--lv-atrakstiet-un-izdzesiet-datus.eml'),
    ];
    const direct = await classifyFiles(files);
    const budgeted = await classifyFiles(files, {}, 10_000);
    expect(budgeted).to.deep.equal(direct);
    expect(budgeted[2]).to.include({ kind: 'erasure', evidence: 'izdzēsiet visus manus personas datus no jūsu datubāzes' });
  });
});
