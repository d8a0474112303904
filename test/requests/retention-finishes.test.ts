// Retention that finishes the job: people who only have `unsubscribed` subscriptions lose their
// identifiers after RETENTION_UNSUBSCRIBED (default 365 days), inbound messages lose sender, subject
// and classification details after RETENTION_INBOUND_META (default 730 days). Consent events stay,
// anonymised; nothing becomes a suppression; opt-out records are never touched. Injected clock.
import { expect } from 'chai';
import { Types } from 'mongoose';
import { createTestContext, type TestContext } from '../helpers/context';
import { createSubscriber, DEFAULT_LIST } from '../helpers/factories';
import { DAY, manualClock } from '../signup/helpers';

describe('requests: retention of people who left and of inbound metadata', () => {
  const clock = manualClock();
  let t: TestContext;
  before(async () => {
    t = await createTestContext({ clock });
  });
  after(async () => t.close());
  beforeEach(() => clock.jumpTo(new Date()));

  async function unsubscribedPerson(email: string, opts: { restricted?: boolean; lists?: Record<string, 'active' | 'pending' | 'unsubscribed'> } = {}) {
    const person = await createSubscriber(t.c, { email, name: 'Anna Bērziņa', restricted: opts.restricted, lists: opts.lists ?? { [DEFAULT_LIST]: 'unsubscribed' } });
    await t.c.models.subscriptions.updateMany({ subscriberId: person._id, status: 'unsubscribed' }, { $set: { unsubscribedAt: clock.now() } });
    await t.c.ledger.record({ subscriberId: person._id, emailHash: person.emailHash, list: DEFAULT_LIST, type: 'confirmed', channel: 'web-form', ip: '192.0.2.7', userAgent: 'Firefox' });
    await t.c.ledger.record({ subscriberId: person._id, emailHash: person.emailHash, list: DEFAULT_LIST, type: 'withdrawn', channel: 'one-click' });
    return person;
  }

  it('removes who someone was a year after their last unsubscribe; their consent events stay, anonymised; no tombstone', async () => {
    const gone = await unsubscribedPerson('aizgaja@example.lv');
    const stillReading = await unsubscribedPerson('lasa@example.lv', { lists: { [DEFAULT_LIST]: 'unsubscribed', 'celojumi-2027': 'active' } });
    const restricted = await unsubscribedPerson('ierobezots@example.lv', { restricted: true });
    const asking = await unsubscribedPerson('jauta@example.lv');
    await t.c.requests.create({ type: 'access', email: 'jauta@example.lv', channel: 'admin' });
    await t.c.models.inboundMessages.create({
      dedupeKey: 'gone-mail', mailbox: 'INBOX', uidKey: '1:9', from: 'aizgaja@example.lv', fromHash: gone.emailHash, subject: 'Atrakstiet mani',
      kind: 'unsubscribe', classification: { kind: 'unsubscribe', from: 'aizgaja@example.lv' }, outcome: 'applied', receivedAt: clock.now(),
    });
    await t.c.audit.record({ sub: 'dpo@impro.lv', role: 'dpo' }, 'subscriber.read', 'aizgaja@example.lv');
    // A collection named for opt-out records (the keyed hash per address and list) is never touched.
    await t.c.conn.collection('opt_outs').insertOne({ _id: new Types.ObjectId(), key: 'hash-of-aizgaja-and-list', at: clock.now() });
    const suppressionsBefore = await t.c.models.suppressions.countDocuments({});

    clock.advance(364 * DAY);
    expect(await t.c.retention.sweep('unsubscribed-people')).to.include({ subscribersRemoved: 0 });
    expect(await t.c.models.subscribers.countDocuments({ _id: gone._id })).to.equal(1);

    clock.advance(2 * DAY);
    const counts = await t.c.retention.sweep('unsubscribed-people');
    expect(counts).to.include({ subscribersRemoved: 1, subscriptionsRemoved: 1, inboundMessages: 1 });
    expect(await t.c.models.subscribers.countDocuments({ _id: gone._id })).to.equal(0);
    expect(await t.c.models.subscriptions.countDocuments({ subscriberId: gone._id })).to.equal(0);
    for (const kept of [stillReading, restricted, asking]) {
      expect(await t.c.models.subscribers.countDocuments({ _id: kept._id }), kept.email).to.equal(1);
    }

    const events = await t.c.models.consentEvents.find({ emailHash: gone.emailHash }).sort({ at: 1 }).lean();
    expect(events.map((e) => e.type)).to.deep.equal(['confirmed', 'withdrawn']);
    for (const e of events) {
      expect(e).not.to.have.any.keys('subscriberId', 'ip', 'userAgent');
      expect(e).to.include({ anonymised: true });
    }
    const mail = (await t.c.models.inboundMessages.findOne({ dedupeKey: 'gone-mail' }).lean())!;
    expect(mail).not.to.have.any.keys('from', 'subject');
    expect(mail).to.include({ kind: 'unsubscribe', outcome: 'applied' });
    expect(await t.c.models.auditEntries.countDocuments({ target: 'aizgaja@example.lv' })).to.equal(0);
    expect(await t.c.models.suppressions.countDocuments({})).to.equal(suppressionsBefore);
    expect(await t.c.conn.collection('opt_outs').countDocuments({ key: 'hash-of-aizgaja-and-list' })).to.equal(1);

    // Idempotent: nothing left to do.
    expect(await t.c.retention.sweep('unsubscribed-people')).to.include({ subscribersRemoved: 0, subscriptionsRemoved: 0 });
    const entry = await t.c.models.auditEntries.findOne({ action: 'retention.unsubscribed-people' }).sort({ at: -1 }).lean();
    expect(entry).to.include({ actor: 'retention', role: 'system' });
  });

  it('strips sender, subject and classification details of inbound messages after two years; kind, outcome and dates stay', async () => {
    const base = {
      mailbox: 'INBOX', from: 'rakstitajs@example.lv', fromHash: 'h', subject: 'Kādus datus glabājat?', kind: 'access',
      classification: { kind: 'access', language: 'lv' }, authentication: { dkim: 'pass' }, outcome: 'review' as const, note: 'DSR by mail',
    };
    await t.c.models.inboundMessages.create({ ...base, dedupeKey: 'meta-old', uidKey: '2:1', receivedAt: new Date(clock.now().getTime() - 731 * DAY) });
    await t.c.models.inboundMessages.create({ ...base, dedupeKey: 'meta-new', uidKey: '2:2', receivedAt: new Date(clock.now().getTime() - 729 * DAY) });
    expect(await t.c.retention.sweep('inbound-meta')).to.deep.equal({ metadataRemoved: 1 });
    const old = (await t.c.models.inboundMessages.findOne({ dedupeKey: 'meta-old' }).lean())!;
    expect(old).not.to.have.any.keys('from', 'fromHash', 'subject', 'classification', 'authentication', 'note');
    expect(old).to.include({ kind: 'access', outcome: 'review', mailbox: 'INBOX' });
    expect(old.receivedAt).to.be.instanceOf(Date);
    const recent = (await t.c.models.inboundMessages.findOne({ dedupeKey: 'meta-new' }).lean())!;
    expect(recent).to.include({ from: 'rakstitajs@example.lv', subject: 'Kādus datus glabājat?' });
    expect(await t.c.retention.sweep('inbound-meta')).to.deep.equal({ metadataRemoved: 0 });
  });

  it('reads both periods from the configuration, 365 and 730 days by default', () => {
    expect(t.c.config.retention.unsubscribedMs).to.equal(365 * DAY);
    expect(t.c.config.retention.inboundMetaMs).to.equal(730 * DAY);
  });
});
