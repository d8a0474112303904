// Fan-out: a campaign to 100,000 active subscribers (then, at full size, once more at 300,000)
// turned into send batches, timed from the start
// of the fan-out until every batch is enqueued (fanOutCampaign returns `done` once the last batch is
// added and fanoutDone is set). It runs in this process, calling the same domain function the fan-out
// worker calls, on a queue prefix no worker listens to: the batches stay queued, so the send
// workers' CPU does not mix into the figure.
import { fanOutCampaign } from '../../src/domain/campaigns/fanout';
import { closeQueues, createQueues } from '../../src/queues/queues';
import { createBenchList, createCampaign } from '../campaign';
import { log, type BenchContext } from '../context';
import { seedActiveSubscribers } from '../seed';
import { median, repeat, round } from '../stats';

const LIST = 'bench-fanout';

export interface FanoutRun {
  recipients: number;
  batches: number;
  seconds: number;
  recipientsPerSec: number;
}

export interface FanoutFigures {
  recipientsPerSec: number;
  audience: number;
  where: string;
  runs: FanoutRun[];
  // Full size only: one run at three times the audience, and its cost per recipient over the
  // median's (1.0 = linear; the aim is within 1.5).
  large?: FanoutRun;
  largeCostRatio?: number;
}

const LARGE_FACTOR = 3;

export async function benchFanout(ctx: BenchContext): Promise<FanoutFigures> {
  const { quick, runs } = ctx.settings;
  const { stage } = ctx;
  const { c } = stage;
  const audience = quick ? 10_000 : 100_000;
  await createBenchList(c, LIST);
  log(`fan-out: seeding ${audience} subscribers`);
  await seedActiveSubscribers(c, { count: audience, prefix: 'fanout-', list: LIST });
  const queues = createQueues(c.redis, `${c.config.queuePrefix}-fanout-only`);
  const deps = { models: c.models, queues, now: () => new Date() };
  try {
    log(`fan-out: ${runs} run(s)`);
    const once = async (label: string, expected: number): Promise<FanoutRun> => {
      const id = await createCampaign(stage, LIST, `fan-out ${label}`);
      // What CampaignService.send does, minus enqueueing the fan-out job: we run it ourselves.
      await c.models.campaigns.updateOne({ _id: id }, { $set: { status: 'sending', startedAt: new Date() } });
      const started = performance.now();
      const result = await fanOutCampaign(deps, id);
      const seconds = (performance.now() - started) / 1000;
      if (!result.done || result.queued !== expected) throw new Error(`fan-out ${id} ended with ${JSON.stringify(result)}, expected ${expected} queued`);
      // The batches are never sent; the campaign must not look like it is still going.
      await c.models.campaigns.updateOne({ _id: id }, { $set: { status: 'cancelled' } });
      await queues.send.obliterate({ force: true });
      return { recipients: result.queued, batches: result.batches, seconds: round(seconds, 2), recipientsPerSec: round(result.queued / seconds) };
    };
    const results = await repeat(runs, (run) => once(String(run), audience));
    const recipientsPerSec = median(results.map((r) => r.recipientsPerSec));
    let large: FanoutRun | undefined;
    if (!quick) {
      const extra = audience * (LARGE_FACTOR - 1);
      log(`fan-out: seeding ${extra} more subscribers for one run at ${audience * LARGE_FACTOR}`);
      await seedActiveSubscribers(c, { count: extra, prefix: 'fanout-large-', list: LIST });
      large = await once('large', audience * LARGE_FACTOR);
    }
    return {
      recipientsPerSec,
      audience,
      where: 'fanOutCampaign in the benchmark process (same code as the fan-out worker), batches left queued',
      runs: results,
      large,
      largeCostRatio: large ? round(recipientsPerSec / large.recipientsPerSec, 2) : undefined,
    };
  } finally {
    await closeQueues(queues);
  }
}
