// Sign-up: POST /api/v1/subscriptions with a different address every request, 50 connections.
// The API validates what needs no database and adds a job to the `signup` queue (requests that
// arrive together in one pipeline: src/queues/signup-intake.ts); the double opt-in start (lookups,
// subscriber, pending subscription, event, confirmation mail) runs in the signup worker. The workers
// are not running, so the jobs wait in the queue and the figure is the API's alone. The per-IP limit
// is lifted for the stage (SIGNUP_IP_LIMIT_PER_MINUTE).
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
  /** Sign-up jobs waiting in the queue at the end: every 2xx answer is one (a repeat of a waiting one is deduplicated; none is here). */
  jobsQueued: number;
  /** 2xx answers over the warm-up and the runs, to compare with jobsQueued. */
  accepted: number;
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
  const warm = await load(quick ? 1 : 3);
  const results = await repeat(runs, () => load(durationSec));
  const { c } = ctx.stage;
  return {
    rps: median(results.map((r) => r.rps)),
    p99Ms: median(results.map((r) => r.p99Ms)),
    connections: CONNECTIONS,
    durationSec,
    ipLimitPerMinute: ctx.stage.env.SIGNUP_IP_LIMIT_PER_MINUTE ?? 'default',
    jobsQueued: await c.queues.signup.getWaitingCount(),
    accepted: [warm, ...results].reduce((sum, r) => sum + r.requests - r.non2xx, 0),
    runs: results,
  };
}
