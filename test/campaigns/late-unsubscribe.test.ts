// Invariant 1 inside a batch: consent is read once per batch, but an unsubscribe that commits while
// the batch is going out still stops every send that starts after it.
import { expect } from 'chai';
import { Types } from 'mongoose';
import { sendBatch, type SendDeps } from '../../src/domain/campaigns/send-batch';
import { createTestContext, type TestContext } from '../helpers/context';
import { batchOf, copiesPerRecipient, createCampaign, HookedPacer, seedAudience } from './helpers';

describe('campaign sending: an unsubscribe in the middle of a batch', function () {
  this.timeout(60_000);
  let t: TestContext;
  before(async () => {
    t = await createTestContext();
  });
  after(async () => t.close());

  it('mails nobody whose unsubscribe committed before their chunk started', async () => {
    const audience = await seedAudience(t.c, 40, { prefix: 'late' });
    const id = await createCampaign(t);
    await t.c.models.campaigns.updateOne({ _id: id }, { $set: { status: 'sending' } });
    const leaving = audience.slice(20);
    const pacer = new HookedPacer(async (chunk) => {
      // The batch has already read everyone as active; half of them leave before the third chunk.
      if (chunk !== 3) return;
      for (const person of leaving) {
        await t.c.unsubscribes.unsubscribe({ subscriberId: person.id, lists: 'all', channel: 'one-click' });
      }
    });
    const deps: SendDeps = { ...t.c, now: () => new Date(), pacer, settings: t.c.config };
    const outcome = await sendBatch(deps, { campaignId: id, recipients: batchOf(audience) }, { batchJobId: `${id}-late`, runId: 'late', finalAttempt: false });
    expect(outcome).to.deep.include({ state: 'done', sent: 20, skipped: 20 });

    const mails = await t.waitForMails(20, (m) => m.parsed.headers.get('x-ejaunumi-campaign') === id);
    const mailed = [...copiesPerRecipient(mails, id).keys()].sort();
    expect(mailed).to.deep.equal(audience.slice(0, 20).map((p) => p.email).sort());
    const skipped = await t.c.models.deliveryOutcomes.find({ campaignId: new Types.ObjectId(id), status: 'skipped' }).lean();
    expect(skipped.map((s) => String(s.subscriberId)).sort()).to.deep.equal(leaving.map((p) => p.id).sort());
    expect(skipped.every((s) => s.reason === 'not-active')).to.equal(true);
  });
});
