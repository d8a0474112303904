// Invariant 7 for access: nothing leaves before the requester proves control of the address, and
// the export then goes to that address only. Withdrawal and restriction act without waiting.
import { expect } from 'chai';
import { createTestContext, type TestContext } from '../helpers/context';
import { createSubscriber, DEFAULT_LIST } from '../helpers/factories';
import { hashEmail } from '../../src/domain/email-address';
import { rawHeader } from '../signup/helpers';
import { api, postForm, verifyTokenIn } from './helpers';

describe('requests: verification and access export', () => {
  let t: TestContext;
  before(async () => {
    t = await createTestContext();
  });
  after(async () => t.close());

  async function seedPerson(email: string, name: string) {
    const subscriber = await createSubscriber(t.c, { email, name, lists: { [DEFAULT_LIST]: 'active' } });
    const emailHash = subscriber.emailHash;
    await t.c.ledger.record({ subscriberId: subscriber._id, emailHash, list: DEFAULT_LIST, type: 'requested', channel: 'web-form', ip: '198.51.100.7', userAgent: 'Firefox', policyVersion: 1 });
    await t.c.ledger.record({ subscriberId: subscriber._id, emailHash, list: DEFAULT_LIST, type: 'confirmed', channel: 'web-form', ip: '198.51.100.7', policyVersion: 1 });
    const campaign = await t.c.models.campaigns.create({ name: 'Rudens piedāvājumi', list: DEFAULT_LIST, subject: 'Rudens ceļojumi', mjml: '<mjml/>', author: 'marketer@impro.lv' });
    await t.c.models.deliveries.create({ campaignId: campaign._id, subscriberId: subscriber._id, claimedBy: 'run-1', at: new Date() });
    await t.c.models.deliveryOutcomes.create({ campaignId: campaign._id, subscriberId: subscriber._id, status: 'sent', at: new Date(), messageId: '<m1@impro.lv>' });
    await t.c.models.inboundMessages.create({
      dedupeKey: `dk-${email}`,
      mailbox: 'INBOX',
      uidKey: `1:${email}`,
      from: email,
      fromHash: hashEmail(email, t.config.emailHashKey),
      subject: 'Lūdzu, izsniedziet manus datus',
      kind: 'access',
      raw: `From: ${email}\r\n\r\nLūdzu, izsniedziet manus datus`,
      receivedAt: new Date(),
    });
    return subscriber;
  }

  it('mails only a verification link before verification; GET changes nothing; POST sends the export to that address only', async () => {
    const email = 'anna.berzina@example.lv';
    const subscriber = await seedPerson(email, 'Anna Bērziņa');
    const created = await api(t, 'dpo', 'POST', '/requests', { type: 'access', email: 'Anna.Berzina@EXAMPLE.lv', channel: 'letter' });
    expect(created.status).to.equal(201);

    // The request's own spelling of the address: the same mailbox (local parts compare case-insensitively).
    const [verifyMail] = await t.waitForMails(1, (m) => m.to.includes('Anna.Berzina@example.lv'));
    expect(verifyMail!.parsed.attachments).to.have.length(0);
    expect(verifyMail!.raw).not.to.contain('Bērziņa');
    expect(verifyMail!.raw).not.to.contain('Rudens');
    // A subscriber's mail still carries a working unsubscribe.
    expect(rawHeader(verifyMail!, 'list-unsubscribe')).to.match(/^<http:\/\/127\.0\.0\.1:\d+\/u\/[^>]+>, <mailto:/);
    expect(rawHeader(verifyMail!, 'list-unsubscribe-post')).to.equal('List-Unsubscribe=One-Click');
    const token = verifyTokenIn(verifyMail!);

    // A link scanner's GET: a page with a button, no state change, no name on it.
    const page = await fetch(`${t.baseUrl}/r/${token}`, { headers: { accept: 'text/html' } });
    expect(page.status).to.equal(200);
    expect(page.headers.get('x-robots-tag')).to.contain('noindex');
    const html = await page.text();
    expect(html).to.contain('<form method="post"').and.contain(created.body.number).and.not.contain('Bērziņa');
    expect((await t.c.models.requests.findById(created.body.id).lean())!.status).to.equal('awaiting-verification');
    expect(await t.mails()).to.have.length(1);

    const verified = await postForm(t, `/r/${token}`, { lang: 'lv' });
    expect(verified.status).to.equal(200);
    expect(verified.html).to.contain('Jūsu datu kopija ir nosūtīta');

    const exportMails = await t.waitForMails(1, (m) => m.parsed.attachments.length > 0);
    expect(exportMails).to.have.length(1);
    const exportMail = exportMails[0]!;
    expect(exportMail.to).to.deep.equal(['Anna.Berzina@example.lv']);
    expect(exportMail.parsed.text).to.contain('Anna Bērziņa').and.contain('„e-Jaunumi” — abonēts');
    const attachment = exportMail.parsed.attachments[0]!;
    expect(attachment.contentType).to.equal('application/json');
    const data = JSON.parse(attachment.content.toString('utf8'));
    expect(data).to.include({ format: 'e-jaunumi-access-export', requestNumber: created.body.number, language: 'lv', email: 'Anna.Berzina@example.lv' });
    expect(data.person).to.include({ email, name: 'Anna Bērziņa' });
    expect(JSON.stringify(data)).not.to.contain(String(subscriber._id));
    expect(data.subscriptions).to.deep.equal([
      { list: DEFAULT_LIST, listName: 'e-Jaunumi', status: 'active', requestedAt: null, confirmedAt: data.subscriptions[0].confirmedAt, unsubscribedAt: null, policyVersion: 1 },
    ]);
    expect(data.consentHistory.map((e: { type: string }) => e.type)).to.deep.equal(['requested', 'confirmed']);
    expect(data.consentHistory[0]).to.include({ ip: '198.51.100.7', userAgent: 'Firefox', policyVersion: 1 });
    expect(data.policyVersions.map((p: { version: number }) => p.version)).to.deep.equal([1]);
    expect(data.mailings).to.have.length(1);
    expect(data.mailings[0]).to.include({ subject: 'Rudens ceļojumi', outcome: 'sent' });
    expect(data.requests.map((r: { number: string }) => r.number)).to.deep.equal([created.body.number]);
    expect(data.messagesToUs).to.have.length(1);
    expect(data.messagesToUs[0].subject).to.equal('Lūdzu, izsniedziet manus datus');
    expect(data.doNotMail).to.deep.equal([]);

    const done = await api(t, 'dpo', 'GET', `/requests/${created.body.id}`);
    expect(done.body.status).to.equal('done');
    expect(done.body.verifiedAt).to.be.a('string');
    expect(done.body.actions.map((a: { action: string }) => a.action)).to.include.members(['verified', 'exported']);

    // A second click (or a replayed POST) sends nothing more.
    const again = await postForm(t, `/r/${token}`, { lang: 'en' });
    expect(again.status).to.equal(200);
    expect(again.html).to.contain('Already confirmed');
    expect(await t.mails()).to.have.length(2);
  });

  it('verifies once under concurrent POSTs: one export', async () => {
    const email = 'double.click@example.lv';
    await seedPerson(email, 'Double Click');
    await api(t, 'dpo', 'POST', '/requests', { type: 'access', email, channel: 'admin' });
    const token = verifyTokenIn((await t.waitForMails(1, (m) => m.to.includes(email)))[0]!);
    const results = await Promise.all(Array.from({ length: 6 }, () => postForm(t, `/r/${token}`)));
    expect(results.map((r) => r.status)).to.deep.equal(Array(6).fill(200));
    await t.waitForMails(1, (m) => m.to.includes(email) && m.parsed.attachments.length > 0);
    await new Promise((r) => setTimeout(r, 300));
    expect((await t.mails()).filter((m) => m.to.includes(email) && m.parsed.attachments.length > 0)).to.have.length(1);
  });

  it('rejects a forged, tampered or wrong-purpose link with a 4xx page', async () => {
    const forged = await fetch(`${t.baseUrl}/r/dev.AQIIAAAAAAAAAAAAAAAAAAAA.AAAAAAAAAAAAAAAAAAAAAA`, { headers: { accept: 'text/html' } });
    expect(forged.status).to.equal(400);
    const unsubscribeToken = t.c.signer.sign({ purpose: 'unsubscribe', subject: '0123456789abcdef01234567' });
    expect((await postForm(t, `/r/${unsubscribeToken}`)).status).to.equal(400);
    const expired = t.c.signer.sign({ purpose: 'verify', subject: '0123456789abcdef01234567', exp: Math.floor(Date.now() / 1000) - 10 });
    expect((await fetch(`${t.baseUrl}/r/${expired}`, { headers: { accept: 'text/html' } })).status).to.equal(410);
    const unknown = t.c.signer.sign({ purpose: 'verify', subject: '0123456789abcdef01234567', exp: Math.floor(Date.now() / 1000) + 60 });
    expect((await fetch(`${t.baseUrl}/r/${unknown}`, { headers: { accept: 'text/html' } })).status).to.equal(404);
  });

  it('withdrawal ends every subscription at once, without verification, and is recorded', async () => {
    const email = 'withdraw@example.lv';
    const subscriber = await createSubscriber(t.c, { email, lists: { [DEFAULT_LIST]: 'active', 'celojumi-2027': 'pending' } });
    const created = await api(t, 'dpo', 'POST', '/requests', { type: 'withdrawal', email, channel: 'mailbox' });
    expect(created.body.status).to.equal('done');
    const subs = await t.c.models.subscriptions.find({ subscriberId: subscriber._id }).lean();
    expect(subs.map((s) => s.status)).to.deep.equal(['unsubscribed', 'unsubscribed']);
    const events = await t.c.models.consentEvents.find({ subscriberId: subscriber._id, type: 'withdrawn' }).lean();
    expect(events.map((e) => e.channel)).to.deep.equal(['mailbox', 'mailbox']);
    expect((await t.mails()).filter((m) => m.to.includes(email))).to.have.length(0);
  });

  it('restriction is its own state: set at once, recorded, lifted only by the DPO', async () => {
    const email = 'restrict@example.lv';
    const subscriber = await createSubscriber(t.c, { email, lists: { [DEFAULT_LIST]: 'active' } });
    const created = await api(t, 'dpo', 'POST', '/requests', { type: 'restriction', email, channel: 'letter' });
    expect(created.body.status).to.equal('done');
    expect((await t.c.models.subscribers.findById(subscriber._id).lean())!.restricted).to.equal(true);
    // Data kept: the subscription itself is untouched.
    expect((await t.c.models.subscriptions.findOne({ subscriberId: subscriber._id }).lean())!.status).to.equal('active');

    const lifted = await api(t, 'dpo', 'DELETE', `/subscribers/${subscriber._id}/restriction`);
    expect(lifted.body).to.include({ restricted: false, changed: true });
    expect((await api(t, 'dpo', 'DELETE', `/subscribers/${subscriber._id}/restriction`)).body.changed).to.equal(false);
    const again = await api(t, 'dpo', 'POST', `/subscribers/${subscriber._id}/restriction`, { note: 'phone call' });
    expect(again.body).to.include({ restricted: true, changed: true });
    const events = await t.c.models.consentEvents.find({ subscriberId: subscriber._id }).sort({ at: 1, _id: 1 }).lean();
    expect(events.map((e) => e.type)).to.deep.equal(['restricted', 'restriction-lifted', 'restricted']);
    const audit = await t.c.models.auditEntries.find({ target: String(subscriber._id) }).sort({ at: 1, _id: 1 }).lean();
    expect(audit.map((a) => a.action)).to.deep.equal(['subscriber.restriction-lift', 'subscriber.restriction-lift', 'subscriber.restrict']);
    expect((await api(t, 'dpo', 'POST', '/subscribers/0123456789abcdef01234567/restriction', {})).status).to.equal(404);
  });

  it('rectification: the verified form changes name and language; nothing is shown before', async () => {
    const email = 'rectify@example.lv';
    const subscriber = await createSubscriber(t.c, { email, name: 'Jānis Ozolinš', lists: { [DEFAULT_LIST]: 'active' } });
    const created = await api(t, 'dpo', 'POST', '/requests', { type: 'rectification', email, channel: 'mailbox' });
    const token = verifyTokenIn((await t.waitForMails(1, (m) => m.to.includes(email)))[0]!);
    const page = await (await fetch(`${t.baseUrl}/r/${token}?lang=en`, { headers: { accept: 'text/html' } })).text();
    expect(page).to.contain('name="name"').and.contain('name="locale"').and.not.contain('Ozolinš');
    const res = await postForm(t, `/r/${token}`, { lang: 'lv', name: 'Jānis Ozoliņš', locale: 'en' });
    expect(res.html).to.contain('Jūsu dati ir laboti');
    const after = await t.c.models.subscribers.findById(subscriber._id).lean();
    expect(after).to.include({ name: 'Jānis Ozoliņš', locale: 'en' });
    const event = await t.c.models.consentEvents.findOne({ subscriberId: subscriber._id, type: 'rectified' }).lean();
    expect(event?.requestRef).to.equal(created.body.number);
    expect((await api(t, 'dpo', 'GET', `/requests/${created.body.id}`)).body.status).to.equal('done');
  });
});

describe('requests: a failed export after verification', () => {
  let t: TestContext;
  let refuse = true;
  before(async () => {
    // The sink refuses the export's recipient while `refuse` is set (the verification mail goes first).
    let seen = 0;
    t = await createTestContext({ respond: (rcpt) => (rcpt === 'retry.me@example.lv' && refuse && ++seen > 1 ? { code: 451, message: 'try later' } : undefined) });
  });
  after(async () => t.close());

  it('is recorded in the history and the DPO can retry it', async () => {
    const created = await api(t, 'dpo', 'POST', '/requests', { type: 'access', email: 'retry.me@example.lv', channel: 'admin' });
    const token = verifyTokenIn((await t.waitForMails(1, (m) => m.to.includes('retry.me@example.lv')))[0]!);
    const failed = await postForm(t, `/r/${token}`);
    expect(failed.status).to.equal(500);
    // Our failure, shown as a page in the person's language with a way to reach us, no details.
    expect(failed.html).to.contain('<!doctype html>').and.contain('impro@impro.lv').and.not.contain('Error:');
    const view = (await api(t, 'dpo', 'GET', `/requests/${created.body.id}`)).body;
    expect(view.status).to.equal('open');
    expect(view.actions.map((a: { action: string }) => a.action)).to.include('fulfilment-failed');

    refuse = false;
    const retried = await api(t, 'dpo', 'POST', `/requests/${created.body.id}/retry`);
    expect(retried.status).to.equal(200);
    expect(retried.body.status).to.equal('done');
    await t.waitForMails(1, (m) => m.parsed.attachments.length > 0);
    expect((await api(t, 'dpo', 'POST', `/requests/${created.body.id}/retry`)).status).to.equal(409);
  });
});
