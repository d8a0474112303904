// How many people leave, through which channel, and how long a withdrawal takes to take effect.
// Gmail and Yahoo want one-click honoured within two days; here a withdrawal takes effect when its
// request's database write commits (the send worker re-reads the subscription before each send), so
// the delay measured is the one from receiving the request to that commit.
import type { Models } from '../../data/models';
import { consentEventQueries } from '../../data/consent-event.queries';

const DAY_MS = 86_400_000;

export interface WithdrawalCounts {
  total: number;
  byChannel: Record<string, number>;
}

export interface DelayStats {
  count: number;
  medianMs: number;
  maxMs: number;
}

export interface UnsubscribeMetrics {
  at: Date;
  last24h: WithdrawalCounts;
  last7d: WithdrawalCounts;
  /** Per channel, over the last 7 days, for withdrawals that recorded their receipt time. */
  effectDelay: Record<string, DelayStats>;
}

export async function measureUnsubscribes(models: Models, now: Date): Promise<UnsubscribeMetrics> {
  const dayAgo = new Date(now.getTime() - DAY_MS);
  const events = await consentEventQueries.withdrawalsBetween(models, new Date(now.getTime() - 7 * DAY_MS), now).lean();

  const delays = new Map<string, number[]>();
  for (const e of events) {
    if (typeof e.effectDelayMs !== 'number') continue;
    const list = delays.get(e.channel) ?? [];
    list.push(e.effectDelayMs);
    delays.set(e.channel, list);
  }
  return {
    at: now,
    last24h: countByChannel(events.filter((e) => e.at >= dayAgo)),
    last7d: countByChannel(events),
    effectDelay: Object.fromEntries([...delays].map(([channel, values]) => [channel, delayStats(values)])),
  };
}

function countByChannel(events: Array<{ channel: string }>): WithdrawalCounts {
  const byChannel: Record<string, number> = {};
  for (const e of events) byChannel[e.channel] = (byChannel[e.channel] ?? 0) + 1;
  return { total: events.length, byChannel };
}

export function delayStats(values: number[]): DelayStats {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  return { count: sorted.length, medianMs: median, maxMs: sorted[sorted.length - 1]! };
}
