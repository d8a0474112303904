// The campaign watchdog: a campaign must not stay `sending` forever because its jobs are gone. Send
// batches lost with Redis (a flush, a restart without AOF) or failed after every attempt never
// finish, so the finished-batch count never reaches what the fan-out enqueued. Every run, for each
// sending campaign with no live job (waiting, active, delayed) for longer than the job lock:
//   - a fan-out that did not finish is enqueued again (it continues from its checkpoint), and the
//     batches up to the checkpoint are rebuilt;
//   - otherwise the missing batches are rebuilt from the frozen audience (active subscriptions up to
//     audienceMaxId) minus everyone who already has a delivery claim, so nobody gets a second copy;
//   - when nobody is missing, the campaign is finished (`sent`); after MAX_RECOVERIES rebuilds that
//     did not get everyone sent, it is `failed`.
// Each of these leaves an audit entry and a log line. Scheduled campaigns whose delayed fan-out job
// is gone get it back. Jobs carry ids only, so rebuilding is safe: the send worker re-reads consent.
import type { Redis } from 'ioredis';
import { Types } from 'mongoose';
import type { Models } from '../../data/models';
import { campaignQueries } from '../../data/campaign.queries';
import { deliveryQueries } from '../../data/delivery.queries';
import type { Logger } from '../../logger';
import { CampaignJobs, fanoutJobId, type SendBatchJob } from '../../queues/campaign-jobs';
import type { Queues } from '../../queues/queues';
import type { AuditLog } from '../audit';
import { recordFinalStats } from './campaign-progress';
import { enqueueFanout } from './campaign-scheduler';
import { moveCampaign, repairCampaignStates } from './campaign-state';
import { BATCH_SIZE } from './fanout';
import { subscriptionQueries } from '../../data/subscription.queries';

export const MAX_RECOVERIES = 3;

type AudienceOf = { _id: Types.ObjectId; list: string; startedAt?: Date | null };
const LIVE_STATES = ['active', 'waiting', 'delayed', 'prioritized', 'waiting-children'] as const;
const ACTOR = { sub: 'campaign-watchdog', role: 'system' };

export interface WatchdogDeps {
  models: Models;
  queues: Queues;
  redis: Redis;
  audit: AuditLog;
  logger: Logger;
  now: () => Date;
  queuePrefix: string;
  /** JOB_LOCK_DURATION: a campaign without a live job for longer than this is stuck, not between jobs. */
  idleAfterMs: number;
}

export interface WatchdogReport {
  /** Status changes a concurrent update had undone on the campaign document, written again. */
  statesRepaired: number;
  sending: number;
  idle: number;
  schedulesRestored: number;
  fanoutsRestarted: number;
  rebuilt: Array<{ campaignId: string; recipients: number; batches: number }>;
  finished: string[];
  failed: string[];
}

/** Recovery batches get ids of their own per rebuild: an id BullMQ still holds (completed, failed) would make the add a no-op. */
export const recoveryBatchJobId = (campaignId: string, round: number, firstSubscriptionId: string) => `${campaignId}-r${round}-${firstSubscriptionId}`;

export class CampaignWatchdog {
  constructor(private readonly deps: WatchdogDeps) {}

  async check(): Promise<WatchdogReport> {
    const { models } = this.deps;
    const report: WatchdogReport = { statesRepaired: 0, sending: 0, idle: 0, schedulesRestored: 0, fanoutsRestarted: 0, rebuilt: [], finished: [], failed: [] };
    // First, whether each unfinished campaign's document shows its latest recorded status (a cancel
    // undone by a concurrent update shows as `sending` here).
    const unfinished = await campaignQueries.unfinished(models).lean();
    report.statesRepaired = await repairCampaignStates(models, unfinished);
    if (report.statesRepaired > 0) this.deps.logger.warn({ repaired: report.statesRepaired }, 'campaign watchdog: status changes undone by concurrent updates written again');
    report.schedulesRestored = await this.restoreSchedules();

    const sending = await campaignQueries.sendingWithProgress(models).lean();
    report.sending = sending.length;
    if (sending.length === 0) return report;
    const live = await this.campaignsWithLiveJobs();
    for (const campaign of sending) {
      const id = String(campaign._id);
      if (live.has(id)) {
        await this.deps.redis.del(this.idleKey(id));
        continue;
      }
      if (!(await this.idleLongEnough(id))) continue;
      report.idle++;
      // The next action on this campaign waits for another full idle period.
      await this.deps.redis.del(this.idleKey(id));
      if (!campaign.fanoutDone) {
        await this.restartFanout(campaign);
        report.fanoutsRestarted++;
        continue;
      }
      const missing = await this.missingRecipients(campaign, campaign.audienceMaxId!);
      if (missing.length === 0) {
        if (await this.finish(id, 'sent', { reason: 'no live batch and every recipient of the frozen audience has a delivery record' })) report.finished.push(id);
      } else if ((campaign.recoveries ?? 0) >= MAX_RECOVERIES) {
        const failed = await this.finish(id, 'failed', { reason: `recipients still without a delivery after ${MAX_RECOVERIES} rebuilds`, unsent: missing.length });
        if (failed) report.failed.push(id);
      } else {
        report.rebuilt.push(await this.rebuild(campaign, missing));
      }
    }
    return report;
  }

  /**
   * Scheduled campaigns whose delayed fan-out job Redis lost (or whose job ended without starting
   * them). Also only after an idle period: a reschedule removes the job a moment before adding it.
   */
  private async restoreSchedules(): Promise<number> {
    const scheduled = await campaignQueries.scheduled(this.deps.models).lean();
    let restored = 0;
    for (const campaign of scheduled) {
      const id = String(campaign._id);
      const job = await this.deps.queues.fanout.getJob(fanoutJobId(id));
      const state = job ? await job.getState() : 'missing';
      if (['delayed', 'waiting', 'active', 'prioritized'].includes(state)) {
        await this.deps.redis.del(this.idleKey(id));
        continue;
      }
      if (!(await this.idleLongEnough(id))) continue;
      await this.deps.redis.del(this.idleKey(id));
      if (job) await job.remove().catch(() => undefined);
      await enqueueFanout(this.deps.queues, id, (campaign.scheduledAt?.getTime() ?? 0) - this.deps.now().getTime());
      restored++;
      this.deps.logger.warn({ campaignId: id }, 'campaign watchdog: scheduled fan-out job was missing; enqueued again');
      await this.deps.audit.record(ACTOR, 'campaign.watchdog.schedule-restored', id);
    }
    return restored;
  }

  /** Campaign ids with a job in a live state; job ids start with the campaign id (see campaign-jobs.ts). */
  private async campaignsWithLiveJobs(): Promise<Set<string>> {
    const [batches, fanouts] = await Promise.all([
      this.deps.queues.send.getRanges([...LIVE_STATES], 0, -1),
      this.deps.queues.fanout.getRanges([...LIVE_STATES], 0, -1),
    ]);
    const ids = new Set<string>();
    for (const jobId of batches) ids.add(jobId.slice(0, 24));
    for (const jobId of fanouts) if (jobId.startsWith('fanout-')) ids.add(jobId.slice('fanout-'.length));
    return ids;
  }

  private idleKey(campaignId: string): string {
    return `${this.deps.queuePrefix}:campaign-watchdog:idle:${campaignId}`;
  }

  /** The first run that finds a campaign idle notes the time (SET NX); a later one acts once that is old enough. */
  private async idleLongEnough(campaignId: string): Promise<boolean> {
    const now = this.deps.now().getTime();
    const key = this.idleKey(campaignId);
    await this.deps.redis.set(key, String(now), 'PX', Math.max(60_000, this.deps.idleAfterMs * 10), 'NX');
    const since = Number(await this.deps.redis.get(key));
    return now - since >= this.deps.idleAfterMs;
  }

  private async restartFanout(campaign: AudienceOf & { checkpointId?: Types.ObjectId | null; batchesEnqueued?: number; recoveries?: number }): Promise<void> {
    const id = String(campaign._id);
    // Batches enqueued before the checkpoint may have been lost with the fan-out job.
    const rebuilt = campaign.checkpointId ? await this.rebuild(campaign, await this.missingRecipients(campaign, campaign.checkpointId)) : undefined;
    // A finished or failed fan-out job still in Redis would turn the add into a no-op.
    const stale = await this.deps.queues.fanout.getJob(fanoutJobId(id));
    if (stale) await stale.remove().catch(() => undefined);
    await enqueueFanout(this.deps.queues, id);
    this.deps.logger.warn({ campaignId: id, rebuilt }, 'campaign watchdog: fan-out had no live job; enqueued again');
    await this.deps.audit.record(ACTOR, 'campaign.watchdog.fanout-restarted', id, rebuilt ? { ...rebuilt } : undefined);
  }

  /**
   * The frozen audience (subscriptions up to `bound`) without a delivery claim for this campaign:
   * those active now, and those who unsubscribed after sending started (they were in the audience;
   * the send worker records them as skipped, so the campaign's figures account for everyone).
   */
  private async missingRecipients(campaign: AudienceOf, bound: Types.ObjectId): Promise<Array<[string, string]>> {
    const { models } = this.deps;
    const claims = await deliveryQueries.recipientsOfCampaign(models, campaign._id).lean();
    const claimed = new Set(claims.map((d) => String(d.subscriberId)));
    const audience = await subscriptionQueries.audienceUpTo(models, campaign.list, bound, campaign.startedAt ?? undefined).lean();
    return audience.filter((s) => !claimed.has(String(s.subscriberId))).map((s) => [String(s._id), String(s.subscriberId)]);
  }

  private async rebuild(
    campaign: { _id: Types.ObjectId; batchesEnqueued?: number; recoveries?: number },
    missing: Array<[string, string]>,
  ): Promise<{ campaignId: string; recipients: number; batches: number }> {
    const id = String(campaign._id);
    const round = (campaign.recoveries ?? 0) + 1;
    const pages: Array<Array<[string, string]>> = [];
    for (let i = 0; i < missing.length; i += BATCH_SIZE) pages.push(missing.slice(i, i + BATCH_SIZE));
    // Counted before they are added: the finished-batch count then never reaches the target while a
    // rebuilt batch is still to run (the lost ones never finish; this watchdog finishes the campaign).
    await campaignQueries.recordRecovery(this.deps.models, campaign._id, round, (campaign.batchesEnqueued ?? 0) + pages.length);
    // That update rewrote the whole document (FerretDB): put back a status change it may have undone.
    const after = await campaignQueries.versionOf(this.deps.models, campaign._id).lean();
    if (after) await repairCampaignStates(this.deps.models, [after]);
    if (pages.length) {
      await this.deps.queues.send.addBulk(
        pages.map((page) => ({
          name: CampaignJobs.sendBatch,
          data: { campaignId: id, recipients: page } satisfies SendBatchJob,
          opts: { jobId: recoveryBatchJobId(id, round, page[0]![0]) },
        })),
      );
    }
    const result = { campaignId: id, recipients: missing.length, batches: pages.length };
    this.deps.logger.warn({ ...result, round }, 'campaign watchdog: no live batch; rebuilt the missing batches');
    await this.deps.audit.record(ACTOR, 'campaign.watchdog.batches-rebuilt', id, { round, recipients: missing.length, batches: pages.length });
    return result;
  }

  private async finish(campaignId: string, status: 'sent' | 'failed', details: Record<string, unknown>): Promise<boolean> {
    const move = await moveCampaign(this.deps, new Types.ObjectId(campaignId), ['sending'], { status, finishedAt: this.deps.now() });
    if (!move.moved) return false;
    await recordFinalStats(this.deps.models, campaignId);
    const log = { campaignId, status, ...details };
    if (status === 'failed') this.deps.logger.error(log, 'campaign watchdog: campaign failed');
    else this.deps.logger.warn(log, 'campaign watchdog: campaign finished');
    await this.deps.audit.record(ACTOR, `campaign.watchdog.${status}`, campaignId, details);
    return true;
  }
}
