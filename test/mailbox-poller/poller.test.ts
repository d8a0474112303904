// The mailbox poller against a real Dovecot: fixtures arrive by IMAP APPEND, effects are checked
// through the models and the SMTP sink, and every message ends in Processed or Review exactly once.
import { expect } from 'chai';
import { Types } from 'mongoose';
import { chown, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { createMailboxPoller } from '../../src/mailbox/create-poller';
import type { Mailbox, MailboxSession } from '../../src/mailbox/imap-mailbox';
import type { PollSummary } from '../../src/mailbox/mailbox-report';
import { createTestContext, type TestContext } from '../helpers/context';
import { dovecotAvailable, startDovecot, type DovecotServer } from '../helpers/dovecot';
import { createSubscriber, DEFAULT_LIST } from '../helpers/factories';
import * as fixtures from './messages';

const CAMPAIGN_LIST = 'celojumi';

describe('mailbox poller (real Dovecot)', function () {
  this.timeout(60_000);
  let t: TestContext;
  let imap: DovecotServer;
  let seq = 0;
  const mid = (label: string) => `<${label}.${process.pid}.${++seq}@example.lv>`;

  before(function () {
    if (!dovecotAvailable()) throw new Error('dovecot is not installed: run scripts/install-system-deps.sh');
  });

  beforeEach(async () => {
    [t, imap] = await Promise.all([createTestContext({ env: { SOFT_BOUNCE_LIMIT: '2' } }), startDovecot()]);
  });

  afterEach(async () => {
    await Promise.all([t.close(), imap.stop()]);
  });

  const poll = (mailbox?: (real: Mailbox) => Mailbox): Promise<PollSummary | undefined> =>
    createMailboxPoller(t.c, { imapUrl: imap.url, mailbox }).pollOnce();

  const subjects = async (folder: string) => (await imap.list(folder)).map((m) => m.subject);

  const subscriber = (email: string, opts: { locale?: 'lv' | 'en' } = {}) =>
    createSubscriber(t.c, { email, locale: opts.locale, lists: { [DEFAULT_LIST]: 'active', [CAMPAIGN_LIST]: 'active' } });

  const statuses = async (subscriberId: Types.ObjectId) =>
    Object.fromEntries((await t.c.models.subscriptions.find({ subscriberId }).lean()).map((s) => [s.list, s.status]));

  const withdrawals = (subscriberId: Types.ObjectId) => t.c.models.consentEvents.find({ subscriberId, type: 'withdrawn' }).lean();

  const mailsTo = async (address: string) => (await t.mails()).filter((m) => m.to.includes(address));

  /** The delivery claim a send run records: what a bounce or complaint must match. */
  const delivered = (campaignId: string, subscriberId: Types.ObjectId) =>
    t.c.models.deliveries.create({ campaignId: new Types.ObjectId(campaignId), subscriberId, at: new Date() });

  it('unsubscribes a subscriber who writes in Latvian, records the consent event and acknowledges in Latvian', async () => {
    const anna = await subscriber('anna@example.lv');
    const messageId = mid('lv-unsubscribe');
    await imap.append('INBOX', fixtures.unsubscribeLv('Anna Bērziņa <anna@example.lv>', messageId));

    const summary = await poll();

    expect(summary?.counts).to.deep.equal({ unsubscribe: 1 });
    expect(await statuses(anna._id)).to.deep.equal({ [DEFAULT_LIST]: 'unsubscribed', [CAMPAIGN_LIST]: 'unsubscribed' });
    const events = await withdrawals(anna._id);
    expect(events).to.have.length(2);
    expect(events.every((e) => e.channel === 'mailbox' && e.messageId === messageId)).to.equal(true);

    const [ack, ...more] = await mailsTo('anna@example.lv');
    expect(more).to.have.length(0);
    expect(ack!.parsed.subject).to.equal('Jūs vairs nesaņemsiet e-Jaunumus');
    expect(ack!.parsed.headers.get('auto-submitted')).to.equal('auto-replied');
    expect(ack!.parsed.headers.get('in-reply-to')).to.equal(messageId);
    const head = ack!.raw.split('\r\n\r\n')[0]!.replace(/\r\n[ \t]+/g, ' ');
    expect(head).to.match(/^List-Unsubscribe: <http:\/\/127\.0\.0\.1:\d+\/u\/[^>]+>, <mailto:unsubscribe\+/m);
    expect(head).to.contain('List-Unsubscribe-Post: List-Unsubscribe=One-Click');
    const footerUrl = /^List-Unsubscribe: <([^>]+)>/m.exec(head)![1]!;
    expect(ack!.parsed.text).to.contain(footerUrl);

    const record = await t.c.models.inboundMessages.findOne({ messageId }).lean();
    expect(record).to.include({ kind: 'unsubscribe', outcome: 'applied', movedTo: 'Processed' });
    expect(record!.authentication).to.deep.equal({ dkim: 'pass', spf: 'pass', dmarc: 'pass' });
    expect(record!.effects).to.have.members(['unsubscribe', 'ack']);
    expect(await subjects('INBOX')).to.deep.equal([]);
    expect(await subjects('Processed')).to.deep.equal(['Atteikšanās']);
  });

  it('honours the List-Unsubscribe mailto token whatever the body says and whoever sends it', async () => {
    const juris = await subscriber('juris@example.lv');
    const token = t.c.listHeaders.unsubscribeToken({ subscriberId: String(juris._id), list: CAMPAIGN_LIST });
    await imap.append('INBOX', fixtures.mailtoUnsubscribe('Juris <juris.private@gmail.example>', token, mid('mailto')));

    await poll();

    expect(await statuses(juris._id)).to.deep.equal({ [DEFAULT_LIST]: 'active', [CAMPAIGN_LIST]: 'unsubscribed' });
    expect((await withdrawals(juris._id)).map((e) => e.channel)).to.deep.equal(['mailbox']);
    // The acknowledgement goes to the subscriber's address, not to whoever sent the mail.
    expect(await mailsTo('juris@example.lv')).to.have.length(1);
    expect(await mailsTo('juris.private@gmail.example')).to.have.length(0);
  });

  it('suppresses a hard bounce with its status and counts it on the campaign it came from', async () => {
    const liga = await subscriber('liga@example.lv');
    const campaign = await t.c.models.campaigns.create({ name: 'Rudens', list: CAMPAIGN_LIST, subject: 'Rudens', mjml: '<mjml/>', author: 'm@impro.lv' });
    const ours = { recipient: 'liga@example.lv', campaignId: String(campaign._id), subscriberId: String(liga._id) };
    await delivered(ours.campaignId, liga._id);
    await imap.append(
      'INBOX',
      fixtures.dsn({ ...ours, messageId: mid('dsn'), status: '5.1.1', diagnostic: '550 5.1.1 <liga@example.lv>: Recipient address rejected: User unknown' }),
    );

    const summary = await poll();

    expect(summary?.counts).to.deep.equal({ bounce: 1 });
    const suppression = await t.c.models.suppressions.findOne({ emailHash: liga.emailHash }).lean();
    expect(suppression).to.include({ reason: 'hard-bounce', campaignId: String(campaign._id) });
    expect(suppression!.detail).to.contain('5.1.1');
    const record = await t.c.models.inboundMessages.findOne({ kind: 'bounce' }).lean();
    expect(suppression!.evidence).to.deep.equal({
      inboundMessageId: String(record!._id),
      status: '5.1.1',
      diagnostic: 'smtp; 550 5.1.1 <liga@example.lv>: Recipient address rejected: User unknown',
      matchedBy: 'message-id',
    });
    expect((await t.c.models.campaigns.findById(campaign._id).lean())?.stats?.bounced).to.equal(1);
    const [event] = await t.c.models.consentEvents.find({ subscriberId: liga._id, type: 'suppressed' }).lean();
    expect(event).to.include({ channel: 'bounce' });
    expect(await t.mails()).to.have.length(0);
    expect(await subjects('Processed')).to.deep.equal(['Undelivered Mail Returned to Sender']);
  });

  it('counts soft bounces and suppresses only when SOFT_BOUNCE_LIMIT is reached', async () => {
    const maris = await subscriber('maris@example.lv');
    const ours = { recipient: 'maris@example.lv', campaignId: '0123456789abcdef01234567', subscriberId: String(maris._id) };
    const full = { ...ours, status: '4.2.2', diagnostic: '452 4.2.2 Mailbox full' };
    await delivered(ours.campaignId, maris._id);

    await imap.append('INBOX', fixtures.dsn({ ...full, messageId: mid('soft-1') }));
    await poll();
    expect(await t.c.suppressions.isSuppressed(maris.emailHash)).to.equal(false);

    await imap.append('INBOX', fixtures.dsn({ ...full, messageId: mid('soft-2') }));
    await poll();
    expect(await t.c.suppressions.reasonFor(maris.emailHash)).to.equal('soft-bounce');
    expect(await statuses(maris._id)).to.deep.equal({ [DEFAULT_LIST]: 'active', [CAMPAIGN_LIST]: 'active' });
  });

  it('ends every subscription and suppresses on an ARF abuse complaint; other feedback types are only recorded', async () => {
    const ilze = await subscriber('ilze@example.lv');
    const peteris = await subscriber('peteris@example.lv');
    const campaignId = '0123456789abcdef01234567';
    await delivered(campaignId, ilze._id);
    await delivered(campaignId, peteris._id);
    await imap.append('INBOX', fixtures.arfComplaint({ recipient: 'ilze@example.lv', campaignId, subscriberId: String(ilze._id), messageId: mid('arf') }));
    await imap.append(
      'INBOX',
      fixtures.arfComplaint({ recipient: 'peteris@example.lv', campaignId, subscriberId: String(peteris._id), messageId: mid('arf-nb'), feedbackType: 'not-spam' }),
    );

    const summary = await poll();

    expect(summary?.counts).to.deep.equal({ complaint: 2 });
    expect(await statuses(ilze._id)).to.deep.equal({ [DEFAULT_LIST]: 'unsubscribed', [CAMPAIGN_LIST]: 'unsubscribed' });
    expect((await withdrawals(ilze._id)).every((e) => e.channel === 'complaint')).to.equal(true);
    expect(await t.c.suppressions.reasonFor(ilze.emailHash)).to.equal('complaint');

    expect(await statuses(peteris._id)).to.deep.equal({ [DEFAULT_LIST]: 'active', [CAMPAIGN_LIST]: 'active' });
    expect(await t.c.suppressions.isSuppressed(peteris.emailHash)).to.equal(false);
    const notSpam = await t.c.models.inboundMessages.findOne({ fromHash: { $exists: true }, 'classification.feedbackType': 'not-spam' }).lean();
    expect(notSpam).to.include({ outcome: 'ignored' });
    expect(await t.mails()).to.have.length(0);
    expect(await subjects('Processed')).to.have.length(2);
  });

  it('records an access request for verification and sends no data; only the verification mail goes out', async () => {
    const bob = await subscriber('bob@example.com', { locale: 'en' });
    const messageId = mid('access');
    await imap.append('INBOX', fixtures.accessRequestEn('Bob <bob@example.com>', messageId));

    await poll();

    const record = await t.c.models.inboundMessages.findOne({ messageId }).lean();
    const requests = await t.c.models.requests.find({ inboundMessageId: String(record!._id) }).lean();
    expect(requests).to.have.length(1);
    expect(requests[0]).to.include({ type: 'access', channel: 'mailbox', status: 'awaiting-verification', email: 'bob@example.com' });
    expect(String(requests[0]!.subscriberId)).to.equal(String(bob._id));
    const mails = await mailsTo('bob@example.com');
    expect(mails).to.have.length(1);
    expect(mails[0]!.parsed.attachments).to.have.length(0);
    expect(await subjects('Processed')).to.have.length(1);
  });

  it('sends auto-replies to Processed unanswered, and leaves a trip question quoting the footer in the inbox', async () => {
    const anna = await subscriber('anna@example.lv');
    await imap.append('INBOX', fixtures.autoReply('anna@example.lv', mid('auto')));
    await imap.append('INBOX', fixtures.quotedFooterQuestion('Anna <anna@example.lv>', mid('trip')));

    const summary = await poll();

    expect(summary?.counts).to.deep.equal({ 'auto-reply': 1, other: 1 });
    expect(await statuses(anna._id)).to.deep.equal({ [DEFAULT_LIST]: 'active', [CAMPAIGN_LIST]: 'active' });
    expect(await t.mails()).to.have.length(0);
    expect(await subjects('Processed')).to.deep.equal(['Automātiskā atbilde: Atteikšanās']);
    expect(await subjects('INBOX')).to.deep.equal(['Re: e-Jaunumi: Rudens Itālijā']);
    expect(await subjects('Review')).to.deep.equal([]);
    expect(summary).to.include({ kept: 1, waiting: 0 });

    const res = await fetch(`${t.baseUrl}/api/v1/admin/mailbox/review`, { headers: { authorization: `Bearer ${t.token('dpo')}` } });
    expect(res.status).to.equal(200);
    const { items } = (await res.json()) as { items: Array<{ kind: string; outcome: string; subject: string }> };
    // Not acted on: in the inbox for a person, and listed in the review queue as kept there.
    expect(items.map((i) => [i.kind, i.outcome, i.subject])).to.deep.equal([['other', 'kept', 'Re: e-Jaunumi: Rudens Itālijā']]);

    // Later polls pass it by: not classified again, not counted as waiting, still in the inbox.
    const again = await poll();
    expect(again).to.include({ kept: 0, waiting: 0, duplicates: 0 });
    expect(again!.counts).to.deep.equal({});
    expect(await subjects('INBOX')).to.deep.equal(['Re: e-Jaunumi: Rudens Itālijā']);
  });

  it('survives broken MIME without a Message-ID, leaves it for a person and keeps polling the messages after it', async () => {
    const anna = await subscriber('anna@example.lv');
    await imap.append('INBOX', fixtures.brokenMime('anna@example.lv'));
    await imap.append('INBOX', fixtures.unsubscribeEn('anna@example.lv', mid('after-broken')));

    await poll();

    expect(await statuses(anna._id)).to.deep.equal({ [DEFAULT_LIST]: 'unsubscribed', [CAMPAIGN_LIST]: 'unsubscribed' });
    const broken = await t.c.models.inboundMessages.findOne({ dedupeKey: /^sha256:/ }).lean();
    expect(broken).to.include({ kind: 'other', outcome: 'kept', leftInInbox: true });
    expect(await subjects('INBOX')).to.have.length(1);
    expect(await subjects('Processed')).to.have.length(1);
  });

  it('handles a 10 MB attachment, a nested message/rfc822 and an empty body', async () => {
    const anna = await subscriber('anna@example.lv');
    await imap.append('INBOX', fixtures.withAttachment('anna@example.lv', mid('big'), 10 * 1024 * 1024));
    await imap.append('INBOX', fixtures.nestedForward('anna@example.lv', mid('nested')));
    await imap.append('INBOX', fixtures.emptyBody('anna@example.lv', mid('empty')));

    const summary = await poll();

    expect(summary).to.include({ failed: 0, notMoved: 0, waiting: 0, kept: 2 });
    expect(summary!.counts).to.deep.equal({ unsubscribe: 1, other: 2 });
    expect(await statuses(anna._id)).to.deep.equal({ [DEFAULT_LIST]: 'unsubscribed', [CAMPAIGN_LIST]: 'unsubscribed' });
    const big = await t.c.models.inboundMessages.findOne({ kind: 'unsubscribe' }).lean();
    expect(big!.raw!.length).to.be.at.most(1024 * 1024);
    expect(await subjects('Processed')).to.have.length(1);
    expect(await subjects('INBOX')).to.have.length(2);
  });

  it('sends a message it cannot read to Review with the error and goes on with the rest', async () => {
    const anna = await subscriber('anna@example.lv');
    await imap.append('INBOX', fixtures.unsubscribeEn('someone@example.lv', mid('unreadable')));
    await imap.append('INBOX', fixtures.unsubscribeEn('anna@example.lv', mid('readable')));
    let firstUid: number | undefined;
    const unreadableFirst = (real: Mailbox): Mailbox => wrapSession(real, (s) => ({
      source: async (uid) => {
        firstUid ??= uid;
        if (uid === firstUid) throw new Error('FETCH failed: BAD');
        return s.source(uid);
      },
    }));

    const summary = await poll(unreadableFirst);

    expect(summary).to.include({ failed: 1, waiting: 0 });
    expect(await statuses(anna._id)).to.deep.equal({ [DEFAULT_LIST]: 'unsubscribed', [CAMPAIGN_LIST]: 'unsubscribed' });
    const failed = await t.c.models.inboundMessages.findOne({ outcome: 'failed' }).lean();
    expect(failed!.error).to.contain('FETCH failed');
    expect(await subjects('Review')).to.deep.equal(['Unsubscribe']);
  });

  it('applies nothing twice: polling again, re-delivery of the same message, and a crash between effects and move', async () => {
    await subscriber('anna@example.lv');
    const liga = await subscriber('liga@example.lv');
    const campaign = await t.c.models.campaigns.create({ name: 'R', list: CAMPAIGN_LIST, subject: 'R', mjml: '<mjml/>', author: 'm@impro.lv' });
    const ours = { recipient: 'liga@example.lv', campaignId: String(campaign._id), subscriberId: String(liga._id) };
    await delivered(ours.campaignId, liga._id);
    const corpus = [
      fixtures.unsubscribeLv('anna@example.lv', mid('crash-unsub')),
      fixtures.dsn({ ...ours, messageId: mid('crash-dsn'), status: '5.1.1', diagnostic: '550 5.1.1 User unknown' }),
      fixtures.accessRequestEn('bob@example.com', mid('crash-access')),
    ];
    for (const raw of corpus) await imap.append('INBOX', raw);

    // The connection dies after the effects, before any move: everything stays in INBOX.
    const summary = await poll(failingMoves);
    expect(summary).to.include({ notMoved: 3, waiting: 3 });
    expect(await subjects('INBOX')).to.have.length(3);
    const effectsAfterCrash = await observableEffects();

    // Killed harder: as if the process died before even recording that its effects ran.
    await t.c.models.inboundMessages.updateMany({}, { $set: { outcome: 'received', effects: [] } });
    const second = await poll();
    expect(second).to.include({ duplicates: 0, notMoved: 0, waiting: 0 });
    expect(second!.counts).to.deep.equal({});
    expect(await subjects('INBOX')).to.deep.equal([]);
    expect(await subjects('Processed')).to.have.length(3);

    // The same messages delivered again (a copy, a resend): recorded as duplicates, moved, not applied.
    for (const raw of corpus) await imap.append('INBOX', raw);
    const third = await poll();
    expect(third).to.include({ duplicates: 3, waiting: 0 });
    expect(await subjects('Processed')).to.have.length(6);

    expect(await observableEffects()).to.deep.equal(effectsAfterCrash);
    expect(effectsAfterCrash).to.deep.include({ withdrawn: 2, suppressed: 1, suppressions: 1, requests: 1, bounced: 1 });
    expect(effectsAfterCrash.mails).to.equal(2); // Anna's acknowledgement, Bob's verification link

    async function observableEffects() {
      return {
        withdrawn: await t.c.models.consentEvents.countDocuments({ type: 'withdrawn' }),
        suppressed: await t.c.models.consentEvents.countDocuments({ type: 'suppressed' }),
        suppressions: await t.c.models.suppressions.countDocuments(),
        requests: await t.c.models.requests.countDocuments(),
        bounced: (await t.c.models.campaigns.findById(campaign._id).lean())?.stats?.bounced,
        mails: (await t.mails()).length,
      };
    }
  });

  it('never reprocesses after a UIDVALIDITY change', async () => {
    const anna = await subscriber('anna@example.lv');
    await imap.append('INBOX', fixtures.unsubscribeLv('anna@example.lv', mid('uidvalidity')));
    await imap.append('INBOX', fixtures.brokenMime('anna@example.lv'));
    await poll(failingMoves);
    const before = await t.c.models.inboundMessages.find().lean();
    expect(before).to.have.length(2);

    const oldValidity = before[0]!.uidKey.split(':')[0]!;
    await resetUidValidity(imap, Number(oldValidity) + 1000);
    const summary = await poll();

    expect(summary).to.include({ duplicates: 2, waiting: 0 });
    // The message left for a person keeps its record; its new slot only says so.
    const after = await t.c.models.inboundMessages.find({ dedupeKey: { $not: /^slot:/ } }).lean();
    expect(after.map((r) => r.uidKey).sort()).to.deep.equal(before.map((r) => r.uidKey).sort());
    expect(await withdrawals(anna._id)).to.have.length(2);
    expect(await mailsTo('anna@example.lv')).to.have.length(1);
    expect(await subjects('Processed')).to.have.length(1);
    expect(await subjects('INBOX')).to.have.length(1);
    expect((await poll())!.duplicates).to.equal(0);
  });

  it('does not answer bulk mail, a null return path, Auto-Submitted mail or a suppressed address, and answers an address once a day', async () => {
    const people = ['bulk@example.lv', 'null@example.lv', 'suppressed@example.lv', 'auto@example.lv', 'twice@example.lv'];
    const subs = await Promise.all(people.map((p) => subscriber(p)));
    await t.c.suppressions.suppress(subs[2]!.emailHash, 'hard-bounce', '5.1.1');
    await imap.append('INBOX', fixtures.unsubscribeLv('suppressed@example.lv', mid('suppressed')));
    await imap.append('INBOX', fixtures.unsubscribeLv('bulk@example.lv', mid('bulk'), ['Precedence: bulk']));
    await imap.append('INBOX', fixtures.unsubscribeLv('null@example.lv', mid('null'), ['Return-Path: <>']));
    await imap.append('INBOX', fixtures.unsubscribeLv('auto@example.lv', mid('autosub'), ['Auto-Submitted: auto-generated']));
    await imap.append('INBOX', fixtures.unsubscribeLv('twice@example.lv', mid('twice-1')));
    await imap.append('INBOX', fixtures.unsubscribeEn('twice@example.lv', mid('twice-2')));

    await poll();

    // Auto-Submitted mail is not a person's request at all; the others are honoured, unanswered.
    for (const s of subs.slice(0, 3)) expect(Object.values(await statuses(s._id))).to.deep.equal(['unsubscribed', 'unsubscribed']);
    expect(Object.values(await statuses(subs[3]!._id))).to.deep.equal(['active', 'active']);
    for (const p of people.slice(0, 4)) expect(await mailsTo(p)).to.have.length(0);
    expect(await mailsTo('twice@example.lv')).to.have.length(1);
  });

  it('polls on the job scheduler and reports counts, review size and the oldest waiting message to the DPO', async () => {
    await t.close();
    t = await createTestContext({ workers: true, env: { IMAP_URL: imap.url, IMAP_POLL_INTERVAL: '200ms' } });
    await subscriber('anna@example.lv');
    await imap.append('INBOX', fixtures.unsubscribeLv('anna@example.lv', mid('scheduled')));
    await imap.append('INBOX', fixtures.quotedFooterQuestion('anna@example.lv', mid('scheduled-review')));

    await t.waitForMails(1);
    await until(async () => (await imap.list('INBOX')).length === 1);
    await until(async () => (await t.c.models.inboundMessages.countDocuments({ $or: [{ movedTo: { $exists: true } }, { leftInInbox: true }] })) === 2);

    const dpo = { authorization: `Bearer ${t.token('dpo')}` };
    const metrics = (await (await fetch(`${t.baseUrl}/api/v1/admin/metrics/mailbox`, { headers: dpo })).json()) as {
      reviewSize: number;
      keptInInbox: number;
      oldestUnprocessedAgeMs: number | null;
      totalsByKind: Record<string, number>;
      lastPoll: { counts: Record<string, number>; waiting: number } | null;
    };
    expect(metrics.reviewSize).to.equal(0);
    expect(metrics.keptInInbox).to.equal(1);
    expect(metrics.totalsByKind).to.deep.equal({ unsubscribe: 1, other: 1 });
    expect(metrics.lastPoll).to.not.equal(null);
    expect(metrics.lastPoll!.waiting).to.equal(0);
    expect(metrics.oldestUnprocessedAgeMs).to.equal(0);

    const marketer = await fetch(`${t.baseUrl}/api/v1/admin/mailbox/review`, { headers: { authorization: `Bearer ${t.token('marketer')}` } });
    expect(marketer.status).to.equal(403);
    const audit = await t.c.models.auditEntries.countDocuments({ action: 'mailbox.review.read' });
    expect(audit).to.equal(0);
    await fetch(`${t.baseUrl}/api/v1/admin/mailbox/review?limit=10`, { headers: dpo });
    expect(await t.c.models.auditEntries.countDocuments({ action: 'mailbox.review.read' })).to.equal(1);
    expect((await fetch(`${t.baseUrl}/api/v1/admin/mailbox/review?limit=abc`, { headers: dpo })).status).to.equal(400);
  });
});

/** Wraps every session of a mailbox, replacing some of its operations. */
function wrapSession(real: Mailbox, replace: (s: MailboxSession) => Partial<MailboxSession>): Mailbox {
  return {
    session: (work) =>
      real.session((s) =>
        work({
          name: s.name,
          uidValidity: s.uidValidity,
          waiting: () => s.waiting(),
          source: (uid) => s.source(uid),
          move: (uid, folder) => s.move(uid, folder),
          ...replace(s),
        }),
      ),
  };
}

const failingMoves = (real: Mailbox): Mailbox =>
  wrapSession(real, () => ({
    move: async () => {
      throw new Error('connection lost');
    },
  }));

/** Makes Dovecot renumber INBOX under a new UIDVALIDITY, as after a server migration or restore. */
async function resetUidValidity(server: DovecotServer, validity: number): Promise<void> {
  const maildir = path.join(server.dir, 'home', 'Maildir');
  const owner = await stat(maildir);
  for (const file of await readdir(maildir)) {
    if (file.startsWith('dovecot.index')) await rm(path.join(maildir, file));
  }
  const uidlist = path.join(maildir, 'dovecot-uidlist');
  expect(await readFile(uidlist, 'utf8')).to.match(/^3 V\d+/);
  await writeFile(uidlist, `3 V${validity} N1\n`);
  await chown(uidlist, owner.uid, owner.gid);
}

async function until(check: () => Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 100));
  }
}
