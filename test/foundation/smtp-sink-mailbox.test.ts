// The embedded SMTP sink as `npm run dev` starts it (development defaults, no SMTP_URL), over real
// SMTP with Nodemailer: mail to the mailbox's own addresses lands in the Maildir the poller reads,
// other mail in the .eml sink, and every address on bounce.test is refused 550 5.1.1 at RCPT.
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import nodemailer, { type Transporter } from 'nodemailer';
import { loadConfig, type Config } from '../../src/config';
import { startEmbeddedServices, type EmbeddedServices } from '../../src/embedded';
import { createLogger } from '../../src/logger';
import { classifySmtpError } from '../../src/mail/mailer';
import { api, createCampaign, waitForStatus } from '../campaigns/helpers';
import { createTestContext } from '../helpers/context';
import { createSubscriber } from '../helpers/factories';
import { getServices } from '../helpers/services';

describe('embedded SMTP sink and the development mailbox', () => {
  let dir: string;
  let embedded: EmbeddedServices;
  let config: Config;
  let transport: Transporter;

  before(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'ej-sink-inbox-'));
    const s = getServices();
    // Database and Redis named, so only the sink starts embedded; everything else is the dev default.
    const base = loadConfig({ VAR_DIR: dir, MONGODB_URI: `${s.mongoBase}sinkinbox${s.mongoQuery}`, REDIS_URL: s.redisUrl });
    embedded = await startEmbeddedServices(base, createLogger('silent'));
    config = embedded.config;
    transport = nodemailer.createTransport({ url: config.smtpUrl });
  });
  after(async () => {
    transport.close();
    await embedded.stop();
    await rm(dir, { recursive: true, force: true });
  });

  const inbox = async () => {
    const names = await readdir(path.join(dir, 'inbox', 'new')).catch(() => [] as string[]);
    return Promise.all(names.map((n) => readFile(path.join(dir, 'inbox', 'new', n), 'utf8')));
  };
  const outgoing = async () => (await readdir(config.mailSinkDir)).filter((f) => f.endsWith('.eml'));
  const send = (to: string, subject: string, from = 'anna@example.lv') =>
    transport.sendMail({ from, to, subject, text: 'Sveiki!', envelope: { from, to } });

  it('delivers mail to impro@, unsubscribe+…@ and bounces+…@ the mailbox domain into the Maildir, the rest to .eml files', async () => {
    expect(config.mailboxUrl).to.equal(`maildir:${path.join(dir, 'inbox')}`);
    await send('IMPRO <Impro@impro.lv>', 'Jautājums par braucienu');
    await send('unsubscribe+abc.def@impro.lv', 'unsubscribe');
    await send('bounces+tok3n@impro.lv', 'Undelivered Mail Returned to Sender', '');
    await send('janis@example.lv', 'Ārējs');

    const delivered = await inbox();
    expect(delivered).to.have.length(3);
    expect(delivered.some((m) => m.startsWith('Return-Path: <anna@example.lv>\r\nDelivered-To: Impro@impro.lv\r\n'))).to.equal(true);
    expect(delivered.some((m) => m.startsWith('Return-Path: <anna@example.lv>\r\nDelivered-To: unsubscribe+abc.def@impro.lv\r\n'))).to.equal(true);
    // A bounce comes with the null sender, and the mailbox sees it so.
    expect(delivered.some((m) => m.startsWith('Return-Path: <>\r\nDelivered-To: bounces+tok3n@impro.lv\r\n'))).to.equal(true);
    expect(await outgoing()).to.have.length(1);
    expect(await readdir(path.join(dir, 'inbox', 'tmp'))).to.deep.equal([]);
  });

  it('refuses every address on bounce.test at RCPT with 550 5.1.1, which the sender reads as a permanent refusal of the address', async () => {
    const before = (await outgoing()).length;
    const err = (await send('ghost@bounce.test', 'Vasara').catch((e: unknown) => e)) as { responseCode?: number; response?: string; command?: string };
    expect(err).to.include({ responseCode: 550, command: 'RCPT TO' });
    expect(err.response).to.match(/^550 5\.1\.1 <ghost@bounce\.test>/);
    // What send-batch.ts acts on: a permanent failure at RCPT suppresses the address as a hard bounce.
    expect(classifySmtpError(err)).to.equal('permanent');
    await expect(send('x@mx.bounce.test', 'Vasara')).to.be.rejectedWith(/550 5\.1\.1/);
    expect((await outgoing()).length).to.equal(before);
  });
});

describe('a hard bounce on bounce.test, end to end', () => {
  it('a campaign to an address on bounce.test suppresses it as a hard bounce', async function () {
    this.timeout(40_000);
    const t = await createTestContext({ workers: true });
    try {
      const ghost = await createSubscriber(t.c, { email: 'ghost@bounce.test', lists: { 'e-jaunumi': 'active' } });
      await createSubscriber(t.c, { email: 'anna@example.lv', lists: { 'e-jaunumi': 'active' } });
      const id = await createCampaign(t);
      await api(t, 'POST', `/campaigns/${id}/send`);
      const done = await waitForStatus(t, id, 'sent', 35_000);
      expect(done.stats).to.include({ sent: 1, failed: 1 });
      expect(await t.c.suppressions.reasonFor(ghost.emailHash)).to.equal('hard-bounce');
      const outcome = await t.c.models.deliveryOutcomes.findOne({ campaignId: id, subscriberId: ghost._id }).lean();
      expect(outcome?.smtpResponse).to.match(/^550 5\.1\.1/);
    } finally {
      await t.close();
    }
  });
});
