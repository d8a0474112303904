// Fan-out: turns a campaign into send batches. The audience is frozen when sending starts (an _id
// bound at that moment); active subscriptions up to it are read in _id order and each
// page becomes one send job with an idempotent id. A checkpoint after every enqueue lets a restarted
// fan-out continue where it stopped instead of starting over (the listmonk#2070 lesson).
import { Types } from 'mongoose';
import type { Container } from '../../container';
import { CampaignJobs, sendBatchJobId, type SendBatchJob } from '../../queues/campaign-jobs';
import { completeIfDone } from './campaign-progress';
import { moveCampaign, repairCampaignStates } from './campaign-state';
import { campaignQueries } from '../../data/campaign.queries';
import { subscriptionQueries } from '../../data/subscription.queries';

export type FanoutDeps = Pick<Container, 'models' | 'queues'> & { now: () => Date };

export const BATCH_SIZE = 500;
// Batches per addBulk and checkpoint: few round trips, and a restart repeats at most this many adds
// (which the job ids turn into no-ops).
const BATCHES_PER_CHECKPOINT = 20;

export interface FanoutResult {
  queued: number;
  batches: number;
  done: boolean;
}

export async function fanOutCampaign(deps: FanoutDeps, campaignId: string): Promise<FanoutResult> {
  const { models } = deps;
  let campaign = await campaignQueries.withoutContent(models, campaignId).lean();
  if (!campaign) return { queued: 0, batches: 0, done: false };
  if (campaign.status === 'scheduled') {
    // Lost to a cancel at the same moment: the status it left is the one that counts.
    const move = await moveCampaign(deps, campaign._id, ['scheduled'], { status: 'sending', startedAt: deps.now() });
    campaign = { ...campaign, status: move.moved ? 'sending' : move.status === 'missing' ? 'cancelled' : move.status };
  }
  // A paused campaign still fans out (its batches wait); a cancelled, draft or sent one does not.
  if ((campaign.status !== 'sending' && campaign.status !== 'paused') || campaign.fanoutDone) {
    return { queued: campaign.stats?.queued ?? 0, batches: campaign.batchesEnqueued ?? 0, done: !!campaign.fanoutDone };
  }

  const audienceMaxId = campaign.audienceMaxId ?? (await freezeAudience(deps, campaign._id));
  let queued = campaign.stats?.queued ?? 0;
  let batches = campaign.batchesEnqueued ?? 0;
  const range: Record<string, Types.ObjectId> = { $lte: audienceMaxId };
  if (campaign.checkpointId) range.$gt = campaign.checkpointId;

  const cursor = subscriptionQueries.activeOfList(models, campaign.list, range).lean().cursor({ batchSize: 1000 });
  let page: Array<{ _id: Types.ObjectId; subscriberId: Types.ObjectId }> = [];
  let pending: Array<typeof page> = [];
  const flush = async (): Promise<boolean> => {
    if (pending.length === 0) return true;
    await deps.queues.send.addBulk(
      pending.map((p) => ({
        name: CampaignJobs.sendBatch,
        data: { campaignId, recipients: p.map((s) => [String(s._id), String(s.subscriberId)]) } satisfies SendBatchJob,
        opts: { jobId: sendBatchJobId(campaignId, String(p[0]!._id)) },
      })),
    );
    const last = pending[pending.length - 1]!;
    queued += pending.reduce((sum, p) => sum + p.length, 0);
    batches += pending.length;
    pending = [];
    await campaignQueries.checkpoint(models, campaign._id, last[last.length - 1]!._id, batches, queued);
    // A cancel stops the fan-out at the next checkpoint (findAndModify with a projection is not in FerretDB v1).
    return (await statusAfterWrite(models, campaign._id)) !== 'cancelled';
  };
  try {
    for await (const subscription of cursor) {
      page.push(subscription);
      if (page.length < BATCH_SIZE) continue;
      pending.push(page);
      page = [];
      if (pending.length >= BATCHES_PER_CHECKPOINT && !(await flush())) return { queued, batches, done: false };
    }
    if (page.length) pending.push(page);
    if (!(await flush())) return { queued, batches, done: false };
  } finally {
    await cursor.close();
  }
  await campaignQueries.markFannedOut(models, campaign._id);
  await statusAfterWrite(models, campaign._id);
  // Every batch may have finished before fanoutDone was set; then nobody else would notice.
  await completeIfDone(deps, campaignId);
  return { queued, batches, done: true };
}

/**
 * FerretDB v1 rewrites the whole document on an update: one that read the campaign just before a
 * status change (a cancel) writes the old status back. The change's record puts it right again.
 */
async function statusAfterWrite(models: FanoutDeps['models'], campaignId: Types.ObjectId): Promise<string | undefined> {
  const now = await campaignQueries.stateOf(models, campaignId).lean();
  if (!now || (await repairCampaignStates(models, [now])) === 0) return now?.status ?? undefined;
  return (await campaignQueries.statusOf(models, campaignId).lean())?.status ?? undefined;
}

/**
 * Freezes the audience at the end of the current second: the highest _id an ObjectId made now (or
 * earlier in this second) can have. Later subscriptions are not part of this campaign; one made in the
 * same second may be, which is harmless: it is active consent. This costs no query, where reading the
 * list's highest _id cost a scan of every subscription on FerretDB (4 s of an 11 s fan-out at 100,000).
 */
async function freezeAudience(deps: FanoutDeps, campaignId: Types.ObjectId): Promise<Types.ObjectId> {
  const second = Math.floor(deps.now().getTime() / 1000);
  const bound = new Types.ObjectId(second.toString(16).padStart(8, '0') + 'f'.repeat(16));
  await campaignQueries.freezeAudience(deps.models, campaignId, bound);
  // A concurrent fan-out of the same campaign may have frozen it first; its bound stands.
  const frozen = await campaignQueries.audienceBoundOf(deps.models, campaignId).lean();
  return frozen?.audienceMaxId ?? bound;
}
