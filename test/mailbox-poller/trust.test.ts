// The mailbox acts only on what it can trust, against a real Dovecot: a hostile message is recorded
// before it can stop the poll, a forged bounce or complaint changes nothing, a request by mail waits
// for its verification, a question stays in the inbox, and a campaign drawing complaints pauses.
import { expect } from 'chai';
import { ImapFlow } from 'imapflow';
import { Types } from 'mongoose';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Classification } from '../../src/mailbox/classification';
import { classifyMessage } from '../../src/mailbox/classify';
import { createMailboxPoller, type PollerOptions } from '../../src/mailbox/create-poller';
import type { Classify } from '../../src/mailbox/poller';
import type { PollSummary } from '../../src/mailbox/mailbox-report';
import { createTestContext, type TestContext } from '../helpers/context';
import { dovecotAvailable, startDovecot, type DovecotServer } from '../helpers/dovecot';
import { createSubscriber, DEFAULT_LIST } from '../helpers/factories';
import * as fixtures from './messages';

const FIXTURES = path.join(__dirname, '..', 'fixtures', 'mail');

describe('mailbox poller: acts only on what it can trust (real Dovecot)', function () {
  this.timeout(60_000);
  let t: TestContext;
  let imap: DovecotServer;
  let seq = 0;
  const mid = (label: string) => `<${label}.${process.pid}.${++seq}@example.lv>`;

  before(function () {
    if (!dovecotAvailable()) throw new Error('dovecot is not installed: run scripts/install-system-deps.sh');
  });

  const start = async (env: Record<string, string> = {}) => {
    [t, imap] = await Promise.all([createTestContext({ env }), startDovecot()]);
  };

  afterEach(async () => {
    await Promise.all([t?.close(), imap?.stop()]);
  });

  const poll = (opts: Omit<PollerOptions, 'imapUrl'> = {}): Promise<PollSummary | undefined> =>
    createMailboxPoller(t.c, { imapUrl: imap.url, ...opts }).pollOnce();
  const subjects = async (folder: string) => (await imap.list(folder)).map((m) => m.subject);
  const subscriber = (email: string) => createSubscriber(t.c, { email, lists: { [DEFAULT_LIST]: 'active' } });
  const statusOf = async (id: Types.ObjectId) => (await t.c.models.subscriptions.findOne({ subscriberId: id, list: DEFAULT_LIST }).lean())?.status;
  const record = (messageId: string) => t.c.models.inboundMessages.findOne({ messageId }).lean();
  const delivered = (campaignId: string, subscriberId: Types.ObjectId, at = new Date()) =>
    t.c.models.deliveries.create({ campaignId: new Types.ObjectId(campaignId), subscriberId, at });
  /** The classifier as it is, with some fields changed for messages whose raw text matches. */
  const overriding = (match: string, change: Partial<Classification>) => (real: Classify): Classify => async (raw) => {
    const c = await real(raw);
    return raw.toString('latin1').includes(match) ? { ...c, ...change } : c;
  };

  describe('a hostile message', () => {
    beforeEach(() => start());

    it('is recorded and sent to Review with the reason when its classification throws or times out; the next message is still handled', async () => {
      const anna = await subscriber('anna@example.lv');
      const throws = mid('throws');
      const hangs = mid('hangs');
      const after = mid('after');
      await imap.append('INBOX', fixtures.unsubscribeEn('x@example.lv', throws));
      await imap.append('INBOX', fixtures.unsubscribeEn('y@example.lv', hangs));
      await imap.append('INBOX', fixtures.unsubscribeEn('anna@example.lv', after));
      // The ordinary message is classified in this thread: the 300 ms wait is for the hanging one,
      // not for a cold classifier worker.
      const hostile = (): Classify => async (raw) => {
        const text = raw.toString('latin1');
        if (text.includes(throws)) throw new Error('Maximum call stack size exceeded');
        if (text.includes(hangs)) return new Promise<Classification>(() => undefined);
        return classifyMessage(raw);
      };

      const summary = await poll({ classify: hostile, classifyTimeoutMs: 300 });

      expect(summary).to.include({ timedOut: 1, waiting: 0 });
      expect(await record(throws)).to.include({ outcome: 'review', movedTo: 'Review', note: 'classification failed: Maximum call stack size exceeded' });
      const timedOut = await record(hangs);
      expect(timedOut).to.include({ outcome: 'review', movedTo: 'Review' });
      expect(timedOut!.note).to.match(/^timeout: /);
      expect(timedOut!.raw).to.contain(hangs);
      expect(await record(after)).to.include({ outcome: 'applied', movedTo: 'Processed' });
      expect(await statusOf(anna._id)).to.equal('unsubscribed');
      expect(await subjects('Review')).to.deep.equal(['Unsubscribe', 'Unsubscribe']);
      expect(await subjects('INBOX')).to.deep.equal([]);
    });

    it('does not stop polling after a restart: a message whose classification never finished goes to Review as a timeout', async () => {
      const anna = await subscriber('anna@example.lv');
      const maris = await subscriber('maris@example.lv');
      const poison = mid('poison');
      const after = mid('after-restart');
      await imap.append('INBOX', fixtures.unsubscribeEn('maris@example.lv', poison));
      await imap.append('INBOX', fixtures.unsubscribeEn('anna@example.lv', after));

      // The first poller hangs on the poison message (a classifier stuck in a loop, as if forever).
      let unblock: () => void = () => undefined;
      const stuck = (real: Classify): Classify => async (raw) => {
        if (!raw.toString('latin1').includes(poison)) return real(raw);
        await new Promise<void>((resolve) => (unblock = resolve));
        return real(raw);
      };
      const hung = poll({ classify: stuck, classifyTimeoutMs: 3_600_000 }).catch((err: Error) => err);
      await until(async () => !!(await record(poison))?.classifyStartedAt);
      // Recorded before it was classified: the raw message is kept and a person can find it.
      expect(await record(poison)).to.include({ outcome: 'received' });

      // The process is restarted (its poll lease expires); the new poller passes the poison message on.
      for (const key of await t.c.redis.keys(`${t.config.queuePrefix}:mailbox:lease:*`)) await t.c.redis.del(key);
      const summary = await poll();

      expect(summary).to.include({ timedOut: 1, waiting: 0 });
      const poisoned = await record(poison);
      expect(poisoned).to.include({ outcome: 'review', movedTo: 'Review' });
      expect(poisoned!.note).to.equal('timeout: an earlier classification of this message never finished');
      expect(await statusOf(anna._id)).to.equal('unsubscribed');
      expect(await subjects('INBOX')).to.deep.equal([]);

      // The first poller wakes up at last with a classification: it changes nothing that was decided meanwhile.
      unblock();
      await hung;
      expect(await record(poison)).to.include({ outcome: 'review', note: 'timeout: an earlier classification of this message never finished' });
      expect(await statusOf(maris._id)).to.equal('active');
    });
  });

  describe('forged reports', () => {
    beforeEach(() => start({ COMPLAINT_SENDERS: '@mail.example.lv,complaints@email-abuse.amazonses.com', AUTHSERV_ID: 'mx.impro.lv' }));

    it('a forged "Undeliverable" bounce from an arbitrary sender changes nothing and lands in Review', async () => {
      const victim = await subscriber('victim@example.com');
      const messageId = mid('forged-bounce');
      await imap.append('INBOX', fixtures.forgedBounce('Postmaster <postmaster@evil.example>', 'victim@example.com', messageId));

      await poll();

      expect(await statusOf(victim._id)).to.equal('active');
      expect(await t.c.suppressions.isSuppressed(victim.emailHash)).to.equal(false);
      expect(await t.c.models.consentEvents.countDocuments({ subscriberId: victim._id })).to.equal(0);
      const r = await record(messageId);
      expect(r).to.include({ kind: 'bounce', outcome: 'review', movedTo: 'Review' });
      expect(r!.note).to.contain('not proven to concern our mail');
      expect(await subjects('Review')).to.deep.equal(['Undeliverable: Rudens Itālijā']);
    });

    it('Amazon SES complaint JSON pasted into a plain mail changes nothing and lands in Review', async () => {
      const victim = await subscriber('victim@example.com');
      const messageId = mid('forged-ses');
      await imap.append('INBOX', fixtures.forgedSesComplaint('Anyone <anyone@evil.example>', 'victim@example.com', messageId));

      await poll();

      expect(await statusOf(victim._id)).to.equal('active');
      expect(await t.c.suppressions.isSuppressed(victim.emailHash)).to.equal(false);
      expect(await t.c.models.consentEvents.countDocuments({ subscriberId: victim._id })).to.equal(0);
      const r = await record(messageId);
      expect(r).to.include({ kind: 'complaint', outcome: 'review', movedTo: 'Review' });
      expect(r!.note).to.contain('not a configured feedback loop');
    });

    it('an ARF report from a configured feedback loop acts only with DKIM/DMARC pass from our own MX', async () => {
      const ilze = await subscriber('ilze@example.lv');
      const juris = await subscriber('juris@example.lv');
      const stranger = (recipient: string) => ({ recipient, campaignId: '0123456789abcdef01234567', subscriberId: '0123456789abcdef01234567', returned: fixtures.strangerHeaders(recipient) });
      const authenticated = mid('fbl-pass');
      const claimed = mid('fbl-forged-ar');
      // The loop kept our campaign header but dropped the rest of our ids: the complaint counts on the campaign.
      const campaign = await t.c.models.campaigns.create({ name: 'R', list: DEFAULT_LIST, subject: 'R', mjml: '<mjml/>', author: 'm@impro.lv' });
      await imap.append(
        'INBOX',
        fixtures.arfComplaint({
          ...stranger('ilze@example.lv'),
          returned: [...fixtures.strangerHeaders('ilze@example.lv'), `X-Ejaunumi-Campaign: ${String(campaign._id)}`],
          messageId: authenticated,
          headers: ['Authentication-Results: mx.impro.lv; spf=pass smtp.mailfrom=mail.example.lv; dkim=pass header.d=mail.example.lv'],
        }),
      );
      // The sender is on the list, but the only "pass" comes from a header anyone could write.
      await imap.append(
        'INBOX',
        fixtures.arfComplaint({
          ...stranger('juris@example.lv'),
          messageId: claimed,
          headers: ['Authentication-Results: mx.impro.lv; dkim=fail header.d=mail.example.lv; dmarc=fail', 'Authentication-Results: mail.example.lv; dkim=pass header.d=mail.example.lv; dmarc=pass'],
        }),
      );

      const summary = await poll();

      expect(summary!.counts).to.deep.equal({ complaint: 2 });
      expect(await statusOf(ilze._id)).to.equal('unsubscribed');
      const suppression = await t.c.models.suppressions.findOne({ emailHash: ilze.emailHash }).lean();
      expect(suppression).to.include({ reason: 'complaint' });
      expect(suppression!.evidence).to.include({ matchedBy: 'feedback-loop', inboundMessageId: String((await record(authenticated))!._id) });
      expect((await t.c.models.campaigns.findById(campaign._id).lean())!.stats!.complained).to.equal(1);

      expect(await statusOf(juris._id)).to.equal('active');
      expect(await t.c.suppressions.isSuppressed(juris.emailHash)).to.equal(false);
      expect((await record(claimed))!.note).to.contain('neither DMARC nor DKIM');
    });

    it('a bounce to our VERP return path acts whatever else it carries, and records how it was matched', async () => {
      const liga = await subscriber('liga@example.lv');
      const campaignId = new Types.ObjectId().toString();
      const returnPath = t.c.listHeaders.build({ subscriberId: String(liga._id), list: DEFAULT_LIST, campaignId }).returnPath;
      const messageId = mid('verp');
      // An old MTA: no ids of ours in the returned part, the recipient only in its own words.
      await imap.append(
        'INBOX',
        fixtures.dsn({
          recipient: 'liga@example.lv', campaignId, subscriberId: String(liga._id), messageId, status: '5.1.1', diagnostic: '550 5.1.1 User unknown',
          to: returnPath, headers: [`Delivered-To: ${returnPath}`], returned: fixtures.strangerHeaders('liga@example.lv'),
        }),
      );
      // A token we did not sign, on the same address: nothing.
      const forgedToken = returnPath.replace(/\+[a-z2-7]{6}/, '+aaaaaa');
      const forged = mid('verp-forged');
      const mara = await subscriber('mara@example.lv');
      await imap.append(
        'INBOX',
        fixtures.dsn({
          recipient: 'mara@example.lv', campaignId, subscriberId: String(mara._id), messageId: forged, status: '5.1.1', diagnostic: '550 5.1.1 User unknown',
          to: forgedToken, returned: fixtures.strangerHeaders('mara@example.lv'),
        }),
      );

      await poll();

      const suppression = await t.c.models.suppressions.findOne({ emailHash: liga.emailHash }).lean();
      expect(suppression).to.include({ reason: 'hard-bounce', campaignId });
      expect(suppression!.evidence).to.include({ matchedBy: 'verp', status: '5.1.1' });
      expect(await record(messageId)).to.include({ outcome: 'applied', matchedBy: 'verp' });
      expect(await t.c.suppressions.isSuppressed(mara.emailHash)).to.equal(false);
      expect(await record(forged)).to.include({ outcome: 'review' });
    });

    it('counts a bounce matched only by a recent delivery, and refuses one matched by a delivery older than 30 days', async () => {
      const recent = await subscriber('recent@example.lv');
      const old = await subscriber('old@example.lv');
      const campaignId = new Types.ObjectId().toString();
      await delivered(campaignId, recent._id);
      await delivered(campaignId, old._id, new Date(Date.now() - 31 * 86_400_000));
      const bounceOf = (recipient: string, subscriberId: string, messageId: string) =>
        fixtures.dsn({ recipient, campaignId, subscriberId, messageId, status: '5.1.1', diagnostic: '550 5.1.1 User unknown', returned: fixtures.strangerHeaders(recipient) });
      await imap.append('INBOX', bounceOf('recent@example.lv', String(recent._id), mid('recent')));
      await imap.append('INBOX', bounceOf('old@example.lv', String(old._id), mid('old')));

      const summary = await poll();

      expect(summary).to.include({ matchedByRecentDelivery: 1 });
      expect((await t.c.models.suppressions.findOne({ emailHash: recent.emailHash }).lean())!.evidence).to.include({ matchedBy: 'recent-delivery' });
      expect(await t.c.suppressions.isSuppressed(old.emailHash)).to.equal(false);
      expect(await subjects('Review')).to.have.length(1);
    });
  });

  describe('the bounce mailbox', () => {
    beforeEach(() => start());

    it('polls BOUNCE_IMAP_URL too, when the VERP address has its own mailbox', async () => {
      const client = new ImapFlow({ host: imap.host, port: imap.port, secure: false, auth: { user: imap.user, pass: imap.password }, logger: false });
      await client.connect();
      await client.mailboxCreate('Bounces');
      await client.logout();
      await t.close();
      t = await createTestContext({ env: { IMAP_URL: imap.url, BOUNCE_IMAP_URL: imap.url.replace(/\/INBOX$/, '/Bounces') } });
      const liga = await subscriber('liga@example.lv');
      const anna = await subscriber('anna@example.lv');
      const returnPath = t.c.listHeaders.build({ subscriberId: String(liga._id) }).returnPath;
      await imap.append('Bounces', fixtures.dsn({
        recipient: 'liga@example.lv', campaignId: '0123456789abcdef01234567', subscriberId: String(liga._id), messageId: mid('b'),
        status: '5.1.1', diagnostic: '550 5.1.1 User unknown', to: returnPath, returned: fixtures.strangerHeaders('liga@example.lv'),
      }));
      await imap.append('INBOX', fixtures.unsubscribeEn('anna@example.lv', mid('u')));

      const summary = await createMailboxPoller(t.c).pollOnce();

      expect(summary!.counts).to.deep.equal({ bounce: 1, unsubscribe: 1 });
      expect(summary!.mailbox).to.match(/INBOX, .*Bounces$/);
      expect(await t.c.suppressions.reasonFor(liga.emailHash)).to.equal('hard-bounce');
      expect(await statusOf(anna._id)).to.equal('unsubscribed');
      expect(await subjects('Bounces')).to.deep.equal([]);
      expect(await subjects('Processed')).to.have.length(2);
    });
  });

  describe('intent and the inbox', () => {
    beforeEach(() => start());

    it('sends a low-confidence classification to Review and does nothing', async () => {
      const anna = await subscriber('anna@example.lv');
      const messageId = mid('unsure');
      await imap.append('INBOX', fixtures.unsubscribeEn('anna@example.lv', messageId));

      await poll({ classify: overriding(messageId, { confidence: 0.55, evidence: 'no longer want' }) });

      expect(await statusOf(anna._id)).to.equal('active');
      const r = await record(messageId);
      expect(r).to.include({ outcome: 'review', movedTo: 'Review' });
      expect(r!.note).to.equal('low confidence (0.55) for unsubscribe: "no longer want"');
    });

    it('leaves a question in reply to our newsletter in the inbox untouched, even when it reads like a request', async () => {
      const anna = await subscriber('anna@example.lv');
      const messageId = mid('question');
      await imap.append('INBOX', fixtures.quotedFooterQuestion('anna@example.lv', messageId));

      const summary = await poll({ classify: overriding(messageId, { kind: 'restriction', confidence: 0.9, replyToOurMail: true, asksQuestion: true }) });

      expect(summary).to.include({ kept: 1, waiting: 0 });
      expect(await t.c.models.requests.countDocuments()).to.equal(0);
      expect(await t.c.models.subscribers.findById(anna._id).lean()).to.include({ restricted: false });
      expect(await record(messageId)).to.include({ outcome: 'kept', leftInInbox: true });
      expect(await subjects('INBOX')).to.deep.equal(['Re: e-Jaunumi: Rudens Itālijā']);
      expect(await t.mails()).to.have.length(0);
    });

    it('honours an unsubscribe at once but leaves it in the inbox when it also asks a question', async () => {
      const anna = await subscriber('anna@example.lv');
      const messageId = mid('unsub-question');
      await imap.append('INBOX', fixtures.unsubscribeEn('anna@example.lv', messageId));

      await poll({ classify: overriding(messageId, { asksQuestion: true }) });

      expect(await statusOf(anna._id)).to.equal('unsubscribed');
      expect(await record(messageId)).to.include({ outcome: 'applied', leftInInbox: true });
      expect(await subjects('INBOX')).to.deep.equal(['Unsubscribe']);
    });

    for (const [fixture, type] of [['restriction--lv-ierobezot-apstradi.eml', 'restriction'], ['withdrawal--lv-atsaucu-piekrisanu.eml', 'withdrawal']] as const) {
      it(`opens a ${type} request by mail that waits for the /r/ verification, and applies it only then`, async () => {
        const raw = await readFile(path.join(FIXTURES, fixture), 'utf8');
        const sender = /^From: .*<([^>]+)>/m.exec(raw)![1]!;
        const person = await subscriber(sender);
        await imap.append('INBOX', raw);

        await poll();

        const [request] = await t.c.models.requests.find().lean();
        expect(request).to.include({ type, channel: 'mailbox', status: 'awaiting-verification' });
        expect(await statusOf(person._id)).to.equal('active');
        expect(await t.c.models.subscribers.findById(person._id).lean()).to.include({ restricted: false });
        expect(await subjects('Processed')).to.have.length(1);

        const [mail] = await t.waitForMails(1);
        const link = /(http:\/\/127\.0\.0\.1:\d+\/r\/[^\s"<>]+)/.exec(mail!.parsed.text ?? '')![1]!;
        const res = await fetch(link, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: '' });
        expect(res.status).to.equal(200);

        expect(await t.c.models.requests.findById(request!._id).lean()).to.include({ status: 'done' });
        if (type === 'restriction') expect(await t.c.models.subscribers.findById(person._id).lean()).to.include({ restricted: true });
        else expect(await statusOf(person._id)).to.equal('unsubscribed');
      });
    }

    it('moves what it acted on to MAILBOX_PROCESSED_FOLDER', async () => {
      await t.close();
      t = await createTestContext({ env: { MAILBOX_PROCESSED_FOLDER: 'Done' } });
      await subscriber('anna@example.lv');
      await imap.append('INBOX', fixtures.unsubscribeEn('anna@example.lv', mid('done')));

      await poll();

      expect(await subjects('Done')).to.deep.equal(['Unsubscribe']);
    });
  });

  describe('complaint rate guard', () => {
    beforeEach(() => start({ COMPLAINT_PAUSE_MIN_DELIVERED: '3', COMPLAINT_PAUSE_RATE: '0.2' }));

    it('pauses a sending campaign whose complaints exceed COMPLAINT_PAUSE_RATE of its deliveries, with an audit entry', async () => {
      const people = await Promise.all(['a@example.lv', 'b@example.lv', 'c@example.lv', 'd@example.lv'].map(subscriber));
      const campaign = await t.c.models.campaigns.create({ name: 'R', list: DEFAULT_LIST, subject: 'R', mjml: '<mjml/>', author: 'm@impro.lv', status: 'sending' });
      const campaignId = String(campaign._id);
      for (const p of people) {
        await delivered(campaignId, p._id);
        await t.c.models.deliveryOutcomes.create({ campaignId: campaign._id, subscriberId: p._id, status: 'sent', at: new Date() });
      }
      // The send worker writes a tally with each insert of outcomes; the guard reads those.
      await t.c.models.campaignTallies.create({ campaignId: campaign._id, batch: 'b1', sent: people.length, failed: 0, ambiguous: 0, skipped: {}, at: new Date() });
      const complaint = (p: (typeof people)[number]) =>
        fixtures.arfComplaint({ recipient: p.email, campaignId, subscriberId: String(p._id), messageId: mid('complaint') });

      // 1 of 4 is 25%, above 20%: the campaign pauses itself.
      await imap.append('INBOX', complaint(people[0]!));
      await poll();

      const paused = await t.c.models.campaigns.findById(campaign._id).lean();
      expect(paused).to.deep.include({ status: 'paused' });
      expect(paused!.stats!.complained).to.equal(1);
      const [entry] = await t.c.models.auditEntries.find({ action: 'campaign.paused.complaint-rate' }).lean();
      expect(entry).to.include({ target: campaignId, actor: 'system:complaint-rate-guard' });
      expect(entry!.details).to.deep.equal({ complained: 1, delivered: 4, rate: 0.25, threshold: 0.2 });
    });

    it('does not pause before COMPLAINT_PAUSE_MIN_DELIVERED deliveries, whatever the rate', async () => {
      const people = await Promise.all(['a@example.lv', 'b@example.lv'].map(subscriber));
      const campaign = await t.c.models.campaigns.create({ name: 'R', list: DEFAULT_LIST, subject: 'R', mjml: '<mjml/>', author: 'm@impro.lv', status: 'sending' });
      const campaignId = String(campaign._id);
      for (const p of people) {
        await delivered(campaignId, p._id);
        await t.c.models.deliveryOutcomes.create({ campaignId: campaign._id, subscriberId: p._id, status: 'sent', at: new Date() });
      }
      // The send worker writes a tally with each insert of outcomes; the guard reads those.
      await t.c.models.campaignTallies.create({ campaignId: campaign._id, batch: 'b1', sent: people.length, failed: 0, ambiguous: 0, skipped: {}, at: new Date() });
      await imap.append('INBOX', fixtures.arfComplaint({ recipient: people[0]!.email, campaignId, subscriberId: String(people[0]!._id), messageId: mid('c') }));

      await poll();

      expect((await t.c.models.campaigns.findById(campaign._id).lean())!.status).to.equal('sending');
      expect(await t.c.models.auditEntries.countDocuments({ action: 'campaign.paused.complaint-rate' })).to.equal(0);
    });
  });
});

async function until(check: () => Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}
