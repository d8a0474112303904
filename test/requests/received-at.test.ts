// A request's month (art. 12(3)) starts on a real day: not in the future, not before GDPR applied.
import { expect } from 'chai';
import { deadlineStart, SERVICE_START } from '../../src/domain/requests/requests';
import { createTestContext, type TestContext } from '../helpers/context';
import { api } from './helpers';

describe('requests: receivedAt', () => {
  let t: TestContext;
  before(async () => {
    t = await createTestContext();
  });
  after(async () => t.close());

  const create = (receivedAt: unknown) => api(t, 'dpo', 'POST', '/requests', { type: 'withdrawal', email: 'letter@example.lv', channel: 'letter', receivedAt });

  for (const bad of [8.64e15, -8.64e15, true, null, '9999-12-31T00:00:00Z', '1970-01-01', '2018-05-24', 'yesterday', 0, '+275760-09-13T00:00:00.000Z', {}]) {
    it(`answers 400 to receivedAt ${JSON.stringify(bad)}`, async () => {
      const res = await create(bad);
      expect(res.status, JSON.stringify(res.body)).to.equal(400);
      expect(res.body.error.message).to.contain('receivedAt');
    });
  }

  it('accepts a recent date and a date-time, and a few minutes of clock skew', async () => {
    const lastWeek = new Date(Date.now() - 7 * 86_400_000).toISOString().slice(0, 10);
    expect((await create(lastWeek)).status).to.equal(201);
    const ahead = new Date(Date.now() + 60_000).toISOString();
    const res = await create(ahead);
    expect(res.status).to.equal(201);
    expect(new Date(res.body.receivedAt).getTime()).to.be.at.most(Date.now());
  });

  it('checks the start in the domain too (the mailbox registers requests without the API)', () => {
    const now = new Date('2026-12-01T12:00:00Z');
    expect(() => deadlineStart(new Date(Number.NaN), now)).to.throw(/not a date/);
    expect(() => deadlineStart(new Date('2027-01-01'), now)).to.throw(/future/);
    expect(() => deadlineStart(new Date(SERVICE_START.getTime() - 1), now)).to.throw(/before 2018-05-25/);
    expect(deadlineStart(undefined, now)).to.equal(now);
  });
});
