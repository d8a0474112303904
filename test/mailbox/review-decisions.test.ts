// The DPO decides what the poller left for a person: reads the message as text, applies a kind once
// (the poller's own effects, in the DPO's name, audited), and a forged report stays powerless even
// when the DPO calls it a bounce or a complaint.
import { mkdtemp, rm, utimes } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { createMailboxPoller } from '../../src/mailbox/create-poller';
import { deliverToMaildir } from '../../src/mailbox/maildir-mailbox';
import { createTestContext, type TestContext } from '../helpers/context';
import { createSubscriber, DEFAULT_LIST } from '../helpers/factories';
import { api } from '../requests/helpers';

describe('mailbox review: the DPO decides', function () {
  this.timeout(60_000);
  let t: TestContext;
  let dir: string;
  let n = 0;

  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'ej-review-'));
    t = await createTestContext({ env: { MAILBOX_URL: `maildir:${dir}/inbox` } });
  });
  afterEach(async () => {
    await t.close();
    await rm(dir, { recursive: true, force: true });
  });

  /** Drops one mail into the inbox, polls it, and returns its inbound record. */
  async function arrive(lines: { from: string; to?: string; subject: string; body: string; contentType?: string; extra?: string[] }) {
    const messageId = `<review.${process.pid}.${++n}.${Date.now()}@example.lv>`;
    const raw = [
      `From: ${lines.from}`,
      `To: ${lines.to ?? 'impro@impro.lv'}`,
      `Subject: ${lines.subject}`,
      `Message-ID: ${messageId}`,
      'Date: Mon, 01 Jun 2026 10:00:00 +0300',
      'MIME-Version: 1.0',
      `Content-Type: ${lines.contentType ?? 'text/plain; charset=utf-8'}`,
      ...(lines.extra ?? []),
      '',
      lines.body,
      '',
    ].join('\r\n');
    const file = await deliverToMaildir(`${dir}/inbox`, Buffer.from(raw, 'utf8'));
    // Arrived a little while ago: the Maildir reader passes by files that may still be settling.
    const earlier = new Date(Date.now() - 10_000);
    await utimes(file, earlier, earlier);
    await createMailboxPoller(t.c).pollOnce();
    const record = await t.c.models.inboundMessages.findOne({ messageId }).lean();
    if (!record) throw new Error('the message was not recorded');
    return { id: String(record._id), record };
  }

  const question = (from: string) => arrive({ from, subject: 'Brauciens uz Romu', body: 'Labdien! Vai jūsu ceļojumā uz Romu jūnijā vēl ir brīvas vietas?' });

  it('lists a kept question with the classifier\'s guess, and applies "unsubscribe" once in the DPO\'s name', async () => {
    const anna = await createSubscriber(t.c, { email: 'anna.review@example.lv', lists: { [DEFAULT_LIST]: 'active' } });
    const { id, record } = await question('Anna <anna.review@example.lv>');
    expect(record.outcome).to.equal('kept');

    const queue = await api(t, 'dpo', 'GET', '/mailbox/review');
    const item = queue.body.items.find((i: { id: string }) => i.id === id);
    expect(item.guess).to.include({ kind: 'other' });
    expect(item.guess.confidence).to.be.a('number');

    const first = await api(t, 'dpo', 'POST', `/mailbox/messages/${id}/decision`, { kind: 'unsubscribe' });
    expect(first.status).to.equal(200);
    expect(first.body).to.include({ kind: 'unsubscribe', outcome: 'applied', decidedBy: 'dpo@impro.lv', repeated: false });
    const again = await api(t, 'dpo', 'POST', `/mailbox/messages/${id}/decision`, { kind: 'unsubscribe' });
    expect(again.status).to.equal(200);
    expect(again.body).to.include({ outcome: 'applied', repeated: true });

    const subscription = await t.c.models.subscriptions.findOne({ subscriberId: anna._id, list: DEFAULT_LIST }).lean();
    expect(subscription!.status).to.equal('unsubscribed');
    expect(await t.c.models.consentEvents.countDocuments({ subscriberId: anna._id, type: 'withdrawn' })).to.equal(1);
    const stored = await t.c.models.inboundMessages.findById(id).lean();
    expect(stored).to.deep.include({ outcome: 'applied', kind: 'unsubscribe' });
    expect(stored!.decision).to.include({ kind: 'unsubscribe', actor: 'dpo@impro.lv' });
    const audits = await t.c.models.auditEntries.find({ action: 'mailbox.review.decide', target: id }).sort({ at: 1, _id: 1 }).lean();
    expect(audits.map((a) => [a.actor, a.role, (a.details as { repeated: boolean }).repeated])).to.deep.equal([
      ['dpo@impro.lv', 'dpo', false],
      ['dpo@impro.lv', 'dpo', true],
    ]);
    // Decided: out of the queue.
    const after = await api(t, 'dpo', 'GET', '/mailbox/review');
    expect(after.body.items.map((i: { id: string }) => i.id)).not.to.include(id);
  });

  it('opens one request, awaiting verification, for two simultaneous "access" decisions', async () => {
    const { id } = await question('Jānis <janis.review@example.lv>');
    const [a, b] = await Promise.all([
      api(t, 'dpo', 'POST', `/mailbox/messages/${id}/decision`, { kind: 'access' }),
      api(t, 'dpo', 'POST', `/mailbox/messages/${id}/decision`, { kind: 'access' }),
    ]);
    // One ran the effects; the other found the claim taken (decided, or still being decided).
    expect([a.status, b.status].sort()).to.satisfy((s: number[]) => s[0] === 200 && (s[1] === 200 || s[1] === 409));
    const requests = await t.c.models.requests.find({ inboundMessageId: id }).lean();
    expect(requests).to.have.length(1);
    expect(requests[0]).to.include({ type: 'access', status: 'awaiting-verification', channel: 'mailbox', email: 'janis.review@example.lv' });
    expect(requests[0]!.actions[0]).to.include({ action: 'received', actor: 'dpo@impro.lv' });
    const mails = await t.waitForMails(1, (m) => m.to.includes('janis.review@example.lv'));
    expect(mails[0]!.parsed.text).to.match(/\/r\//);
  });

  it('leaves a forged bounce powerless even when the DPO calls it a bounce or a complaint', async () => {
    const victim = await createSubscriber(t.c, { email: 'victim.review@example.lv', lists: { [DEFAULT_LIST]: 'active' } });
    const { id, record } = await arrive({
      from: 'postmaster@attacker.example',
      subject: 'Undeliverable: Mail delivery failed',
      body: 'Delivery to the following recipient failed permanently:\r\n\r\nvictim.review@example.lv\r\n\r\n550 5.1.1 user unknown victim.review@example.lv',
    });
    expect(record.outcome).to.equal('review');

    for (const kind of ['bounce', 'complaint']) {
      const res = await api(t, 'dpo', 'POST', `/mailbox/messages/${id}/decision`, { kind });
      expect(res.status).to.equal(200);
      expect(res.body).to.include({ kind, outcome: 'review', repeated: false });
      expect(res.body.note).to.contain('not proven');
    }
    expect(await t.c.suppressions.isSuppressed(victim.emailHash)).to.equal(false);
    expect(await t.c.models.consentEvents.countDocuments({ subscriberId: victim._id, type: 'suppressed' })).to.equal(0);
    // Still waiting for a person; dismissing it decides it.
    expect((await t.c.models.inboundMessages.findById(id).lean())!.outcome).to.equal('review');
    const dismissed = await api(t, 'dpo', 'POST', `/mailbox/messages/${id}/decision`, { kind: 'nothing' });
    expect(dismissed.body).to.include({ outcome: 'ignored', decidedBy: 'dpo@impro.lv' });
  });

  it('applies a bounce the DPO confirms to the subscriber our VERP token names, never to the address in the text', async () => {
    const liga = await createSubscriber(t.c, { email: 'liga.verp@example.lv', lists: { [DEFAULT_LIST]: 'active' } });
    const bystander = await createSubscriber(t.c, { email: 'bystander.verp@example.lv', lists: { [DEFAULT_LIST]: 'active' } });
    const returnPath = t.c.listHeaders.build({ subscriberId: String(liga._id) }).returnPath;
    // Vague enough for the classifier to leave it to a person; it names another subscriber in the text.
    const { id, record } = await arrive({ from: 'someone@mail.example', to: returnPath, subject: 'Par jūsu vēstuli', body: 'Sveiki, šī adrese vairs netiek lietota. Rakstiet uz bystander.verp@example.lv' });
    expect(record.outcome).to.be.oneOf(['kept', 'review']);

    const res = await api(t, 'dpo', 'POST', `/mailbox/messages/${id}/decision`, { kind: 'bounce' });
    expect(res.body).to.include({ kind: 'bounce', outcome: 'applied' });
    expect((await t.c.models.inboundMessages.findById(id).lean())!.matchedBy).to.equal('verp');
    expect(await t.c.suppressions.isSuppressed(bystander.emailHash)).to.equal(false);
    // Without a delivery-status report it is a soft bounce: counted for the VERP subscriber, nobody suppressed yet.
    expect(await t.c.models.claims.countDocuments({ key: { $regex: `^soft-bounce:${liga.emailHash}:` } })).to.equal(1);
    expect(await t.c.models.claims.countDocuments({ key: { $regex: `^soft-bounce:${bystander.emailHash}:` } })).to.equal(0);
  });

  it('shows a message as text: no script, no remote content, and the read is audited', async () => {
    const { id } = await arrive({
      from: 'Līga <liga.review@example.lv>',
      subject: 'Jautājums',
      contentType: 'text/html; charset=utf-8',
      body: '<html><head><style>p{color:red}</style></head><body><p>Sveiki! Kad ir nākamais brauciens?</p><img src="http://tracker.example/p.gif"><script>alert(1)</script><a href="javascript:alert(2)">saite</a></body></html>',
    });
    const res = await api(t, 'dpo', 'GET', `/mailbox/messages/${id}`);
    expect(res.status).to.equal(200);
    expect(res.body).to.include({ from: 'liga.review@example.lv', subject: 'Jautājums', to: 'impro@impro.lv' });
    expect(res.body.text).to.contain('Sveiki! Kad ir nākamais brauciens?');
    for (const hostile of ['<', 'alert', 'tracker.example', 'javascript:', 'color:red']) expect(res.body.text).not.to.contain(hostile);
    expect(await t.c.models.auditEntries.countDocuments({ action: 'mailbox.message.read', target: id, actor: 'dpo@impro.lv' })).to.equal(1);
  });

  it('refuses a marketer (403), bad input (400), an unknown message (404) and a message the poller acted on (409)', async () => {
    const anna = await createSubscriber(t.c, { email: 'anna.acted@example.lv', lists: { [DEFAULT_LIST]: 'active' } });
    const acted = await arrive({ from: 'anna.acted@example.lv', subject: 'Atrakstīties', body: 'Lūdzu, atrakstiet mani no jūsu jaunumiem. Vairs nesūtiet man e-pastus.' });
    expect(acted.record.outcome).to.equal('applied');
    const { id } = await question('someone.review@example.lv');

    expect((await api(t, 'marketer', 'POST', `/mailbox/messages/${id}/decision`, { kind: 'unsubscribe' })).status).to.equal(403);
    expect((await api(t, 'marketer', 'GET', `/mailbox/messages/${id}`)).status).to.equal(403);
    expect((await api(t, null, 'GET', `/mailbox/messages/${id}`)).status).to.equal(401);
    expect((await api(t, 'dpo', 'POST', `/mailbox/messages/${id}/decision`, { kind: 'delete-everyone' })).status).to.equal(400);
    expect((await api(t, 'dpo', 'POST', `/mailbox/messages/${id}/decision`, { kind: 'unsubscribe', $set: 1 })).status).to.equal(400);
    expect((await api(t, 'dpo', 'POST', `/mailbox/messages/${id}/decision`, {})).status).to.equal(400);
    expect((await api(t, 'dpo', 'POST', '/mailbox/messages/not-an-id/decision', { kind: 'nothing' })).status).to.equal(400);
    expect((await api(t, 'dpo', 'GET', '/mailbox/messages/0123456789abcdef01234567')).status).to.equal(404);
    expect((await api(t, 'dpo', 'POST', `/mailbox/messages/${acted.id}/decision`, { kind: 'access' })).status).to.equal(409);
    expect(await t.c.models.requests.countDocuments({})).to.equal(0);
    expect(await t.c.models.auditEntries.countDocuments({ action: 'mailbox.review.decide' })).to.equal(0);
    void anna;
  });

  it('counts messages per kind per day, the review queue and its oldest message', async () => {
    await question('one.review@example.lv');
    await arrive({ from: 'postmaster@attacker.example', subject: 'Undeliverable: x', body: '550 5.1.1 user unknown nobody.review@example.lv' });
    const res = await api(t, 'dpo', 'GET', '/metrics/mailbox');
    expect(res.status).to.equal(200);
    expect(res.body.byDay).to.have.length(30);
    const today = res.body.byDay.at(-1);
    expect(today.day).to.equal(new Date().toISOString().slice(0, 10));
    expect(today.counts).to.deep.equal({ other: 1, bounce: 1 });
    expect(res.body.reviewSize).to.equal(1);
    expect(res.body.oldestReviewAgeMs).to.be.a('number').and.to.be.at.least(0);
  });
});
