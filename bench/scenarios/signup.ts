// Sign-up: POST /api/v1/subscriptions with a different address every request, 50 connections.
// Each accepted request is the whole double opt-in start: suppression and subscriber lookups, the
// cooldown claim, subscriber and pending subscription, the `requested` consent event, the
// confirmation job. The workers are not running, so the confirmation mails wait in the queue and
// the figure is the API's alone. The per-IP limit is lifted for the stage (SIGNUP_IP_LIMIT_PER_MINUTE).
import { DEFAULT_LIST } from '../../src/data/list.model';
import { log, type BenchContext } from '../context';
import { httpLoad, type LoadResult } from '../load';
import { median, repeat } from '../stats';

const CONNECTIONS = 50;

export interface SignupFigures {
  rps: number;
  p99Ms: number;
  connections: number;
  durationSec: number;
  ipLimitPerMinute: string;
  /** Pending subscriptions written: at least the 2xx answers (requests in flight at the end also land). */
  pendingWritten: number;
  confirmationsQueued: number;
  runs: LoadResult[];
}

export async function benchSignup(ctx: BenchContext): Promise<SignupFigures> {
  const { quick, runs } = ctx.settings;
  const durationSec = quick ? 5 : 20;
  let sequence = 0;
  const load = (seconds: number) =>
    httpLoad({
      baseUrl: ctx.api.baseUrl,
      connections: CONNECTIONS,
      durationSec: seconds,
      method: 'POST',
      contentType: 'application/json',
      next: () => ({ path: '/api/v1/subscriptions', body: JSON.stringify({ email: `signup-${++sequence}@example.lv`, name: 'Anna Bērziņa' }) }),
    });
  log(`sign-up: warm-up, then ${runs} × ${durationSec} s at ${CONNECTIONS} connections`);
  await load(quick ? 1 : 3);
  const results = await repeat(runs, () => load(durationSec));
  const { c } = ctx.stage;
  return {
    rps: median(results.map((r) => r.rps)),
    p99Ms: median(results.map((r) => r.p99Ms)),
    connections: CONNECTIONS,
    durationSec,
    ipLimitPerMinute: ctx.stage.env.SIGNUP_IP_LIMIT_PER_MINUTE ?? 'default',
    pendingWritten: await c.models.subscriptions.countDocuments({ list: DEFAULT_LIST, status: 'pending' }),
    confirmationsQueued: await c.queues.transactional.getWaitingCount(),
    runs: results,
  };
}
