// When campaign work runs: the fan-out now or at a scheduled time (a delayed BullMQ job with one id
// per campaign), paused batches released on resume, and a catch-up for schedules Redis lost.
import type { Models } from '../../data/models';
import { campaignQueries } from '../../data/campaign.queries';
import { ValidationError } from '../../errors';
import { CampaignJobs, fanoutJobId, type FanoutJob, type SendBatchJob } from '../../queues/campaign-jobs';
import type { Queues } from '../../queues/queues';

export const DEFAULT_TIME_ZONE = 'Europe/Riga';

const WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;
const LOCAL = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/;

/**
 * `at` with an offset ("2026-03-10T10:00:00+02:00", "…Z") is taken as is; a local time
 * ("2026-03-10T10:00") is read on the wall clock of `timeZone`, Riga by default, so "Tuesday 10:00"
 * stays 10:00 across the change to summer time.
 */
export function resolveSendAt(at: string, timeZone = DEFAULT_TIME_ZONE): Date {
  if (WITH_OFFSET.test(at)) {
    const date = new Date(at);
    if (Number.isNaN(date.getTime())) throw new ValidationError(`at: not a valid time: ${at}`);
    return date;
  }
  const m = LOCAL.exec(at);
  if (!m) throw new ValidationError('at: expected an ISO time such as 2026-03-10T10:00 or 2026-03-10T10:00:00+02:00');
  const [y, mo, d, h, mi, s] = m.slice(1).map((v) => Number(v ?? 0)) as [number, number, number, number, number, number];
  const wall = Date.UTC(y, mo - 1, d, h, mi, s);
  if (new Date(wall).getUTCDate() !== d || h > 23 || mi > 59 || s > 59) throw new ValidationError(`at: not a valid time: ${at}`);
  // The zone's offset depends on the instant; a second pass settles instants near a DST change.
  let utc = wall - zoneOffsetMs(wall, timeZone);
  utc = wall - zoneOffsetMs(utc, timeZone);
  return new Date(utc);
}

function zoneOffsetMs(instant: number, timeZone: string): number {
  let parts: Intl.DateTimeFormatPart[];
  try {
    parts = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    }).formatToParts(new Date(instant));
  } catch {
    throw new ValidationError(`timeZone: unknown time zone ${timeZone}`);
  }
  const get = (type: string) => Number(parts.find((p) => p.type === type)!.value);
  const asUtc = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
  return asUtc - Math.floor(instant / 1000) * 1000;
}

export async function enqueueFanout(queues: Queues, campaignId: string, delayMs = 0): Promise<void> {
  const data: FanoutJob = { campaignId };
  await queues.fanout.add(CampaignJobs.fanout, data, { jobId: fanoutJobId(campaignId), delay: Math.max(0, delayMs) });
}

/** Drops a fan-out that has not started (rescheduling, cancelling a scheduled campaign). */
export async function unscheduleFanout(queues: Queues, campaignId: string): Promise<void> {
  const job = await queues.fanout.getJob(fanoutJobId(campaignId));
  if (job && (await job.isDelayed())) await job.remove();
}

/** Batches that found their campaign paused wait as delayed jobs; resuming runs them now. */
export async function releasePausedBatches(queues: Queues, campaignId: string): Promise<number> {
  const delayed = await queues.send.getDelayed();
  const mine = delayed.filter((job) => (job.data as SendBatchJob).campaignId === campaignId);
  await Promise.all(mine.map((job) => job.promote().catch(() => undefined)));
  return mine.length;
}

/**
 * Run at worker start: scheduled campaigns and unfinished fan-outs get their job again, in case
 * Redis lost it. Idempotent: an existing job with the same id makes the add a no-op.
 */
export async function restoreCampaignJobs(deps: { models: Models; queues: Queues; now: () => Date }): Promise<number> {
  const pending = await campaignQueries.toRestoreAtStart(deps.models).lean();
  const now = deps.now().getTime();
  for (const campaign of pending) {
    const delay = campaign.status === 'scheduled' && campaign.scheduledAt ? campaign.scheduledAt.getTime() - now : 0;
    await enqueueFanout(deps.queues, String(campaign._id), delay);
  }
  return pending.length;
}
