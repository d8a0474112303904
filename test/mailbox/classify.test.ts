import { randomBytes } from 'node:crypto';
import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { expect } from 'chai';
import { classifyMessage } from '../../src/mailbox/classify';
import { classifyFiles } from '../../src/mailbox/classify-files';
import { CORPUS, FIXTURES } from './corpus';


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
