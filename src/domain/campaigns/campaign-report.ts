// A campaign's report, live while it sends and final after: what happened to each recipient
// (sent, skipped and why, failed, ambiguous), the sending rate and time left, and what came back:
// hard and soft bounces, complaints, and the withdrawals its mail led to. There is no open or click
// tracking (no pixels, no redirected links): the privacy policy names no such processing.
// Every figure is read with an equality on campaignId (pushed down to SQLite on FerretDB, an index
// on MongoDB), and nothing is counted on the campaign document (see campaign-state.ts for why).
import { Types } from 'mongoose';
import type { Models } from '../../data/models';
import { campaignQueries } from '../../data/campaign.queries';
import { finishedBatchQueries } from '../../data/finished-batch.queries';
import { campaignFeedbackQueries } from '../../data/campaign-feedback.queries';
import { NotFoundError } from '../../errors';
import { delayStats, type DelayStats } from '../consent/unsubscribe-metrics';
import { campaignStats, type CampaignStats } from './campaign-progress';
import { consentEventQueries } from '../../data/consent-event.queries';

/** Batches finished this recently make the rate: long enough to smooth batch edges, short enough to follow a change of pace. */
export const RATE_WINDOW_MS = 5 * 60_000;

export interface CampaignReport {
  id: string;
  name: string;
  list: string;
  status: string;
  startedAt: Date | null;
  finishedAt: Date | null;
  stats: CampaignStats;
  /** While sending: recipients handled per minute over the last few minutes; null when not sending. */
  ratePerMinute: number | null;
  /** While sending, at that rate; null when unknown. */
  secondsLeft: number | null;
  feedback: { hardBounces: number; softBounces: number; complaints: number };
  unsubscribes: {
    /** Withdrawal events (one per list left). */
    events: number;
    /** Persons who left at least one list. */
    people: number;
    byChannel: Record<string, number>;
    byList: Record<string, number>;
    /** From receiving the request to the committed change, where the channel measured it. */
    effectDelay: DelayStats | null;
  };
  tracking: { opens: false; clicks: false };
}

export async function campaignReport(deps: { models: Models; now: () => Date }, id: string): Promise<CampaignReport> {
  const { models } = deps;
  if (!Types.ObjectId.isValid(id)) throw new NotFoundError('campaign');
  const campaignId = new Types.ObjectId(id);
  const campaign = await campaignQueries.withoutContent(models, campaignId).lean();
  if (!campaign) throw new NotFoundError('campaign');
  const [stats, batches, feedback, withdrawals] = await Promise.all([
    campaignStats(models, campaign),
    // One small record per batch of 500.
    finishedBatchQueries.ofCampaign(models, campaignId).lean(),
    campaignFeedbackQueries.kindsOfCampaign(models, campaignId).lean(),
    // consent_events by {campaignId, type} (index campaignId_1_type_1).
    consentEventQueries.withdrawalsFromCampaign(models, campaignId).lean(),
  ]);

  const now = deps.now();
  let ratePerMinute: number | null = null;
  let secondsLeft: number | null = null;
  if (campaign.status === 'sending') {
    const since = Math.max(now.getTime() - RATE_WINDOW_MS, campaign.startedAt?.getTime() ?? now.getTime());
    const recent = batches.filter((b) => b.at.getTime() >= since).reduce((sum, b) => sum + (b.recipients ?? 0), 0);
    const minutes = (now.getTime() - since) / 60_000;
    if (recent > 0 && minutes > 0) {
      ratePerMinute = Math.round((recent / minutes) * 10) / 10;
      secondsLeft = Math.ceil((stats.remaining / ratePerMinute) * 60);
    }
  }

  const count = (kind: string) => feedback.filter((f) => f.kind === kind).length;
  const tally = (values: Array<string | null | undefined>) => {
    const out: Record<string, number> = {};
    for (const v of values) out[v ?? 'unknown'] = (out[v ?? 'unknown'] ?? 0) + 1;
    return out;
  };
  const delays = withdrawals.map((w) => w.effectDelayMs).filter((d): d is number => typeof d === 'number');
  return {
    id,
    name: campaign.name,
    list: campaign.list,
    status: campaign.status ?? 'draft',
    startedAt: campaign.startedAt ?? null,
    finishedAt: campaign.finishedAt ?? null,
    stats,
    ratePerMinute,
    secondsLeft,
    feedback: { hardBounces: count('hard-bounce'), softBounces: count('soft-bounce'), complaints: count('complaint') },
    unsubscribes: {
      events: withdrawals.length,
      people: new Set(withdrawals.map((w) => w.emailHash)).size,
      byChannel: tally(withdrawals.map((w) => w.channel)),
      byList: tally(withdrawals.map((w) => w.list)),
      effectDelay: delays.length ? delayStats(delays) : null,
    },
    tracking: { opens: false, clicks: false },
  };
}
