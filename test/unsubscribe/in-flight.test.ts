// The meeting point of the send worker and a withdrawal in Redis (src/domain/consent/recent-withdrawals.ts):
// no mail may arrive after an unsubscribe was answered.
import { expect } from 'chai';
import { Types } from 'mongoose';
import { createTestContext, type TestContext } from '../helpers/context';

describe('unsubscribe: sends in flight', () => {
  let t: TestContext;
  before(async () => {
    t = await createTestContext();
  });
  after(async () => t.close());

  const person = () => String(new Types.ObjectId());

  it('a withdrawal waits while a mail to that person on that list is with SMTP, and only that', async () => {
    const [sending, other] = [person(), person()];
    expect(await t.c.withdrawals.beginSending([sending, other], 'e-jaunumi')).to.have.property('size', 0);
    // Another list, or nobody in flight: no wait.
    expect(await t.c.withdrawals.settle(sending, 'citi')).to.equal(false);

    let settled = false;
    const settling = t.c.withdrawals.settle(sending, 'e-jaunumi').then((waited) => ((settled = true), waited));
    await new Promise((r) => setTimeout(r, 150));
    expect(settled, 'settled while the mail was still in flight').to.equal(false);
    await t.c.withdrawals.endSending([sending, other], 'e-jaunumi');
    expect(await settling).to.equal(true);
  });

  it('a send that begins after the flag went up skips the person', async () => {
    const [leaving, staying] = [person(), person()];
    await t.c.withdrawals.mark(leaving, 'e-jaunumi');
    const withdrawn = await t.c.withdrawals.beginSending([leaving, staying], 'e-jaunumi');
    await t.c.withdrawals.endSending([leaving, staying], 'e-jaunumi');
    expect([...withdrawn.keys()]).to.deep.equal([leaving]);
  });

  it('two sends to one person at once: the withdrawal waits for both; no mark is left behind', async () => {
    const id = person();
    await t.c.withdrawals.beginSending([id], 'e-jaunumi');
    await t.c.withdrawals.beginSending([id], 'e-jaunumi');
    await t.c.withdrawals.endSending([id], 'e-jaunumi');
    let settled = false;
    const settling = t.c.withdrawals.settle(id, 'e-jaunumi').then(() => (settled = true));
    await new Promise((r) => setTimeout(r, 100));
    expect(settled).to.equal(false);
    await t.c.withdrawals.endSending([id], 'e-jaunumi');
    await settling;
    expect(await t.c.redis.keys(`*sending:${id}:*`)).to.deep.equal([]);
  });
});
