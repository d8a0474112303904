// Retention sweeps driven by an injected clock: each removes exactly what has outlived its period,
// keeps what the policy says stays, and leaves an audit entry with its counts.
import { expect } from 'chai';
import { Types } from 'mongoose';
import { createTestContext, type TestContext } from '../helpers/context';
import { createSubscriber, DEFAULT_LIST } from '../helpers/factories';
import { RETENTION_SWEEPS } from '../../src/domain/retention';
import { DAY, manualClock } from '../signup/helpers';

describe('requests: retention', () => {
  const clock = manualClock();
  let t: TestContext;
  before(async () => {
    t = await createTestContext({ clock, workers: true });
  });
  after(async () => t.close());
  beforeEach(() => clock.jumpTo(new Date()));

  it('registers one job scheduler per sweep when the workers start', async () => {
    const schedulers = await t.c.queues.retention.getJobSchedulers();
    expect(schedulers.map((s) => s.name).sort()).to.deep.equal([...RETENTION_SWEEPS].sort());
    expect(schedulers.every((s) => s.pattern === '15 3 * * *' && s.tz === 'Europe/Riga')).to.equal(true);
  });

  it('removes unconfirmed sign-ups after 30 days with an `expired` event; a subscriber left with nothing goes', async () => {
    const stale = await createSubscriber(t.c, { email: 'stale@example.lv', lists: { [DEFAULT_LIST]: 'pending' } });
    const mixed = await createSubscriber(t.c, { email: 'mixed@example.lv', lists: { [DEFAULT_LIST]: 'active', 'celojumi-2027': 'pending' } });
    await t.c.models.subscriptions.updateMany({ subscriberId: { $in: [stale._id, mixed._id] } }, { $set: { requestedAt: clock.now() } });
    await t.c.ledger.record({ subscriberId: stale._id, emailHash: stale.emailHash, list: DEFAULT_LIST, type: 'requested', channel: 'web-form', ip: '192.0.2.1' });

    clock.advance(29 * DAY);
    expect(await t.c.retention.sweep('unconfirmed-signups')).to.deep.equal({ subscriptionsRemoved: 0, subscribersRemoved: 0 });

    clock.advance(2 * DAY);
    expect(await t.c.retention.sweep('unconfirmed-signups')).to.deep.equal({ subscriptionsRemoved: 2, subscribersRemoved: 1 });
    expect(await t.c.models.subscribers.countDocuments({ _id: stale._id })).to.equal(0);
    const kept = await t.c.models.subscriptions.find({ subscriberId: mixed._id }).lean();
    expect(kept.map((s) => [s.list, s.status])).to.deep.equal([[DEFAULT_LIST, 'active']]);

    const staleEvents = await t.c.models.consentEvents.find({ emailHash: stale.emailHash }).sort({ at: 1 }).lean();
    expect(staleEvents.map((e) => e.type)).to.deep.equal(['requested', 'expired']);
    expect(staleEvents.every((e) => e.subscriberId === undefined && e.ip === undefined)).to.equal(true);
    const mixedEvent = await t.c.models.consentEvents.findOne({ subscriberId: mixed._id, type: 'expired' }).lean();
    expect(mixedEvent).to.include({ list: 'celojumi-2027', channel: 'retention' });
  });

  it('drops raw inbound messages after 90 days and keeps their classification', async () => {
    const base = { mailbox: 'INBOX', kind: 'unsubscribe', classification: { kind: 'unsubscribe' }, outcome: 'applied' as const, raw: 'From: x@example.lv\r\n\r\nstop' };
    await t.c.models.inboundMessages.create({ ...base, dedupeKey: 'old', uidKey: '1:1', receivedAt: new Date(clock.now().getTime() - 91 * DAY) });
    await t.c.models.inboundMessages.create({ ...base, dedupeKey: 'new', uidKey: '1:2', receivedAt: new Date(clock.now().getTime() - 89 * DAY) });
    expect(await t.c.retention.sweep('inbound-raw')).to.deep.equal({ rawRemoved: 1 });
    const old = await t.c.models.inboundMessages.findOne({ dedupeKey: 'old' }).lean();
    expect(old?.raw).to.equal(undefined);
    expect(old?.classification).to.deep.equal({ kind: 'unsubscribe' });
    expect((await t.c.models.inboundMessages.findOne({ dedupeKey: 'new' }).lean())?.raw).to.be.a('string');
    expect(await t.c.retention.sweep('inbound-raw')).to.deep.equal({ rawRemoved: 0 });
  });

  it('pseudonymises delivery details after 24 months', async () => {
    const campaignId = new Types.ObjectId();
    const at = (days: number) => new Date(clock.now().getTime() - days * DAY);
    const details = { campaignId, status: 'sent' as const, messageId: '<x@impro.lv>', smtpResponse: '250 2.0.0 OK' };
    await t.c.models.deliveryOutcomes.create({ ...details, subscriberId: new Types.ObjectId(), at: at(731) });
    await t.c.models.deliveryOutcomes.create({ ...details, subscriberId: new Types.ObjectId(), at: at(700) });
    expect(await t.c.retention.sweep('delivery-details')).to.deep.equal({ pseudonymised: 1 });
    const [old, recent] = await t.c.models.deliveryOutcomes.find({ campaignId }).sort({ at: 1 }).lean();
    expect(old).to.include({ pseudonymised: true, status: 'sent' });
    expect(old).not.to.have.any.keys('messageId', 'smtpResponse');
    expect(recent).to.include({ messageId: '<x@impro.lv>' });
  });

  it('deletes closed requests and audit entries after 3 years, and expired claims; open requests stay', async () => {
    const closedLongAgo = (await t.c.requests.create({ type: 'restriction', email: 'gone@example.lv', channel: 'admin' })).id;
    const stillOpen = (await t.c.requests.create({ type: 'access', email: 'open@example.lv', channel: 'admin' })).id;
    await t.c.models.claims.create({ key: 'retention-test', expiresAt: new Date(clock.now().getTime() + DAY) });
    await t.c.audit.record({ sub: 'dpo@impro.lv', role: 'dpo' }, 'request.read', closedLongAgo);

    clock.advance(3 * 365 * DAY + 2 * DAY);
    expect((await t.c.retention.sweep('closed-requests')).deleted).to.equal(1);
    expect(await t.c.models.requests.countDocuments({ _id: closedLongAgo })).to.equal(0);
    expect(await t.c.models.requests.countDocuments({ _id: stillOpen })).to.equal(1);
    expect((await t.c.retention.sweep('audit-entries')).deleted).to.be.greaterThan(0);
    expect(await t.c.models.auditEntries.countDocuments({ action: 'request.read' })).to.equal(0);
    expect((await t.c.retention.sweep('expired-claims')).deleted).to.be.greaterThan(0);
    expect(await t.c.models.claims.countDocuments({ key: 'retention-test' })).to.equal(0);
  });

  it('runs a sweep as a job of the retention queue and logs its counts in the audit trail', async () => {
    await t.c.models.claims.create({ key: 'via-worker', expiresAt: new Date(clock.now().getTime() - 1000) });
    const job = await t.c.queues.retention.add('expired-claims', {});
    const deadline = Date.now() + 10_000;
    while (!(await job.isCompleted())) {
      if (Date.now() > deadline) throw new Error('retention job did not complete');
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(await t.c.models.claims.countDocuments({ key: 'via-worker' })).to.equal(0);
    const entry = await t.c.models.auditEntries.findOne({ action: 'retention.expired-claims' }).sort({ at: -1 }).lean();
    expect(entry).to.include({ actor: 'retention', role: 'system' });
    expect((entry!.details as { deleted: number }).deleted).to.be.greaterThan(0);
  });
});
