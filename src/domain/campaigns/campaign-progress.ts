// How far a campaign is. Counters are derived from inserted records instead of $inc on the campaign:
// FerretDB applies updates without isolation, and retries or a second worker would make incremented
// counters drift. While it sends, from the tallies written with the outcomes; once it is over, from
// the outcomes (one per recipient, inserted once) and claims, counted once and stored.
import { Types } from 'mongoose';
import type { CampaignState } from '../../data/campaign.model';
import type { Models } from '../../data/models';
import { moveCampaign } from './campaign-state';
import { insertOnce } from '../claims';
import { campaignQueries } from '../../data/campaign.queries';
import { campaignTallyQueries } from '../../data/campaign-tally.queries';
import { deliveryOutcomeQueries } from '../../data/delivery-outcome.queries';
import { deliveryQueries } from '../../data/delivery.queries';
import { finishedBatchQueries } from '../../data/finished-batch.queries';

export interface CampaignStats {
  queued: number;
  sent: number;
  skipped: number;
  failed: number;
  /**
   * The outcome is unknown (connection lost after DATA, or a worker died mid-send: a claim without an
   * outcome once the campaign is over); never resent.
   */
  ambiguous: number;
  /** Queued and not yet finished (waiting, in flight, or waiting for a retry). */
  remaining: number;
  skipReasons: Record<string, number>;
  bounced: number;
  complained: number;
}

/** Recorded once per batch (an insert keyed by the job id), so a re-run batch cannot count twice. */
export async function markBatchDone(deps: { models: Models; now: () => Date }, campaignId: string, batchJobId: string, recipients?: number): Promise<void> {
  await insertOnce(() => deps.models.finishedBatches.create({ _id: batchJobId, campaignId, at: deps.now(), recipients }));
}

/** A sending campaign is sent when the fan-out is done and every batch it enqueued has finished. */
export async function completeIfDone(deps: { models: Models; now: () => Date }, campaignId: string): Promise<boolean> {
  const campaign = await campaignQueries.progressOf(deps.models, campaignId).lean();
  if (campaign && isOver(campaign.status)) {
    // A batch that finished after its campaign ended (its last chunk was with SMTP at a cancel):
    // its outcomes join the stored figures.
    await recordFinalStats(deps.models, campaignId);
    return false;
  }
  if (!campaign || campaign.status !== 'sending' || !campaign.fanoutDone) return false;
  const finished = await finishedBatchQueries.countOfCampaign(deps.models, campaignId);
  if (finished < campaign.batchesEnqueued) return false;
  if (!(await moveCampaign(deps, campaignId, ['sending'], { status: 'sent', finishedAt: deps.now() })).moved) return false;
  await recordFinalStats(deps.models, campaignId);
  return true;
}

type Counted = Pick<CampaignStats, 'sent' | 'skipped' | 'failed' | 'ambiguous' | 'skipReasons'>;

type CampaignFigures = {
  _id: Types.ObjectId;
  status?: string | null;
  stats?: { queued?: number | null; bounced?: number | null; complained?: number | null } | null;
  finalStats?: { sent: number; skipped: number; failed: number; ambiguous: number; skipReasons?: unknown } | null;
};

const ENDED: CampaignState[] = ['sent', 'cancelled', 'failed'];
export const isOver = (status: string | null | undefined): boolean => ENDED.includes(status as CampaignState);

/**
 * While a campaign runs, the sum of its tallies (one per insert of outcomes, campaign-tally.model.ts):
 * a few hundred small documents instead of every outcome and claim on every poll. Once it is over, the
 * figures counted when it ended (or, for one that ended without them, counted and stored now).
 */
export async function campaignStats(models: Models, campaign: CampaignFigures): Promise<CampaignStats> {
  const counted = isOver(campaign.status)
    ? campaign.finalStats
      ? { ...campaign.finalStats, skipReasons: (campaign.finalStats.skipReasons ?? {}) as Record<string, number> }
      : await recordFinalStats(models, campaign._id)
    : await sumTallies(models, campaign._id);
  const queued = campaign.stats?.queued ?? 0;
  const { sent, skipped, failed, ambiguous, skipReasons } = counted;
  return {
    queued,
    sent,
    skipped,
    failed,
    ambiguous,
    remaining: Math.max(0, queued - sent - skipped - failed - ambiguous),
    skipReasons,
    bounced: campaign.stats?.bounced ?? 0,
    complained: campaign.stats?.complained ?? 0,
  };
}

/**
 * Counts a campaign's figures exactly, once, when it has ended, and stores them on it: every place
 * that ends a campaign calls this after the move, and campaignStats() for one ended without them
 * (before tallies existed, or a crash between the move and the count). Writers agree: the count reads
 * only what was recorded. A batch still sending at the end (a cancel) counts again when it stops or
 * finishes; an outcome recorded later still (a frozen worker waking up) is not in the stored figures.
 */
export async function recordFinalStats(models: Models, campaignId: Types.ObjectId | string): Promise<Counted> {
  const id = new Types.ObjectId(String(campaignId));
  const counted = await countOutcomes(models, id);
  await campaignQueries.recordFinalStats(models, id, counted);
  return counted;
}

/** What a running campaign has recorded so far, from its tallies (see campaignStats). */
export async function sumTallies(models: Models, campaignId: Types.ObjectId): Promise<Counted> {
  const tallies = await campaignTallyQueries.ofCampaign(models, campaignId).lean();
  const counted: Counted = { sent: 0, skipped: 0, failed: 0, ambiguous: 0, skipReasons: {} };
  // While the campaign runs, a claim without an outcome is in flight, not ambiguous: no claims count.
  for (const t of tallies) {
    counted.sent += t.sent ?? 0;
    counted.failed += t.failed ?? 0;
    counted.ambiguous += t.ambiguous ?? 0;
    for (const [reason, n] of Object.entries((t.skipped ?? {}) as Record<string, number>)) {
      counted.skipped += n;
      counted.skipReasons[reason] = (counted.skipReasons[reason] ?? 0) + n;
    }
  }
  return counted;
}

/** Every outcome of the campaign by status and reason, and every claim: O(recipients), run once per campaign. */
async function countOutcomes(models: Models, campaignId: Types.ObjectId): Promise<Counted> {
  const [rows, claims] = await Promise.all([deliveryOutcomeQueries.countsOfCampaign(models, campaignId), deliveryQueries.countOfCampaign(models, campaignId)]);
  const count = (status: string) => rows.filter((r) => r._id.status === status).reduce((sum, r) => sum + r.n, 0);
  const skipReasons: Record<string, number> = {};
  for (const row of rows) if (row._id.status === 'skipped') skipReasons[row._id.reason ?? 'unknown'] = (skipReasons[row._id.reason ?? 'unknown'] ?? 0) + row.n;
  // The campaign is over: a claim without an outcome is one whose worker died between claiming and
  // recording, and it stays ambiguous.
  const unresolved = Math.max(0, claims - rows.reduce((sum, r) => sum + r.n, 0));
  return { sent: count('sent'), skipped: count('skipped'), failed: count('failed'), ambiguous: count('ambiguous') + unresolved, skipReasons };
}
