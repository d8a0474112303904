// A campaign's figures: while it sends, the sum of the tallies written with the outcomes (never every
// outcome and claim on every poll); once it is over, counted exactly once from the outcomes and claims
// and read from the campaign from then on.
import { expect } from 'chai';
import { Types } from 'mongoose';
import { campaignStats, completeIfDone } from '../../src/domain/campaigns/campaign-progress';
import { sendBatch, type SendDeps } from '../../src/domain/campaigns/send-batch';
import type { Mailer, OutgoingMail, RawMail } from '../../src/mail/mailer';
import { SendPacer } from '../../src/mail/send-pacer';
import { createTestContext, type TestContext } from '../helpers/context';
import { api, batchOf, createCampaign, seedAudience } from './helpers';

describe('campaign stats', function () {
  this.timeout(60_000);
  let t: TestContext;
  before(async () => {
    t = await createTestContext();
  });
  after(async () => t.close());

  /** Answers like an SMTP server would: 550 at RCPT for gone*, the connection lost after DATA for lost*, 451 once for busy*. */
  const tried = new Set<string>();
  const mailer: Mailer = {
    async send(mail: OutgoingMail | RawMail) {
      const to = 'raw' in mail ? mail.envelope.to : mail.to;
      if (to.startsWith('busy') && !tried.has(to)) {
        tried.add(to);
        throw Object.assign(new Error('try again later'), { responseCode: 451, command: 'RCPT TO', response: '451 try again later' });
      }
      if (to.startsWith('gone')) throw Object.assign(new Error('no such user'), { responseCode: 550, command: 'RCPT TO', response: '550 5.1.1 no such user' });
      if (to.startsWith('lost')) throw Object.assign(new Error('connection closed'), { command: 'DATA end' });
      return { messageId: `<${new Types.ObjectId()}@test>`, response: '250 OK' };
    },
    close() {},
  };
  const deps = (): SendDeps => ({ ...t.c, mailer, now: () => new Date(), pacer: new SendPacer(0), settings: t.c.config });

  /** Stats as the admin API answers them. */
  const stats = async (id: string) => (await api(t, 'GET', `/campaigns/${id}`)).json.stats;

  /** The exact figures, counted from every outcome and claim (claims without an outcome only once it is over). */
  async function exact(id: string, over: boolean) {
    const campaignId = new Types.ObjectId(id);
    const outcomes = await t.c.models.deliveryOutcomes.find({ campaignId }, { status: 1, reason: 1 }).lean();
    const claims = await t.c.models.deliveries.countDocuments({ campaignId });
    const of = (status: string) => outcomes.filter((o) => o.status === status).length;
    const skipReasons: Record<string, number> = {};
    for (const o of outcomes) if (o.status === 'skipped') skipReasons[o.reason!] = (skipReasons[o.reason!] ?? 0) + 1;
    return { sent: of('sent'), skipped: of('skipped'), failed: of('failed'), ambiguous: of('ambiguous') + (over ? claims - outcomes.length : 0), skipReasons };
  }

  it('sums the tallies while sending, counts a re-run batch once, and stores exact figures at the end', async () => {
    const sent = await seedAudience(t.c, 8, { prefix: 'fine' });
    const gone = await seedAudience(t.c, 2, { prefix: 'gone' });
    const lost = await seedAudience(t.c, 1, { prefix: 'lost' });
    const busy = await seedAudience(t.c, 1, { prefix: 'busy' });
    const restricted = await seedAudience(t.c, 2, { prefix: 'restricted' });
    await t.c.models.subscribers.updateMany({ _id: { $in: restricted.map((p) => new Types.ObjectId(p.id)) } }, { $set: { restricted: true } });
    const left = await seedAudience(t.c, 3, { prefix: 'left', status: 'unsubscribed' });
    const dead = await seedAudience(t.c, 1, { prefix: 'dead' });
    const audience = [...sent, ...gone, ...lost, ...busy, ...restricted, ...left];
    const id = await createCampaign(t);
    const campaignId = new Types.ObjectId(id);
    const queued = audience.length + dead.length;
    // Not finished by the batches below: they are three of four.
    await t.c.models.campaigns.updateOne({ _id: campaignId }, { $set: { status: 'sending', fanoutDone: true, batchesEnqueued: 4, 'stats.queued': queued } });

    const batches = [audience.slice(0, 6), audience.slice(6, 13), audience.slice(13)];
    for (const [i, people] of batches.entries()) {
      const outcome = await sendBatch(deps(), { campaignId: id, recipients: batchOf(people) }, { batchJobId: `${id}-${i}`, runId: `run-${i}`, finalAttempt: false });
      expect(outcome.state).to.equal(i === 1 ? 'retry' : 'done');
    }
    // The retry of the batch with the busy recipient: only that one is claimed, sent and counted again.
    const retried = await sendBatch(deps(), { campaignId: id, recipients: batchOf(batches[1]!) }, { batchJobId: `${id}-1`, runId: 'run-1-retry', finalAttempt: false });
    expect(retried).to.deep.include({ state: 'done', sent: 1 });
    // A worker that died between claiming and recording: in flight while the campaign sends.
    await t.c.models.deliveries.create({ campaignId, subscriberId: new Types.ObjectId(dead[0]!.id), claimedBy: 'dead-run', at: new Date() });

    const during = await stats(id);
    expect(during).to.deep.include({ queued, sent: 9, skipped: 5, failed: 2, ambiguous: 1, remaining: 1, skipReasons: { restricted: 2, 'not-active': 3 } });
    expect(during).to.deep.include(await exact(id, false));
    const tallies = await t.c.models.campaignTallies.countDocuments({ campaignId });
    expect(tallies).to.be.at.least(4);

    // A batch run again with its claims gone but its outcomes there (a stale run that won the claims):
    // every outcome is lost as a duplicate, and nothing is counted twice.
    const first = batches[0]!;
    await t.c.models.deliveries.deleteMany({ campaignId, subscriberId: { $in: first.map((p) => new Types.ObjectId(p.id)) } });
    await sendBatch(deps(), { campaignId: id, recipients: batchOf(first) }, { batchJobId: `${id}-0`, runId: 'run-0-again', finalAttempt: false });
    expect(await t.c.models.campaignTallies.countDocuments({ campaignId })).to.equal(tallies);
    expect(await stats(id)).to.deep.equal(during);

    // The last batch: the campaign ends, and its figures are counted once, the dead claim ambiguous.
    await t.c.models.finishedBatches.create({ _id: `${id}-3`, campaignId, at: new Date(), recipients: 1 });
    expect(await completeIfDone(deps(), id)).to.equal(true);
    const final = { sent: 9, skipped: 5, failed: 2, ambiguous: 2, skipReasons: { restricted: 2, 'not-active': 3 } };
    expect(await exact(id, true)).to.deep.equal(final);
    expect((await t.c.models.campaigns.findById(campaignId, { finalStats: 1 }).lean())?.finalStats).to.deep.equal(final);
    const after = await stats(id);
    expect(after).to.deep.include({ ...final, queued, remaining: 0 });

    // From now on the stored figures answer: outcomes and claims are not read again.
    await t.c.models.deliveryOutcomes.deleteMany({ campaignId });
    await t.c.models.deliveries.deleteMany({ campaignId });
    expect(await stats(id)).to.deep.equal(after);
    const report = (await api(t, 'GET', `/campaigns/${id}/report`)).json;
    expect(report.stats).to.deep.equal(after);
  });

  it('counts a campaign that ended without stored figures exactly, and stores them', async () => {
    const people = await seedAudience(t.c, 5, { prefix: 'before' });
    const id = await createCampaign(t);
    const campaignId = new Types.ObjectId(id);
    await t.c.models.campaigns.updateOne({ _id: campaignId }, { $set: { status: 'sent', fanoutDone: true, finishedAt: new Date(), 'stats.queued': 5 } });
    const subscriberId = (i: number) => new Types.ObjectId(people[i]!.id);
    const at = new Date();
    await t.c.models.deliveries.insertMany(people.map((_p, i) => ({ campaignId, subscriberId: subscriberId(i), claimedBy: 'old-run', at })));
    await t.c.models.deliveryOutcomes.insertMany([
      { campaignId, subscriberId: subscriberId(0), status: 'sent', at },
      { campaignId, subscriberId: subscriberId(1), status: 'sent', at },
      { campaignId, subscriberId: subscriberId(2), status: 'skipped', reason: 'suppressed', at },
      { campaignId, subscriberId: subscriberId(3), status: 'failed', reason: 'rejected', at },
    ]);
    expect(await t.c.models.campaignTallies.countDocuments({ campaignId })).to.equal(0);

    const figures = { sent: 2, skipped: 1, failed: 1, ambiguous: 1, skipReasons: { suppressed: 1 } };
    expect(await stats(id)).to.deep.include({ ...figures, queued: 5, remaining: 0 });
    expect((await t.c.models.campaigns.findById(campaignId, { finalStats: 1 }).lean())?.finalStats).to.deep.equal(figures);
    // Whoever counts again gets the same figures.
    const campaign = (await t.c.models.campaigns.findById(campaignId).lean())!;
    expect(await campaignStats(t.c.models, { ...campaign, finalStats: undefined })).to.deep.include(figures);
  });

  it('stores the figures when a campaign is cancelled, claims without an outcome as ambiguous', async () => {
    const people = await seedAudience(t.c, 3, { prefix: 'cancel' });
    const id = await createCampaign(t);
    const campaignId = new Types.ObjectId(id);
    await t.c.models.campaigns.updateOne({ _id: campaignId }, { $set: { status: 'sending', 'stats.queued': 3 } });
    await sendBatch(deps(), { campaignId: id, recipients: batchOf(people.slice(0, 2)) }, { batchJobId: `${id}-0`, runId: 'run-c', finalAttempt: false });
    await t.c.models.deliveries.create({ campaignId, subscriberId: new Types.ObjectId(people[2]!.id), claimedBy: 'dead-run', at: new Date() });
    expect(await stats(id)).to.deep.include({ sent: 2, ambiguous: 0, remaining: 1 });

    const cancelled = (await api(t, 'POST', `/campaigns/${id}/cancel`)).json;
    expect(cancelled.status).to.equal('cancelled');
    expect(cancelled.stats).to.deep.include({ sent: 2, ambiguous: 1, remaining: 0 });
    expect((await t.c.models.campaigns.findById(campaignId, { finalStats: 1 }).lean())?.finalStats).to.deep.equal({ sent: 2, skipped: 0, failed: 0, ambiguous: 1, skipReasons: {} });
  });
});
