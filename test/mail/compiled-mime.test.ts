// A campaign compiled down to the MIME once must give every recipient the message Nodemailer's
// composer would have given them: each raw message is parsed and compared field by field with the
// composer's for the same recipient, across merge values that stress quoted-printable and headers,
// and its DKIM signature is checked by an independent verifier.
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { expect } from 'chai';
import { simpleParser, type ParsedMail } from 'mailparser';
import nodemailer from 'nodemailer';
import { LinkTokenSigner } from '../../src/domain/link-token';
import { campaignMail, compileCampaignMail, type CompiledMailSettings } from '../../src/mail/campaign-mail';
import { compileCampaign, personalise, type CompiledCampaign } from '../../src/mail/campaign-renderer';
import { ListHeaderBuilder } from '../../src/mail/list-headers';
import { composerMessage, type OutgoingMail, type RawMail } from '../../src/mail/mailer';
import { qpEncode } from '../../src/mail/mime-encoding';
import { CHECKS_WITH_NAME, MimeTemplate, type Personalise } from '../../src/mail/mime-template';
import { verifyDkim } from '../helpers/dkim-verify';

const CAMPAIGN = '65f0c0ffee00000000001234';
const LIST = 'e-jaunumi';

// Lines MJML keeps as written (mj-raw): a merge field near the 76th column, trailing whitespace,
// `=`, a leading dot, `From `, tabs, two fields on one line, a long line without spaces.
const MJML = `<mj-section>
  <mj-column>
    <mj-text>Labdien, {{name}}! Jūrmala &amp; Rīga — ceļojumi 🌍</mj-text>
    <mj-button href="https://impro.lv/piedavajumi?utm=e&amp;x=1">Skatīt piedāvājumus</mj-button>
  </mj-column>
</mj-section>
<mj-raw>
<pre>
${'x'.repeat(66)}{{name}}${'y'.repeat(20)}
.dot line {{name}}
From here on   
a=b == {{name}}   
\ttab\t{{name}}\t{{unsubscribeUrl}}
=${'ž'.repeat(30)}={{name}}=${'a'.repeat(90)}
https://impro.lv/${'a'.repeat(300)}?q=1
</pre>
</mj-raw>`;

const NAMES = [
  'Anna',
  'Jānis Bērziņš',
  '<script>alert("x")</script> & Co',
  'Ēriks   ',
  'Ž'.repeat(120),
  '🌍🚀 ceļotājs',
  'a=b =?UTF-8?Q?x?=',
  '',
  'tab\there',
  'Line\r\nBcc: victim@example.lv',
  `${'long'.repeat(40)} end`,
];

function setup(dkim?: CompiledMailSettings['dkim']) {
  const signer = new LinkTokenSigner([{ id: 'k1', secret: randomBytes(32) }]);
  const settings: CompiledMailSettings = { mailDomain: 'impro.lv', mailboxAddress: 'impro@impro.lv', mailFrom: 'IMPRO CEĻOJUMI <e-jaunumi@impro.lv>', dkim };
  const listHeaders = new ListHeaderBuilder({
    signer,
    settings: { publicBaseUrl: 'https://e-jaunumi.impro.lv', mailDomain: 'impro.lv', mailboxAddress: 'impro@impro.lv', unsubscribeMailtoLocal: 'unsubscribe' },
  });
  return { listHeaders, settings };
}

const composer = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'windows' });
async function composed(settings: CompiledMailSettings, mail: OutgoingMail): Promise<Buffer> {
  const info = await composer.sendMail(composerMessage(settings, mail));
  return info.message as Buffer;
}

function recipient(i: number, name: string) {
  return { subscriberId: `65f0c0ffee0000000000${String(i).padStart(4, '0')}`, subscriptionId: `65f0c0ffee0000000001${String(i).padStart(4, '0')}`, email: `reader${i}@example.lv`, name };
}

/** The fields a reader or a mail client sees, as mailparser gives them. */
function fieldsOf(mail: ParsedMail) {
  const headers = Object.fromEntries([...mail.headers].filter(([k]) => k !== 'date' && k !== 'dkim-signature' && k !== 'content-type'));
  return {
    subject: mail.subject,
    from: mail.from?.value,
    to: (Array.isArray(mail.to) ? mail.to : [mail.to]).map((a) => a?.value),
    replyTo: mail.replyTo?.value,
    messageId: mail.messageId,
    text: mail.text,
    html: mail.html,
    attachments: mail.attachments.length,
    contentType: (mail.headers.get('content-type') as { value: string }).value,
    headers,
  };
}

describe('campaign mail compiled to MIME once', () => {
  let compiled: CompiledCampaign;
  // A subject that stays ASCII for ASCII names: written as it is, folded where long.
  let asciiSubject: CompiledCampaign;
  before(async () => {
    asciiSubject = await compileCampaign({ subject: `Hello {{name}}, ${'summer offers '.repeat(8)}`, preheader: '', mjml: MJML });
    compiled = await compileCampaign({
      subject: `Sveiki, {{name}}! Vasaras piedāvājumi ${'ļoti '.repeat(12)}=?utf-8?q?nav?= 🌞 https://impro.lv/${'x'.repeat(100)}`,
      preheader: 'Ceļojumi {{name}}',
      mjml: MJML,
    });
  });

  it('compiles a campaign with merge fields on lines that need quoted-printable care', () => {
    expect(compiled.html).to.contain(`${'x'.repeat(66)}{{name}}`);
    expect(compiled.text).to.contain('.dot line {{name}}');
  });

  it('gives each recipient what the composer gives, field by field, in 7-bit lines of at most 76 characters', async () => {
    const deps = setup();
    for (const campaign of [compiled, asciiSubject]) {
      const mailFor = compileCampaignMail(deps, { campaignId: CAMPAIGN, list: LIST, compiled: campaign });
      for (const [i, name] of NAMES.entries()) {
        const r = recipient(i, name);
        const raw = mailFor(r) as RawMail;
        expect(raw.raw, name).to.be.instanceOf(Buffer);
        const expected = campaignMail(deps, { campaignId: CAMPAIGN, list: LIST, compiled: campaign, recipient: r });
        expect(raw.envelope).to.deep.equal({ from: expected.envelopeFrom, to: r.email });
        expect(raw.messageId).to.equal(expected.messageId);

        const ours = await simpleParser(raw.raw);
        const theirs = await simpleParser(await composed(deps.settings, expected));
        expect(fieldsOf(ours), JSON.stringify(name)).to.deep.equal(fieldsOf(theirs));
        expect(Math.abs(ours.date!.getTime() - Date.now())).to.be.below(60_000);

        const text = raw.raw.toString('latin1');
        expect(text, 'only 7-bit').to.match(/^[\x00-\x7f]*$/);
        expect(text.replace(/\r\n/g, ''), 'CRLF only').not.to.match(/[\r\n]/);
        const body = text.slice(text.indexOf('\r\n\r\n') + 4);
        for (const line of body.split('\r\n')) expect(line.length, line).to.be.at.most(76);
        for (const line of text.slice(0, text.indexOf('\r\n\r\n')).split('\r\n')) {
          // RFC 2047: a line holding an encoded word is at most 76 characters; no line past 998.
          expect(line.length, line).to.be.at.most(line.includes('=?UTF-8?') ? 76 : 998);
        }
      }
    }
    expect((compileCampaignMail(deps, { campaignId: CAMPAIGN, list: LIST, compiled: asciiSubject })(recipient(0, 'Anna')) as RawMail).raw.toString()).to.match(
      /^Subject: Hello Anna, summer offers summer/m,
    );
  });

  it('signs each message so that an independent verifier accepts it, and rejects a changed one', async () => {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const deps = setup({ domainName: 'impro.lv', keySelector: 'ej2026', privateKey: pem });
    const mailFor = compileCampaignMail(deps, { campaignId: CAMPAIGN, list: LIST, compiled });
    for (const [i, name] of NAMES.entries()) {
      const raw = (mailFor(recipient(i, name)) as RawMail).raw;
      const verdict = verifyDkim(raw, publicKey);
      expect(verdict, JSON.stringify(name)).to.include({ ok: true, domain: 'impro.lv', selector: 'ej2026' });
      expect(verdict.signedFields).to.include.members(['from', 'to', 'subject', 'date', 'message-id', 'list-unsubscribe', 'list-unsubscribe-post', 'mime-version', 'content-type']);
    }
    const raw = (mailFor(recipient(0, 'Anna')) as RawMail).raw.toString('latin1');
    const tamper = (from: string, to: string) => {
      expect(raw).to.contain(from);
      return raw.replace(from, to);
    };
    // ū becomes Ū in the body; one letter of the subject changes.
    expect(verifyDkim(tamper('=C5=AB', '=C5=AA'), publicKey)).to.include({ ok: false, reason: 'body hash mismatch' });
    expect(verifyDkim(tamper('=2C_Anna', '=2C_Anne'), publicKey)).to.include({ ok: false, reason: 'signature does not verify' });
    // The verifier accepts what Nodemailer's own signer produces: it is a verifier, not a mirror.
    const expected = campaignMail(deps, { campaignId: CAMPAIGN, list: LIST, compiled, recipient: recipient(0, 'Anna') });
    expect(verifyDkim(await composed(deps.settings, expected), publicKey)).to.include({ ok: true });
  });

  it('compiles no template when the renderer\'s output depends on where a field stands (a fallback on one occurrence)', () => {
    expect(MimeTemplate.compile(compiled, personalise, undefined, CHECKS_WITH_NAME)).to.be.instanceOf(MimeTemplate);
    // Closing up "Labdien, {{name}}!" for an empty name is not a substitution: not with every value.
    expect(MimeTemplate.compile(compiled, personalise)).to.equal(undefined);
    const withFallback: Personalise = (c, vars) => {
      const copy = personalise(c, vars);
      return vars.name === 'Jānis' ? { ...copy, html: copy.html.replace('Jānis', 'draugs') } : copy;
    };
    expect(MimeTemplate.compile(compiled, withFallback, undefined, CHECKS_WITH_NAME)).to.equal(undefined);
  });

  it('compiles no template for a vocative greeting, whose value is not the name itself', async () => {
    const vocativeCampaign = await compileCampaign({ subject: 'Labdien', preheader: '', mjml: '<mj-section><mj-column><mj-text>Labdien, {{name.vocative}}!</mj-text></mj-column></mj-section>' });
    expect(MimeTemplate.compile(vocativeCampaign, personalise, undefined, CHECKS_WITH_NAME)).to.equal(undefined);
  });

  it('leaves a recipient whose address is not plain ASCII to the composer', () => {
    const deps = setup();
    const mailFor = compileCampaignMail(deps, { campaignId: CAMPAIGN, list: LIST, compiled });
    const mail = mailFor({ ...recipient(1, 'Jānis'), email: 'jānis@example.lv' }) as OutgoingMail;
    expect(mail).not.to.have.property('raw');
    expect(mail.to).to.equal('jānis@example.lv');
  });
});

describe('quoted-printable encoding', () => {
  const decode = (qp: string) =>
    Buffer.from(
      qp
        .replace(/=\r\n/g, '')
        .replace(/=([0-9A-F]{2})/g, (_m, h: string) => String.fromCharCode(parseInt(h, 16))),
      'latin1',
    ).toString('utf8');

  it('round-trips, keeps lines within 76 characters and never ends a line in whitespace', () => {
    const samples = ['', 'a', ' ', 'a \n b \t\n', 'ž'.repeat(40), `${'x'.repeat(74)}= `, `${'y'.repeat(75)}ā`, '=\r\n=', `${'z '.repeat(60)}`, '🌍'.repeat(30)];
    for (const s of samples) {
      const qp = qpEncode(s);
      expect(qp.endsWith('\r\n')).to.equal(true);
      for (const line of qp.slice(0, -2).split('\r\n')) {
        expect(line.length, JSON.stringify(s)).to.be.at.most(76);
        expect(line, JSON.stringify(s)).not.to.match(/[ \t]$/);
      }
      expect(decode(qp.slice(0, -2)), JSON.stringify(s)).to.equal(s.replace(/\r\n/g, '\n').replace(/\n/g, '\r\n'));
    }
  });
});
