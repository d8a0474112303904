// How far a campaign is. Counters are derived from the delivery outcomes (one per recipient, inserted
// once) and claims instead of $inc on the campaign: FerretDB applies updates without isolation, and
// retries or a second worker would make incremented counters drift.
import { Types } from 'mongoose';
import type { Models } from '../../data/models';
import { moveCampaign } from './campaign-state';
import { insertOnce } from '../claims';

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
  const campaign = await deps.models.campaigns.findById(campaignId, { status: 1, fanoutDone: 1, batchesEnqueued: 1 }).lean();
  if (!campaign || campaign.status !== 'sending' || !campaign.fanoutDone) return false;
  const finished = await deps.models.finishedBatches.countDocuments({ campaignId });
  if (finished < campaign.batchesEnqueued) return false;
  return (await moveCampaign(deps, campaignId, ['sending'], { status: 'sent', finishedAt: deps.now() })).moved;
}

export async function campaignStats(
  models: Models,
  campaign: { _id: Types.ObjectId; status?: string | null; stats?: { queued?: number | null; bounced?: number | null; complained?: number | null } | null },
): Promise<CampaignStats> {
  const [rows, claims]: [Array<{ _id: { status: string; reason?: string }; n: number }>, number] = await Promise.all([
    models.deliveryOutcomes.aggregate([
      { $match: { campaignId: campaign._id } },
      { $group: { _id: { status: '$status', reason: '$reason' }, n: { $sum: 1 } } },
    ]),
    models.deliveries.countDocuments({ campaignId: campaign._id }),
  ]);
  const count = (status: string) => rows.filter((r) => r._id.status === status).reduce((sum, r) => sum + r.n, 0);
  const skipReasons: Record<string, number> = {};
  for (const row of rows) if (row._id.status === 'skipped') skipReasons[row._id.reason ?? 'unknown'] = row.n;
  const queued = campaign.stats?.queued ?? 0;
  const [sent, skipped, failed] = [count('sent'), count('skipped'), count('failed')];
  // Claims without an outcome: in flight while the campaign runs; once it is over, their worker died
  // between claiming and recording, and they stay ambiguous (a late outcome from a frozen run still counts).
  const unresolved = Math.max(0, claims - rows.reduce((sum, r) => sum + r.n, 0));
  const over = campaign.status === 'sent' || campaign.status === 'cancelled' || campaign.status === 'failed';
  const ambiguous = count('ambiguous') + (over ? unresolved : 0);
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
