// Erasure that keeps the proof (invariant 7): after it, no collection and no Redis key holds the
// address; a keyed-hash tombstone blocks re-adding the person, the ledger stays anonymised, and
// only the person's own fresh double opt-in starts a new history.
import { expect } from 'chai';
import { createTestContext, type TestContext } from '../helpers/context';
import { createSubscriber, DEFAULT_LIST } from '../helpers/factories';
import { hashEmail } from '../../src/domain/email-address';
import { importSubscribers } from '../../src/domain/consent/import';
import { confirmUrlOf, signUpJson, to } from '../signup/helpers';
import { api, postForm, verifyTokenIn } from './helpers';
import { checkChain } from '../consent/ledger-independent';

const EMAIL = 'Marta.Kalnina@Example.LV';
const NORMALISED = 'Marta.Kalnina@example.lv';

async function everyDocumentMentioning(t: TestContext, needles: string[]): Promise<string[]> {
  const hits: string[] = [];
  for (const { name } of await t.c.conn.db!.listCollections().toArray()) {
    for (const doc of await t.c.conn.db!.collection(name).find({}).toArray()) {
      const text = JSON.stringify(doc);
      if (needles.some((n) => text.includes(n))) hits.push(`${name}: ${text.slice(0, 200)}`);
    }
  }
  return hits;
}

async function everyRedisValueMentioning(t: TestContext, needles: string[]): Promise<string[]> {
  const redis = t.c.redis;
  const hits: string[] = [];
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'COUNT', 500);
    cursor = next;
    for (const key of keys) {
      const type = await redis.type(key);
      const value =
        type === 'string' ? await redis.get(key)
        : type === 'hash' ? JSON.stringify(await redis.hgetall(key))
        : type === 'list' ? JSON.stringify(await redis.lrange(key, 0, -1))
        : type === 'set' ? JSON.stringify(await redis.smembers(key))
        : type === 'zset' ? JSON.stringify(await redis.zrange(key, '0', '-1'))
        : type === 'stream' ? JSON.stringify(await redis.xrange(key, '-', '+'))
        : '';
      if (needles.some((n) => `${key} ${value}`.includes(n))) hits.push(key);
    }
  } while (cursor !== '0');
  return hits;
}

describe('requests: erasure that keeps the proof', function () {
  this.timeout(60_000);
  let t: TestContext;
  before(async () => {
    t = await createTestContext({ workers: true });
  });
  after(async () => t.close());

  it('removes the address from every collection and from Redis, keeps a tombstone and an anonymised ledger', async () => {
    const needles = [NORMALISED, NORMALISED.toLowerCase()];
    const emailHash = hashEmail(NORMALISED, t.config.emailHashKey);
    const subscriber = await createSubscriber(t.c, { email: EMAIL, name: 'Marta Kalniņa', lists: { [DEFAULT_LIST]: 'active', 'celojumi-2027': 'unsubscribed' } });
    await t.c.ledger.record({ subscriberId: subscriber._id, emailHash, list: DEFAULT_LIST, type: 'confirmed', channel: 'web-form', ip: '203.0.113.9', userAgent: 'Safari', policyVersion: 1 });
    const campaign = await t.c.models.campaigns.create({ name: 'Ziema', list: DEFAULT_LIST, subject: 'Ziemas ceļojumi', mjml: '<mjml/>', author: 'marketer@impro.lv' });
    await t.c.models.deliveries.create({ campaignId: campaign._id, subscriberId: subscriber._id, claimedBy: 'run-1', at: new Date() });
    await t.c.models.deliveryOutcomes.create({ campaignId: campaign._id, subscriberId: subscriber._id, status: 'sent', at: new Date(), messageId: '<d1@impro.lv>', smtpResponse: '250 OK' });
    await t.c.models.inboundMessages.create({ dedupeKey: 'erase-1', mailbox: 'INBOX', uidKey: '1:1', from: NORMALISED.toLowerCase(), fromHash: emailHash, subject: 'Dzēsiet manus datus', kind: 'erasure', classification: { kind: 'erasure', from: NORMALISED.toLowerCase() }, raw: `From: ${NORMALISED}\r\n\r\nDzēsiet manus datus, Marta`, receivedAt: new Date() });
    await t.c.models.inboundMessages.create({ dedupeKey: 'bounce-1', mailbox: 'INBOX', uidKey: '1:2', from: 'mailer-daemon@example.lv', fromHash: 'other', kind: 'bounce', classification: { kind: 'bounce', recipient: NORMALISED.toLowerCase(), status: '5.2.2' }, raw: `Final-Recipient: rfc822; ${NORMALISED}`, receivedAt: new Date() });
    // A mail job still waiting for this person: its delay keeps the worker from taking it.
    await t.c.queues.transactional.add('signup-confirm', { subscriberId: String(subscriber._id), ref: 'x' }, { delay: 3_600_000 });
    const earlier = await api(t, 'dpo', 'POST', '/requests', { type: 'withdrawal', email: EMAIL, channel: 'mailbox', note: `from ${NORMALISED}` });
    expect(earlier.status).to.equal(201);
    expect(await everyDocumentMentioning(t, needles)).not.to.be.empty;

    const erasure = await api(t, 'dpo', 'POST', '/requests', { type: 'erasure', email: EMAIL, channel: 'mailbox' });
    expect(erasure.body.status).to.equal('awaiting-verification');
    // Nothing is erased before verification.
    expect(await t.c.models.subscribers.countDocuments({ _id: subscriber._id })).to.equal(1);
    const token = verifyTokenIn((await t.waitForMails(1, to(NORMALISED)))[0]!);
    const page = await postForm(t, `/r/${token}`, { lang: 'lv' });
    expect(page.status).to.equal(200);
    expect(page.html).to.contain('Jūsu dati ir dzēsti');

    expect(await everyDocumentMentioning(t, needles)).to.deep.equal([]);
    // Mail files are outside the system of record; the queue is not.
    expect(await everyRedisValueMentioning(t, [...needles, String(subscriber._id)])).to.deep.equal([]);
    expect(await t.c.models.subscribers.countDocuments({ emailHash })).to.equal(0);
    expect(await t.c.models.subscriptions.countDocuments({ subscriberId: subscriber._id })).to.equal(0);
    expect(await t.c.models.deliveries.countDocuments({ subscriberId: subscriber._id })).to.equal(0);
    expect(await t.c.models.deliveryOutcomes.countDocuments({ subscriberId: subscriber._id })).to.equal(0);
    const inbound = await t.c.models.inboundMessages.find({}).sort({ dedupeKey: 1 }).lean();
    expect(inbound.map((m) => [m.kind, m.raw, m.classification?.kind])).to.deep.equal([
      ['bounce', undefined, 'bounce'],
      ['erasure', undefined, 'erasure'],
    ]);

    const tombstone = await t.c.models.suppressions.findOne({ emailHash }).lean();
    expect(tombstone?.reason).to.equal('erasure');
    const events = await t.c.models.consentEvents.find({ emailHash }).sort({ at: 1, _id: 1 }).lean();
    expect(events.map((e) => e.type)).to.include.members(['confirmed', 'withdrawn', 'erased']);
    for (const e of events) {
      expect(e, e.type).not.to.have.any.keys('subscriberId', 'ip', 'userAgent');
    }
    // The chain still verifies (the module, and a second implementation from the raw documents), and
    // nothing in it identifies her: no address, IP, user agent or subscriber id, only keyed digests.
    const raw = await t.c.models.consentEvents.collection.find({ emailHash }).toArray();
    expect(JSON.stringify(raw)).not.to.match(new RegExp(['203.0.113.9', 'Safari', String(subscriber._id), 'Marta', 'example.lv'].join('|'), 'i'));
    expect((await t.c.ledgerVerifier.verifyPerson(emailHash)).broken).to.equal(undefined);
    expect(checkChain(raw, t.config.ledgerKey).firstBad).to.equal(undefined);
    const erased = events.filter((e) => e.type === 'erased');
    expect(erased).to.have.length(1);
    expect(erased[0]).to.include({ requestRef: erasure.body.number, channel: 'mailbox' });

    const requests = await t.c.models.requests.find({ emailHash }).lean();
    expect(requests).to.have.length(2);
    expect(requests.every((r) => r.email === undefined && r.subscriberId === undefined)).to.equal(true);
    const view = await api(t, 'dpo', 'GET', `/requests/${erasure.body.id}`);
    expect(view.body).to.include({ status: 'done', email: null });
    expect(view.body.actions.map((a: { action: string }) => a.action)).to.include('erased');
  });

  it('is idempotent: the same link again or a second erasure request changes nothing that matters', async () => {
    const emailHash = hashEmail(NORMALISED, t.config.emailHashKey);
    const eventsBefore = await t.c.models.consentEvents.countDocuments({ emailHash });
    const second = await api(t, 'dpo', 'POST', '/requests', { type: 'erasure', email: EMAIL, channel: 'letter' });
    const mails = await t.waitForMails(2, to(NORMALISED));
    const res = await postForm(t, `/r/${verifyTokenIn(mails[1]!)}`);
    expect(res.status).to.equal(200);
    expect(await t.c.models.suppressions.countDocuments({ emailHash })).to.equal(1);
    // One more `erased` event, for the new request; nothing else was there to anonymise.
    expect(await t.c.models.consentEvents.countDocuments({ emailHash })).to.equal(eventsBefore + 1);
    expect((await api(t, 'dpo', 'GET', `/requests/${second.body.id}`)).body.status).to.equal('done');
    expect(await everyDocumentMentioning(t, [NORMALISED, NORMALISED.toLowerCase()])).to.deep.equal([]);
  });

  it('the tombstone blocks an import of the erased address', async () => {
    const report = await importSubscribers(t.c, {
      csv: `email,name,consent_date\n${NORMALISED.toLowerCase()},Marta,2019-03-01\nnew.reader@example.lv,Jauns,2019-03-01\n`,
      list: DEFAULT_LIST,
      actor: 'admin@impro.lv',
    });
    expect(report.added).to.equal(1);
    expect(report.reasons.erased).to.equal(1);
    expect(await t.c.models.subscribers.countDocuments({ emailHash: hashEmail(NORMALISED, t.config.emailHashKey) })).to.equal(0);
  });

  it('the tombstone blocks re-activation; the person\'s own fresh double opt-in starts a new history', async () => {
    const emailHash = hashEmail(NORMALISED, t.config.emailHashKey);
    expect(await t.c.suppressions.reasonFor(emailHash)).to.equal('erasure');
    const before = await t.mails();
    const res = await signUpJson(t, { email: EMAIL, name: 'Marta' });
    expect(res.status).to.equal(202);
    const mails = await t.waitForMails(before.length + 1, () => true);
    const confirmation = mails.find((m) => !before.some((b) => b.file === m.file) && to(NORMALISED)(m));
    expect(confirmation, 'a confirmation mail for the fresh sign-up').to.exist;
    // Still suppressed until the person confirms.
    expect(await t.c.suppressions.reasonFor(emailHash)).to.equal('erasure');
    const confirmed = await fetch(confirmUrlOf(confirmation!), { method: 'POST', headers: { accept: 'text/html' } });
    expect(confirmed.status).to.equal(200);
    expect(await t.c.suppressions.isSuppressed(emailHash)).to.equal(false);
    const subscriber = await t.c.models.subscribers.findOne({ emailHash }).lean();
    const history = await t.c.ledger.history(subscriber!._id);
    // The erasure left an opt-out for every list; the person's own confirmation lifted this one.
    expect(history.map((e) => e.type)).to.deep.equal(['requested', 'confirmed', 'opt-out-lifted']);
  });
});
