// SMTP refusals: temporary ones (4xx) are retried with backoff until delivered, permanent refusals of
// the address (5xx) are recorded as failed and suppress it, and nothing is sent twice on the way.
import { expect } from 'chai';
import { createTestContext, type TestContext } from '../helpers/context';
import { createSubscriber } from '../helpers/factories';
import { api, copiesPerRecipient, createCampaign, waitForStatus } from './helpers';

describe('campaign sending: SMTP failures', () => {
  let t: TestContext;
  const refusals = new Map<string, number>();
  before(async () => {
    t = await createTestContext({
      workers: true,
      respond: (rcpt) => {
        const seen = (refusals.get(rcpt) ?? 0) + 1;
        refusals.set(rcpt, seen);
        if (rcpt.startsWith('busy') && seen <= 2) return { code: seen === 1 ? 451 : 421, message: 'try again later' };
        if (rcpt.startsWith('gone')) return { code: 550, message: '5.1.1 no such user' };
        return undefined;
      },
    });
  });
  after(async () => t.close());

  it('retries 421/451 with backoff and delivers once; 550 is failed, suppressed and in the ledger', async function () {
    this.timeout(40_000);
    const fine = await createSubscriber(t.c, { email: 'fine@example.lv', lists: { 'e-jaunumi': 'active' } });
    const busy = await createSubscriber(t.c, { email: 'busy@example.lv', lists: { 'e-jaunumi': 'active' } });
    const gone = await createSubscriber(t.c, { email: 'gone@example.lv', lists: { 'e-jaunumi': 'active' } });
    const id = await createCampaign(t);
    await api(t, 'POST', `/campaigns/${id}/send`);
    const done = await waitForStatus(t, id, 'sent', 35_000);
    expect(done.stats).to.include({ queued: 3, sent: 2, failed: 1, skipped: 0, ambiguous: 0, remaining: 0 });

    const copies = copiesPerRecipient(await t.mails(), id);
    expect(Object.fromEntries(copies)).to.deep.equal({ [fine.email]: 1, [busy.email]: 1 });
    expect(refusals.get(busy.email)).to.equal(3);
    // The good address was not sent again when the batch was retried for the busy one.
    expect(refusals.get(fine.email)).to.equal(1);

    const failed = await t.c.models.deliveryOutcomes.findOne({ campaignId: id, subscriberId: gone._id }).lean();
    expect(failed).to.include({ status: 'failed', reason: 'rejected' });
    expect(failed?.smtpResponse).to.contain('550');
    expect(await t.c.suppressions.reasonFor(gone.emailHash)).to.equal('hard-bounce');
    const events = await t.c.models.consentEvents.find({ subscriberId: gone._id }).lean();
    expect(events.map((e) => [e.type, e.channel, String(e.campaignId)])).to.deep.equal([['suppressed', 'bounce', id]]);
  });
});
