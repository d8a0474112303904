// Cancel and resume of the same paused campaign at the same moment, many times over. FerretDB runs a
// guarded update as read-then-write, so both used to succeed and the later write won: a campaign
// whose cancel had answered 200 could end up `sending`. Whatever the interleaving, a cancel that
// succeeded must leave the campaign cancelled, and a cancelled campaign never sends again.
import { expect } from 'chai';
import { Types } from 'mongoose';
import { ConflictError } from '../../src/errors';
import { repairCampaignStates } from '../../src/domain/campaigns/campaign-state';
import { sendBatch, type SendDeps } from '../../src/domain/campaigns/send-batch';
import { SendPacer } from '../../src/mail/send-pacer';
import { createTestContext, type TestContext } from '../helpers/context';
import { batchOf, copiesPerRecipient, createCampaign, seedAudience } from './helpers';

const ROUNDS = 30;
const EACH = 3;

describe('campaign status changes under concurrency', function () {
  this.timeout(120_000);
  let t: TestContext;
  before(async () => {
    t = await createTestContext();
  });
  after(async () => t.close());

  it('parallel cancels and resumes: a cancel that answered leaves the campaign cancelled, and it sends nothing', async () => {
    const audience = await seedAudience(t.c, 5, { prefix: 'guard' });
    const ids: string[] = [];
    for (let i = 0; i < ROUNDS; i++) ids.push(await createCampaign(t, { name: `guard ${i}` }));
    await t.c.models.campaigns.updateMany({ _id: { $in: ids.map((id) => new Types.ObjectId(id)) } }, { $set: { status: 'paused', fanoutDone: true } });

    for (const id of ids) {
      const calls = Array.from({ length: EACH * 2 }, (_, i) => (i % 2 ? 'cancel' : 'resume') as 'cancel' | 'resume');
      const results = await Promise.allSettled(calls.map((action) => t.c.campaigns[action](id)));
      for (const r of results) if (r.status === 'rejected') expect(r.reason).to.be.instanceOf(ConflictError);
      const succeeded = (action: string) => results.some((r, i) => calls[i] === action && r.status === 'fulfilled');
      const final = (await t.c.models.campaigns.findById(id, { status: 1 }).lean())!.status;
      if (succeeded('cancel')) expect(final, `campaign ${id}: a cancel answered, yet it is ${final}`).to.equal('cancelled');
      else expect(final).to.be.oneOf(['sending', 'sent']);
    }
    // A cancelled campaign's batch, run now, stops without claiming or mailing anyone.
    const deps: SendDeps = { ...t.c, now: () => new Date(), pacer: new SendPacer(0), settings: t.c.config };
    for (const id of ids) {
      const outcome = await sendBatch(deps, { campaignId: id, recipients: batchOf(audience) }, { batchJobId: `${id}-late`, runId: 'late', finalAttempt: false });
      const status = (await t.c.models.campaigns.findById(id, { status: 1 }).lean())!.status;
      if (status === 'cancelled') expect(outcome.state).to.equal('stopped');
    }
    const mails = await t.mails();
    for (const id of ids) {
      const status = (await t.c.models.campaigns.findById(id, { status: 1 }).lean())!.status;
      if (status === 'cancelled') expect(copiesPerRecipient(mails, id).size, `cancelled campaign ${id} mailed`).to.equal(0);
    }
  });

  it('a concurrent update of another field (FerretDB rewrites the whole document) does not undo a cancel for good', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 20; i++) {
      const id = await createCampaign(t, { name: `checkpoint race ${i}` });
      ids.push(id);
      await t.c.campaigns.send(id);
      // What the fan-out does at each checkpoint, three writers at once, for as long as the cancel runs.
      let stop = false;
      const checkpoints = async () => {
        while (!stop) await t.c.models.campaigns.updateOne({ _id: id }, { $set: { checkpointId: new Types.ObjectId() } });
      };
      const writers = [checkpoints(), checkpoints(), checkpoints()];
      await new Promise((r) => setTimeout(r, 30));
      await t.c.campaigns.cancel(id);
      stop = true;
      await Promise.all(writers);
    }
    // Writers hammering without pause can still undo a cancel after its own re-checks; the
    // watchdog's pass (every JOB_LOCK_DURATION) puts the recorded status back.
    const unfinished = await t.c.models.campaigns.find({ _id: { $in: ids.map((id) => new Types.ObjectId(id)) } }, { stateVersion: 1 }).lean();
    await repairCampaignStates(t.c.models, unfinished);
    const statuses = await t.c.models.campaigns.find({ _id: { $in: ids.map((id) => new Types.ObjectId(id)) } }, { status: 1 }).lean();
    expect(statuses.map((c) => c.status)).to.deep.equal(ids.map(() => 'cancelled'));
  });
});
