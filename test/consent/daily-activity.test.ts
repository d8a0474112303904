// The dashboard's per-day counts: sign-ups, confirmations and unsubscribes by Riga day, from the
// ledger's `day` field, for the last 30 or 90 days.
import { expect } from 'chai';
import { Types } from 'mongoose';
import { lastDays } from '../../src/domain/consent/daily-activity';
import { rigaDay } from '../../src/domain/consent/consent-ledger';
import { api } from '../campaigns/helpers';
import { createTestContext, type TestContext } from '../helpers/context';

const DAY = 86_400_000;

describe('dashboard activity per day', () => {
  let t: TestContext;
  before(async () => {
    t = await createTestContext();
  });
  after(async () => t.close());

  it('names Riga days, across midnight and the changes of summer time', () => {
    expect(rigaDay(new Date('2026-06-30T21:30:00Z'))).to.equal('2026-07-01');
    expect(rigaDay(new Date('2026-12-31T21:59:00Z'))).to.equal('2026-12-31');
    expect(rigaDay(new Date('2026-12-31T22:00:00Z'))).to.equal('2027-01-01');
    expect(lastDays(new Date('2026-03-30T10:00:00Z'), 3)).to.deep.equal(['2026-03-28', '2026-03-29', '2026-03-30']);
    expect(lastDays(new Date('2026-10-26T00:30:00Z'), 3)).to.deep.equal(['2026-10-24', '2026-10-25', '2026-10-26']);
    const ninety = lastDays(new Date(), 90);
    expect(ninety).to.have.length(90);
    expect(new Set(ninety).size).to.equal(90);
  });

  it('counts each kind per day over the window the marketer picks; older events and other kinds stay out', async () => {
    const now = Date.now();
    const record = (type: 'requested' | 'confirmed' | 'withdrawn' | 'imported', daysAgo: number) =>
      t.c.ledger.record({ subscriberId: new Types.ObjectId(), emailHash: 'h'.repeat(64), list: 'e-jaunumi', type, channel: 'web-form', at: new Date(now - daysAgo * DAY) });
    await record('requested', 0);
    await record('requested', 0);
    await record('confirmed', 0);
    await record('withdrawn', 3);
    await record('imported', 3);
    await record('requested', 45);

    const thirty = await api(t, 'GET', '/dashboard/activity');
    expect(thirty.status).to.equal(200);
    expect(thirty.json.days).to.have.length(30);
    const today = thirty.json.days.at(-1);
    expect(today).to.deep.equal({ day: rigaDay(new Date(now)), signups: 2, confirmations: 1, unsubscribes: 0 });
    expect(thirty.json.days.find((d: { day: string }) => d.day === rigaDay(new Date(now - 3 * DAY)))).to.include({ signups: 0, unsubscribes: 1 });
    const sum = (days: Array<{ signups: number }>) => days.reduce((n, d) => n + d.signups, 0);
    expect(sum(thirty.json.days)).to.equal(2);

    const ninety = await api(t, 'GET', '/dashboard/activity?days=90');
    expect(ninety.json.days).to.have.length(90);
    expect(sum(ninety.json.days)).to.equal(3);
  });

  it('takes 30 or 90 days only, and is for marketers and admins', async () => {
    expect((await api(t, 'GET', '/dashboard/activity?days=7')).status).to.equal(400);
    expect((await api(t, 'GET', '/dashboard/activity?days=30&days=90')).status).to.equal(400);
    expect((await api(t, 'GET', '/dashboard/activity?from=2020-01-01')).status).to.equal(400);
    expect((await api(t, 'GET', '/dashboard/activity', undefined, 'dpo')).status).to.equal(403);
    expect((await api(t, 'GET', '/dashboard/activity?days=90', undefined, 'admin')).status).to.equal(200);
  });
});
