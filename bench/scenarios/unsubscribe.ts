// One-click unsubscribe: RFC 8058 POSTs at 64 connections, each to a different active subscriber's
// signed link, so every request does the whole commit (token check, subscription, claim, consent
// event). Each run gets fresh subscribers; should a run outpace its supply, links are reused (the
// cheaper "already unsubscribed" path) and the run says how many.
import { createBenchList } from '../campaign';
import { log, type BenchContext } from '../context';
import { httpLoad, type LoadResult } from '../load';
import { seedActiveSubscribers, unsubscribeTokens } from '../seed';
import { median, repeat } from '../stats';

const CONNECTIONS = 64;
const LIST = 'bench-unsubscribe';

export interface UnsubscribeRun extends LoadResult {
  reusedLinks: number;
}

export interface UnsubscribeFigures {
  rps: number;
  p99Ms: number;
  connections: number;
  durationSec: number;
  withdrawals: number;
  runs: UnsubscribeRun[];
}

export async function benchUnsubscribe(ctx: BenchContext): Promise<UnsubscribeFigures> {
  const { quick, runs } = ctx.settings;
  const { c } = ctx.stage;
  const durationSec = quick ? 5 : 20;
  // Enough links for about 2,000 requests/s; more would only lengthen the seeding.
  const perRun = quick ? 4_000 : 40_000;
  await createBenchList(c, LIST);

  const load = async (tag: string, count: number, seconds: number): Promise<UnsubscribeRun> => {
    const tokens = unsubscribeTokens(c, await seedActiveSubscribers(c, { count, prefix: `${tag}-`, list: LIST }), LIST);
    let next = 0;
    const result = await httpLoad({
      baseUrl: ctx.api.baseUrl,
      connections: CONNECTIONS,
      durationSec: seconds,
      method: 'POST',
      contentType: 'application/x-www-form-urlencoded',
      next: () => ({ path: `/u/${tokens[next++ % tokens.length]}`, body: 'List-Unsubscribe=One-Click' }),
    });
    return { ...result, reusedLinks: Math.max(0, next - tokens.length) };
  };

  log(`unsubscribe: warm-up, then ${runs} × ${durationSec} s at ${CONNECTIONS} connections (${perRun} fresh links per run)`);
  await load('unsub-warm', quick ? 500 : 2_000, quick ? 1 : 3);
  const results = await repeat(runs, (run) => load(`unsub-${run}`, perRun, durationSec));
  return {
    rps: median(results.map((r) => r.rps)),
    p99Ms: median(results.map((r) => r.p99Ms)),
    connections: CONNECTIONS,
    durationSec,
    withdrawals: await c.models.consentEvents.countDocuments({ type: 'withdrawn', list: LIST }),
    runs: results,
  };
}
