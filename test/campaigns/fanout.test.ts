// The fan-out freezes a campaign's audience when sending starts and turns it into send batches that
// name each recipient's subscription.
import { expect } from 'chai';
import { Types } from 'mongoose';
import { fanOutCampaign } from '../../src/domain/campaigns/fanout';
import type { SendBatchJob } from '../../src/queues/campaign-jobs';
import { createTestContext, type TestContext } from '../helpers/context';
import { createCampaign, seedAudience } from './helpers';

describe('campaign fan-out', () => {
  let t: TestContext;
  before(async () => {
    t = await createTestContext();
    await t.c.models.lists.create({ slug: 'iesaldets', name: { lv: 'Iesaldēts', en: 'Frozen' } });
  });
  after(async () => t.close());

  it('queues the subscriptions made up to the second sending started, not later ones, with their ids', async () => {
    const audience = await seedAudience(t.c, 3, { prefix: 'frozen', list: 'iesaldets' });
    const startedAt = new Date();
    const second = Math.floor(startedAt.getTime() / 1000);
    // Two sign-ups confirmed "after" sending started, by the time in their _id: one a second later, one a minute later.
    const late = await Promise.all(
      [1, 60].map(async (offset) => {
        const subscriberId = new Types.ObjectId();
        await t.c.models.subscriptions.collection.insertOne({ _id: Types.ObjectId.createFromTime(second + offset), subscriberId, list: 'iesaldets', status: 'active' });
        return String(subscriberId);
      }),
    );
    const id = await createCampaign(t, { list: 'iesaldets' });
    await t.c.models.campaigns.updateOne({ _id: id }, { $set: { status: 'sending' } });

    const result = await fanOutCampaign({ models: t.c.models, queues: t.c.queues, now: () => startedAt }, id);
    expect(result).to.deep.equal({ queued: 3, batches: 1, done: true });
    const jobs = (await t.c.queues.send.getJobs(['waiting', 'delayed', 'active', 'completed', 'failed'])).filter(
      (j) => (j.data as SendBatchJob).campaignId === id,
    );
    const recipients = jobs.flatMap((j) => (j.data as SendBatchJob).recipients);
    expect(recipients).to.have.deep.members(audience.map((p) => [p.subscriptionId, p.id]));
    expect(recipients.map(([, subscriberId]) => subscriberId)).not.to.include.members(late);

    // A second run (a restarted fan-out) keeps the frozen audience and queues nothing new.
    expect(await fanOutCampaign({ models: t.c.models, queues: t.c.queues, now: () => new Date(startedAt.getTime() + 3_600_000) }, id)).to.deep.equal(result);
  });
});
