// Exactly once under real concurrency: two runs of the same batch at the same moment (what a stalled
// job or a second worker amounts to) and pause/resume/cancel in the middle of a campaign.
import { expect } from 'chai';
import { Types } from 'mongoose';
import { sendBatch, type SendDeps } from '../../src/domain/campaigns/send-batch';
import { SendPacer } from '../../src/mail/send-pacer';
import { createTestContext, type TestContext } from '../helpers/context';
import { api, batchOf, copiesPerRecipient, createCampaign, seedAudience, waitForStatus } from './helpers';

describe('campaign sending: exactly once', function () {
  this.timeout(60_000);

  describe('two runs of one batch at once', () => {
    let t: TestContext;
    before(async () => {
      t = await createTestContext();
    });
    after(async () => t.close());

    it('each recipient is claimed by one run only, and mailed once', async () => {
      const audience = await seedAudience(t.c, 60, { prefix: 'race' });
      const id = await createCampaign(t);
      await t.c.models.campaigns.updateOne({ _id: id }, { $set: { status: 'sending' } });
      const deps: SendDeps = { ...t.c, now: () => new Date(), pacer: new SendPacer(0), settings: t.c.config };
      const job = { campaignId: id, recipients: batchOf(audience) };
      const outcomes = await Promise.all(
        ['run-a', 'run-b', 'run-c'].map((runId) => sendBatch(deps, job, { batchJobId: `${id}-x`, runId, finalAttempt: false })),
      );
      const sent = outcomes.map((o) => (o.state === 'done' ? o.sent : -1));
      expect(sent.reduce((a, b) => a + b, 0)).to.equal(60);
      const mails = await t.waitForMails(60, (m) => m.parsed.headers.get('x-ejaunumi-campaign') === id);
      const copies = copiesPerRecipient(mails, id);
      expect(copies.size).to.equal(60);
      expect([...copies.values()].every((n) => n === 1)).to.equal(true);
      const campaignId = new Types.ObjectId(id);
      expect(await t.c.models.deliveries.countDocuments({ campaignId })).to.equal(60);
      const recorded = await t.c.models.deliveryOutcomes.find({ campaignId }).lean();
      expect(recorded.map((d) => d.status)).to.have.length(60).and.to.satisfy((s: string[]) => s.every((x) => x === 'sent'));
    });
  });

  describe('pause, resume, cancel mid-campaign', () => {
    let t: TestContext;
    before(async () => {
      t = await createTestContext({ workers: true, env: { SEND_RATE_PER_SEC: '30' } });
    });
    after(async () => t.close());

    it('pause stops sending, resume finishes without a second copy', async () => {
      const audience = await seedAudience(t.c, 90, { prefix: 'pause' });
      const id = await createCampaign(t);
      await api(t, 'POST', `/campaigns/${id}/send`);
      await t.waitForMails(10, (m) => m.parsed.headers.get('x-ejaunumi-campaign') === id);
      expect((await api(t, 'POST', `/campaigns/${id}/pause`)).json.status).to.equal('paused');
      // What was in flight lands; then nothing more while paused.
      await new Promise((r) => setTimeout(r, 1500));
      const atPause = copiesPerRecipient(await t.mails(), id).size;
      await new Promise((r) => setTimeout(r, 2000));
      expect(copiesPerRecipient(await t.mails(), id).size).to.equal(atPause);
      expect(atPause).to.be.below(audience.length);

      expect((await api(t, 'POST', `/campaigns/${id}/resume`)).json.status).to.equal('sending');
      const done = await waitForStatus(t, id, 'sent', 30_000);
      expect(done.stats).to.include({ queued: 90, sent: 90, remaining: 0 });
      const copies = copiesPerRecipient(await t.mails(), id);
      expect(copies.size).to.equal(90);
      expect([...copies.values()].every((n) => n === 1)).to.equal(true);
    });

    it('cancel stops sending for good', async () => {
      const audience = await seedAudience(t.c, 90, { prefix: 'cancel' });
      const id = await createCampaign(t);
      await api(t, 'POST', `/campaigns/${id}/send`);
      await t.waitForMails(10, (m) => m.parsed.headers.get('x-ejaunumi-campaign') === id);
      expect((await api(t, 'POST', `/campaigns/${id}/cancel`)).json.status).to.equal('cancelled');
      await new Promise((r) => setTimeout(r, 1500));
      const atCancel = copiesPerRecipient(await t.mails(), id).size;
      await new Promise((r) => setTimeout(r, 2000));
      expect(copiesPerRecipient(await t.mails(), id).size).to.equal(atCancel);
      expect(atCancel).to.be.below(audience.length);
      expect((await api(t, 'POST', `/campaigns/${id}/send`)).status).to.equal(409);
      expect((await api(t, 'GET', `/campaigns/${id}`)).json.status).to.equal('cancelled');
    });
  });
});
