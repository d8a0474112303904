// Lost Redis jobs must not leave a campaign `sending` forever. A real FLUSHALL mid-campaign (on a
// redis-server of this test's own, so no other test's keys go with it): the watchdog rebuilds the lost
// batches from the frozen audience minus existing claims, and the campaign completes with everyone
// mailed once. Then the watchdog's decisions one by one: rebuild, finish, fail, lost schedule.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { Types } from 'mongoose';
import { CampaignWatchdog, MAX_RECOVERIES } from '../../src/domain/campaigns/campaign-watchdog';
import { sendBatch, type SendDeps } from '../../src/domain/campaigns/send-batch';
import { startRedisServer, type EmbeddedRedis } from '../../src/infra/redis-server';
import { SendPacer } from '../../src/mail/send-pacer';
import { fanoutJobId, type SendBatchJob } from '../../src/queues/campaign-jobs';
import { createTestContext, type TestContext } from '../helpers/context';
import { api, copiesPerRecipient, createCampaign, seedAudience, waitForStatus } from './helpers';

const isCampaign = (id: string) => (m: { parsed: { headers: Map<string, unknown> } }) => m.parsed.headers.get('x-ejaunumi-campaign') === id;

describe('campaign watchdog', function () {
  this.timeout(180_000);

  describe('FLUSHALL mid-campaign', () => {
    let dir: string;
    let redis: EmbeddedRedis;
    let t: TestContext;
    before(async () => {
      dir = await mkdtemp(path.join(os.tmpdir(), 'ej-flush-'));
      redis = await startRedisServer({ dataDir: dir, logFile: path.join(dir, 'redis.log'), persist: false });
      // Three batches of up to 500: two run, the third waits in Redis when it is flushed.
      t = await createTestContext({ workers: true, env: { REDIS_URL: redis.url, JOB_LOCK_DURATION: '2s', SEND_RATE_PER_SEC: '150' } });
    });
    after(async () => {
      await t.close();
      await redis.stop();
      await rm(dir, { recursive: true, force: true });
    });

    it('the campaign completes; nobody is mailed twice, nobody is lost', async () => {
      const audience = await seedAudience(t.c, 1200, { prefix: 'flush' });
      const id = await createCampaign(t);
      await api(t, 'POST', `/campaigns/${id}/send`);
      await t.waitForMails(60, isCampaign(id), 60_000);
      expect(await t.c.redis.flushall()).to.equal('OK');

      const done = await waitForStatus(t, id, 'sent', 150_000);
      const copies = copiesPerRecipient(await t.mails(), id);
      expect([...copies.entries()].filter(([, n]) => n > 1), 'mailed twice').to.deep.equal([]);
      expect(audience.filter((p) => !copies.has(p.email)).map((p) => p.email), 'never mailed').to.deep.equal([]);
      expect(done.stats).to.include({ sent: 1200, ambiguous: 0 });
      const audit = await t.c.models.auditEntries.find({ target: id, action: /^campaign\.watchdog\./ }).lean();
      expect(audit.map((a) => a.action)).to.include('campaign.watchdog.batches-rebuilt');
    });
  });

  describe('its decisions', () => {
    let t: TestContext;
    let watchdog: CampaignWatchdog;
    before(async () => {
      t = await createTestContext();
      watchdog = new CampaignWatchdog({
        models: t.c.models,
        queues: t.c.queues,
        redis: t.c.redis,
        audit: t.c.audit,
        logger: t.c.logger,
        now: () => new Date(),
        queuePrefix: t.c.config.queuePrefix,
        idleAfterMs: 0,
      });
    });
    after(async () => t.close());

    /** A campaign `sending` after its one batch failed for good having claimed some of its recipients. */
    async function strandedCampaign(prefix: string, claimed: number, recoveries = 0) {
      const audience = await seedAudience(t.c, 30, { prefix, list: prefix });
      await t.c.models.lists.create({ slug: prefix, name: { lv: prefix, en: prefix }, public: false });
      const id = await createCampaign(t, { list: prefix });
      const campaignId = new Types.ObjectId(id);
      await t.c.models.campaigns.updateOne(
        { _id: campaignId },
        { $set: { status: 'sending', startedAt: new Date(), fanoutDone: true, audienceMaxId: new Types.ObjectId(), batchesEnqueued: 1, 'stats.queued': 30, recoveries } },
      );
      await t.c.models.deliveries.insertMany(audience.slice(0, claimed).map((p) => ({ campaignId, subscriberId: new Types.ObjectId(p.id), claimedBy: 'lost', at: new Date() })));
      return { id, audience };
    }

    it('rebuilds the batch of those without a claim, then finishes the campaign once nobody is missing', async () => {
      const { id, audience } = await strandedCampaign('stranded', 10);
      // One left before sending started (never in the audience), one after (in it: recorded as skipped).
      const [before, after] = [audience[28]!, audience[29]!];
      await t.c.models.subscriptions.updateOne({ _id: before.subscriptionId }, { $set: { status: 'unsubscribed', unsubscribedAt: new Date(Date.now() - 86_400_000) } });
      await t.c.models.subscriptions.updateOne({ _id: after.subscriptionId }, { $set: { status: 'unsubscribed', unsubscribedAt: new Date(Date.now() + 1000) } });
      const first = await watchdog.check();
      expect(first.rebuilt).to.deep.equal([{ campaignId: id, recipients: 19, batches: 1 }]);
      const [jobId] = await t.c.queues.send.getRanges(['waiting'], 0, -1);
      const job = (await t.c.queues.send.getJob(jobId!))!;
      expect((job.data as SendBatchJob).recipients.map(([, s]) => s)).to.deep.equal([...audience.slice(10, 28), after].map((p) => p.id));

      // While the rebuilt batch waits, the campaign is live: nothing more happens.
      expect((await watchdog.check()).idle).to.equal(0);
      const deps: SendDeps = { ...t.c, now: () => new Date(), pacer: new SendPacer(0), settings: t.c.config };
      expect((await sendBatch(deps, job.data as SendBatchJob, { batchJobId: job.id!, runId: 'r', finalAttempt: false })).state).to.equal('done');
      await job.remove();
      // The lost batch never finishes, so the finished-batch count alone cannot end the campaign.
      expect((await t.c.models.campaigns.findById(id).lean())!.status).to.equal('sending');

      const second = await watchdog.check();
      expect(second.finished).to.deep.equal([id]);
      expect((await t.c.models.campaigns.findById(id).lean())!.status).to.equal('sent');
      expect(copiesPerRecipient(await t.mails(), id).size).to.equal(18);
      const skip = await t.c.models.deliveryOutcomes.findOne({ campaignId: new Types.ObjectId(id), subscriberId: new Types.ObjectId(after.id) }).lean();
      expect(skip).to.include({ status: 'skipped', reason: 'not-active' });
      const actions = (await t.c.models.auditEntries.find({ target: id }).lean()).map((a) => a.action);
      expect(actions).to.include.members(['campaign.watchdog.batches-rebuilt', 'campaign.watchdog.sent']);
    });

    it(`fails the campaign visibly after ${MAX_RECOVERIES} rebuilds that did not get everyone a delivery`, async () => {
      const { id } = await strandedCampaign('hopeless', 5, MAX_RECOVERIES);
      const report = await watchdog.check();
      expect(report.failed).to.deep.equal([id]);
      const campaign = (await t.c.models.campaigns.findById(id).lean())!;
      expect(campaign.status).to.equal('failed');
      const entry = await t.c.models.auditEntries.findOne({ target: id, action: 'campaign.watchdog.failed' }).lean();
      expect(entry?.details).to.include({ unsent: 25 });
      expect((await api(t, 'GET', `/campaigns/${id}`)).json.status).to.equal('failed');
    });

    it('gives a scheduled campaign back its lost fan-out job, and restarts a sending fan-out that has none', async () => {
      const scheduled = await createCampaign(t);
      await t.c.models.campaigns.updateOne({ _id: scheduled }, { $set: { status: 'scheduled', scheduledAt: new Date(Date.now() + 3_600_000) } });
      const sending = await createCampaign(t);
      await t.c.models.campaigns.updateOne({ _id: sending }, { $set: { status: 'sending', startedAt: new Date() } });
      const report = await watchdog.check();
      expect(report.schedulesRestored).to.be.at.least(1);
      expect(report.fanoutsRestarted).to.be.at.least(1);
      expect(await (await t.c.queues.fanout.getJob(fanoutJobId(scheduled)))!.isDelayed()).to.equal(true);
      expect(await t.c.queues.fanout.getJob(fanoutJobId(sending))).to.not.equal(undefined);
    });
  });
});
