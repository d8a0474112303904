// UnsubscribeService, the one way every channel withdraws consent, and the metrics over it.
import { expect } from 'chai';
import { Types } from 'mongoose';
import type { UnsubscribeMetrics } from '../../src/domain/consent/unsubscribe-metrics';
import { createTestContext, type TestContext } from '../helpers/context';
import { DEFAULT_LIST, SECOND_LIST, createSecondList, statesOf, subscriberWithLink, withdrawals } from './helpers';

describe('unsubscribe: UnsubscribeService', () => {
  let t: TestContext;
  before(async () => {
    t = await createTestContext();
    await createSecondList(t.c);
  });
  after(async () => t.close());

  it('ends pending and active subscriptions, one withdrawn event per list changed, with the caller\'s details', async () => {
    const { subscriberId } = await subscriberWithLink(t.c);
    const messageId = '<reply-1@example.lv>';
    const result = await t.c.unsubscribes.unsubscribe({ subscriberId, lists: 'all', channel: 'mailbox', messageId, actor: 'imap-poller' });
    expect(result.changed).to.deep.equal([SECOND_LIST, DEFAULT_LIST].sort());
    expect(await statesOf(t.c, subscriberId)).to.deep.equal({ [DEFAULT_LIST]: 'unsubscribed', [SECOND_LIST]: 'unsubscribed' });
    const events = await withdrawals(t.c, subscriberId);
    expect(events.map((e) => [e.list, e.channel, e.messageId, e.actor])).to.deep.equal(
      [SECOND_LIST, DEFAULT_LIST].sort().map((list) => [list, 'mailbox', messageId, 'imap-poller']),
    );
    expect(events.every((e) => e.effectDelayMs === undefined)).to.equal(true);
  });

  it('is idempotent and touches only the lists named', async () => {
    const { subscriberId } = await subscriberWithLink(t.c);
    const first = await t.c.unsubscribes.unsubscribe({ subscriberId, lists: [SECOND_LIST, 'no-such-list'], channel: 'admin', actor: 'dpo@impro.lv' });
    const second = await t.c.unsubscribes.unsubscribe({ subscriberId, lists: [SECOND_LIST], channel: 'admin', actor: 'dpo@impro.lv' });
    expect(first.changed).to.deep.equal([SECOND_LIST]);
    expect(second.changed).to.deep.equal([]);
    expect(await statesOf(t.c, subscriberId)).to.deep.equal({ [DEFAULT_LIST]: 'active', [SECOND_LIST]: 'unsubscribed' });
    expect(await withdrawals(t.c, subscriberId)).to.have.length(1);
  });

  it('does nothing for an unknown subscriber, a malformed id, or an empty list of lists', async () => {
    const { subscriberId } = await subscriberWithLink(t.c);
    for (const id of [String(new Types.ObjectId()), 'not-an-id', new Types.ObjectId()]) {
      expect(await t.c.unsubscribes.unsubscribe({ subscriberId: id, lists: 'all', channel: 'bounce' })).to.deep.equal({ changed: [] });
    }
    expect(await t.c.unsubscribes.unsubscribe({ subscriberId, lists: [], channel: 'complaint' })).to.deep.equal({ changed: [] });
    expect(await withdrawals(t.c, subscriberId)).to.have.length(0);
  });

  it('ends the subscription a newsletter link names, found by _id; a name that is not theirs falls back to a search', async () => {
    const { subscriberId } = await subscriberWithLink(t.c);
    const other = await subscriberWithLink(t.c);
    const own = await t.c.models.subscriptions.findOne({ subscriberId, list: DEFAULT_LIST }).lean();
    const others = await t.c.models.subscriptions.findOne({ subscriberId: other.subscriberId, list: DEFAULT_LIST }).lean();
    const ownSecond = await t.c.models.subscriptions.findOne({ subscriberId, list: SECOND_LIST }).lean();

    // Another person's subscription, or one on another list: the person's own on the list asked is ended.
    for (const named of [others!._id, ownSecond!._id]) {
      const person = await subscriberWithLink(t.c);
      const result = await t.c.unsubscribes.unsubscribe({ subscriberId: person.subscriberId, lists: [DEFAULT_LIST], subscriptionId: String(named), channel: 'one-click' });
      expect(result.changed).to.deep.equal([DEFAULT_LIST]);
    }
    expect(await statesOf(t.c, other.subscriberId)).to.deep.equal({ [DEFAULT_LIST]: 'active', [SECOND_LIST]: 'pending' });

    const first = await t.c.unsubscribes.unsubscribe({ subscriberId, lists: [DEFAULT_LIST], subscriptionId: String(own!._id), channel: 'one-click' });
    const again = await t.c.unsubscribes.unsubscribe({ subscriberId, lists: [DEFAULT_LIST], subscriptionId: String(own!._id), channel: 'one-click' });
    expect([first.changed, again.changed]).to.deep.equal([[DEFAULT_LIST], []]);
    expect(await statesOf(t.c, subscriberId)).to.deep.equal({ [DEFAULT_LIST]: 'unsubscribed', [SECOND_LIST]: 'pending' });
    expect(await withdrawals(t.c, subscriberId)).to.have.length(1);
  });

  it('records one event when many channels withdraw the same subscription at once', async () => {
    const { subscriberId } = await subscriberWithLink(t.c);
    const channels = ['one-click', 'mailbox', 'complaint', 'bounce', 'admin', 'unsubscribe-page'] as const;
    const results = await Promise.all(
      Array.from({ length: 18 }, (_, i) => t.c.unsubscribes.unsubscribe({ subscriberId, lists: [DEFAULT_LIST], channel: channels[i % channels.length]! })),
    );
    expect(results.flatMap((r) => r.changed)).to.deep.equal([DEFAULT_LIST]);
    expect(await withdrawals(t.c, subscriberId)).to.have.length(1);
  });

  it('keeps the delay from receipt to commit and stamps unsubscribedAt', async () => {
    const { subscriberId } = await subscriberWithLink(t.c);
    const receivedAt = new Date(Date.now() - 1500);
    await t.c.unsubscribes.unsubscribe({ subscriberId, lists: [DEFAULT_LIST], channel: 'mailbox', receivedAt });
    const [event] = await withdrawals(t.c, subscriberId);
    expect(event!.effectDelayMs).to.be.at.least(1500);
    const sub = await t.c.models.subscriptions.findOne({ subscriberId, list: DEFAULT_LIST }).lean();
    expect(sub!.unsubscribedAt!.getTime()).to.be.at.least(receivedAt.getTime());
  });
});

describe('unsubscribe: GET /api/v1/admin/metrics/unsubscribe', () => {
  const NOW = new Date('2026-03-02T12:00:00Z');
  let t: TestContext;
  before(async () => {
    t = await createTestContext({ clock: { now: () => NOW } });
  });
  after(async () => t.close());

  const metrics = (role: 'admin' | 'dpo' | 'marketer') =>
    fetch(`${t.baseUrl}/api/v1/admin/metrics/unsubscribe`, { headers: { authorization: `Bearer ${t.token(role)}` } });

  it('counts withdrawals of the last 24 hours and 7 days by channel, and the delay to effect', async () => {
    const at = (hoursAgo: number) => new Date(NOW.getTime() - hoursAgo * 3_600_000);
    const event = (channel: string, hoursAgo: number, effectDelayMs?: number) => ({
      emailHash: 'h'.repeat(64), type: 'withdrawn', list: DEFAULT_LIST, channel, at: at(hoursAgo), effectDelayMs,
    });
    await t.c.models.consentEvents.insertMany([
      event('one-click', 1, 4),
      event('one-click', 2, 10),
      event('one-click', 30, 6),
      event('one-click', 40, 30),
      event('mailbox', 3, 90_000),
      event('admin', 100),
      event('one-click', 24 * 8, 5_000), // older than the window
      { ...event('web-form', 1), type: 'confirmed' }, // not a withdrawal
    ]);
    const res = await metrics('dpo');
    expect(res.status).to.equal(200);
    const body = (await res.json()) as UnsubscribeMetrics;
    expect(body.last24h).to.deep.equal({ total: 3, byChannel: { 'one-click': 2, mailbox: 1 } });
    expect(body.last7d).to.deep.equal({ total: 6, byChannel: { 'one-click': 4, mailbox: 1, admin: 1 } });
    expect(body.effectDelay).to.deep.equal({
      'one-click': { count: 4, medianMs: 8, maxMs: 30 },
      mailbox: { count: 1, medianMs: 90_000, maxMs: 90_000 },
    });
  });

  it('includes the one-click POSTs the app itself served', async () => {
    const { subscriberId, token } = await subscriberWithLink(t.c);
    await fetch(`${t.baseUrl}/u/${token}`, { method: 'POST', body: new URLSearchParams({ 'List-Unsubscribe': 'One-Click' }) });
    const [event] = await withdrawals(t.c, subscriberId);
    // The test clock stands still, so the measured delay is 0; production measures real time.
    expect(event!.effectDelayMs).to.equal(0);
    const body = (await (await metrics('admin')).json()) as UnsubscribeMetrics;
    expect(body.effectDelay['one-click']!.count).to.equal(5);
  });

  it('is for the DPO and admins only', async () => {
    expect((await metrics('marketer')).status).to.equal(403);
    expect((await fetch(`${t.baseUrl}/api/v1/admin/metrics/unsubscribe`)).status).to.equal(401);
  });
});
