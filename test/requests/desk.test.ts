// What the requests desk asks of the API: open, overdue and closed lists, and one extension from
// each state even when two arrive at once (two mails with two deadlines would confuse the person).
import { expect } from 'chai';
import { createTestContext, type TestContext } from '../helpers/context';
import { api } from './helpers';

const DAY = 86_400_000;

describe('requests desk: lists and extensions', () => {
  let t: TestContext;
  before(async () => {
    t = await createTestContext();
  });
  after(async () => t.close());

  const register = (email: string, daysAgo = 0) =>
    api(t, 'dpo', 'POST', '/requests', { type: 'access', email, channel: 'letter', receivedAt: new Date(Date.now() - daysAgo * DAY).toISOString() });

  it('lists open, overdue and closed requests apart; closed is the done list under the console\'s name', async () => {
    const late = await register('desk.late@example.lv', 40);
    const fresh = await register('desk.fresh@example.lv');
    const closed = await register('desk.closed@example.lv');
    await api(t, 'dpo', 'POST', `/requests/${closed.body.id}/reject`, { reason: 'duplicate of an earlier request' });

    const numbers = async (status: string) => ((await api(t, 'dpo', 'GET', `/requests?status=${status}`)).body.items as Array<{ number: string }>).map((r) => r.number);
    expect(await numbers('open')).to.include.members([late.body.number, fresh.body.number]).and.not.include(closed.body.number);
    expect(await numbers('overdue')).to.deep.equal([late.body.number]);
    expect(await numbers('closed')).to.deep.equal([closed.body.number]);
    expect(await numbers('done')).to.deep.equal(await numbers('closed'));
    expect((await api(t, 'marketer', 'GET', '/requests?status=closed')).status).to.equal(403);
    expect((await api(t, 'dpo', 'GET', '/requests?status=everything')).status).to.equal(400);
  });

  it('applies one of two simultaneous extensions (1 and 2 months), and mails one deadline', async () => {
    const email = 'desk.extend@example.lv';
    const request = await register(email, 3);
    const [a, b] = await Promise.all([
      api(t, 'dpo', 'POST', `/requests/${request.body.id}/extend`, { reason: 'archive on paper', months: 1 }),
      api(t, 'dpo', 'POST', `/requests/${request.body.id}/extend`, { reason: 'archive on paper', months: 2 }),
    ]);
    expect([a.status, b.status].sort()).to.deep.equal([200, 409]);
    const stored = (await api(t, 'dpo', 'GET', `/requests/${request.body.id}`)).body;
    expect(stored.actions.filter((x: { action: string }) => x.action === 'extended')).to.have.length(1);
    const won = a.status === 200 ? 1 : 2;
    expect(stored.extendedMonths).to.equal(won);
    const mails = await t.waitForMails(1, (m) => m.to.includes(email) && /termiņš pagarināts/.test(m.parsed.subject ?? ''));
    expect(mails).to.have.length(1);
    // A second extension later, within the two months, still works once.
    if (won === 1) expect((await api(t, 'dpo', 'POST', `/requests/${request.body.id}/extend`, { reason: 'still searching', months: 1 })).status).to.equal(200);
    expect((await api(t, 'dpo', 'POST', `/requests/${request.body.id}/extend`, { reason: 'more', months: 1 })).status).to.equal(409);
    expect((await api(t, 'dpo', 'POST', `/requests/${request.body.id}/extend`, { reason: '   ' })).status).to.equal(400);
  });
});
