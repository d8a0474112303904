// Every mail we send goes out with a per-recipient VERP return path on the mailbox's domain:
// bounces+TOKEN@impro.lv, the token signed with the link keyring, naming subscriber and campaign.
import { expect } from 'chai';
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { Types } from 'mongoose';
import { LinkTokenSigner, type SigningKey } from '../../src/domain/link-token';
import { campaignMail } from '../../src/mail/campaign-mail';
import { createMailer } from '../../src/mail/mailer';
import { createTestContext, type TestContext } from '../helpers/context';
import { createSubscriber, DEFAULT_LIST } from '../helpers/factories';

const SUBSCRIBER = '65f0c0ffee0000000000abcd';
const CAMPAIGN = '65f0c0ffee00000000001234';
const key = (id: string): SigningKey => ({ id, secret: randomBytes(32) });

describe('VERP bounce tokens', () => {
  const k1 = key('k1');
  const signer = new LinkTokenSigner([k1]);

  it('name subscriber and campaign, or a transactional mail, and fit a 64-octet local part with bounces+', () => {
    const campaign = signer.signBounce({ subscriber: SUBSCRIBER, campaign: CAMPAIGN });
    const transactional = signer.signBounce({ subscriber: SUBSCRIBER });
    expect(signer.verifyBounce(campaign)).to.deep.equal({ subscriber: SUBSCRIBER, campaign: CAMPAIGN });
    expect(signer.verifyBounce(transactional)).to.deep.equal({ subscriber: SUBSCRIBER });
    expect(`bounces+${campaign}`.length).to.be.at.most(64);
    expect(campaign).to.match(/^[a-z2-7]+$/);
  });

  it('survive an MTA that changes the case of the local part, and a key rotation', () => {
    const token = signer.signBounce({ subscriber: SUBSCRIBER, campaign: CAMPAIGN });
    expect(signer.verifyBounce(token.toUpperCase())).to.deep.equal({ subscriber: SUBSCRIBER, campaign: CAMPAIGN });
    const rotated = new LinkTokenSigner([key('k2'), k1]);
    expect(rotated.verifyBounce(token)).to.deep.equal({ subscriber: SUBSCRIBER, campaign: CAMPAIGN });
  });

  it('refuse anything we did not sign: another key, a changed character, a link token, garbage', () => {
    const token = signer.signBounce({ subscriber: SUBSCRIBER, campaign: CAMPAIGN });
    expect(new LinkTokenSigner([key('k1')]).verifyBounce(token)).to.equal(undefined);
    const flipped = token.slice(0, 10) + (token[10] === 'a' ? 'b' : 'a') + token.slice(11);
    expect(signer.verifyBounce(flipped)).to.equal(undefined);
    expect(signer.verifyBounce(signer.sign({ purpose: 'unsubscribe', subject: SUBSCRIBER }))).to.equal(undefined);
    for (const junk of ['', 'x', '0189', 'a'.repeat(52), 'a'.repeat(500)]) expect(signer.verifyBounce(junk)).to.equal(undefined);
  });
});

describe('VERP return path on outgoing mail', () => {
  let t: TestContext;
  let smtp: SMTPServer;
  const envelopes: Array<{ from: string; to: string[] }> = [];

  beforeEach(async () => {
    envelopes.length = 0;
    smtp = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS', 'AUTH'],
      logger: false,
      onData(stream, session, callback) {
        stream.resume();
        stream.on('end', () => {
          envelopes.push({ from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '', to: session.envelope.rcptTo.map((r) => r.address) });
          callback();
        });
      },
    });
    await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', () => resolve()));
    const port = (smtp.server.address() as AddressInfo).port;
    t = await createTestContext({ workers: true, env: { SMTP_URL: `smtp://127.0.0.1:${port}` } });
  });

  afterEach(async () => {
    await t.close();
    await new Promise<void>((resolve) => smtp.close(() => resolve()));
  });

  const tokenOf = (from: string) => /^bounces\+([a-z2-7]+)@impro\.lv$/.exec(from)?.[1];

  it('a campaign mail goes out from bounces+TOKEN@<mailbox domain> naming its subscriber and campaign', async () => {
    const anna = await createSubscriber(t.c, { email: 'anna@example.lv', lists: { [DEFAULT_LIST]: 'active' } });
    const campaignId = new Types.ObjectId().toString();
    const mail = campaignMail(
      { listHeaders: t.c.listHeaders, settings: t.config },
      { campaignId, list: DEFAULT_LIST, compiled: { subject: 'Rudens', html: '<p>{{name}}</p>', text: '{{name}}' }, recipient: { subscriberId: String(anna._id), email: anna.email, name: 'Anna' } },
    );
    const mailer = createMailer(t.config, t.config.smtpUrl!);
    try {
      await mailer.send(mail);
    } finally {
      mailer.close();
    }

    expect(envelopes).to.have.length(1);
    const token = tokenOf(envelopes[0]!.from);
    expect(token, envelopes[0]!.from).to.be.a('string');
    expect(t.c.signer.verifyBounce(token!)).to.deep.equal({ subscriber: String(anna._id), campaign: campaignId });
    expect(envelopes[0]!.from).to.not.contain('anna');
  });

  it('a transactional mail (the sign-up confirmation) goes out with a token naming the subscriber', async () => {
    const res = await fetch(`${t.baseUrl}/api/v1/subscriptions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'juris@example.lv' }),
    });
    expect(res.status).to.equal(202);
    const deadline = Date.now() + 15_000;
    while (envelopes.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));

    const juris = await t.c.models.subscribers.findOne({ email: 'juris@example.lv' }).lean();
    expect(envelopes).to.have.length(1);
    expect(t.c.signer.verifyBounce(tokenOf(envelopes[0]!.from)!)).to.deep.equal({ subscriber: String(juris!._id) });
  });
});
