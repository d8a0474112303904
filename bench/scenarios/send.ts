// Send: one campaign to 20,000 active subscribers, end to end through the real workers process
// (fan-out, send batches, claims, SMTP pool) into the sink process, timed from the send request
// until the sink has every message. Baseline in the same run: the same pooled Nodemailer transport
// (src/mail/mailer.ts, same pool size, as many messages in flight as the worker), pushing the campaign's rendered message (one
// recipient's copy, identical every time) to the same sink — the cost of SMTP and the sink alone.
import { campaignMail } from '../../src/mail/campaign-mail';
import { adminApi, createBenchList, createCampaign, until, untilCount } from '../campaign';
import { log, type BenchContext } from '../context';
import { seedActiveSubscribers, type Seeded } from '../seed';
import { median, repeat, round } from '../stats';

const LIST = 'bench-send';
const WARM_UP_LIST = 'bench-send-warm-up';
const WARM_UP_MESSAGES = 100;
// A campaign whose sink count has not moved for this long is stuck, not slow.
const STALL_MS = 60_000;

export interface SendRun {
  msgsPerSec: number;
  seconds: number;
  /** From the send request until the campaign's status is `sent` (the last batch's bookkeeping). */
  secondsUntilSent: number;
  baselineMsgsPerSec: number;
  baselineSeconds: number;
}

export interface SendFigures {
  msgsPerSec: number;
  baselineMsgsPerSec: number;
  ratio: number;
  /** Peak RSS of the workers process. */
  rssMb: number;
  sinkRssMb: number;
  messages: number;
  smtpPoolSize: number;
  profiled: boolean;
  runs: SendRun[];
}

export async function benchSend(ctx: BenchContext): Promise<SendFigures> {
  const { quick, runs } = ctx.settings;
  const { stage, services } = ctx;
  const { c } = stage;
  const audience = quick ? 1_000 : 20_000;
  for (const list of [LIST, WARM_UP_LIST]) await createBenchList(c, list);
  log(`send: seeding ${audience} subscribers`);
  const people = await seedActiveSubscribers(c, { count: audience, prefix: 'send-', list: LIST });
  await seedActiveSubscribers(c, { count: WARM_UP_MESSAGES, prefix: 'send-warm-', list: WARM_UP_LIST });
  // Confirmation jobs left by the sign-up scenario would be sent alongside the campaign.
  await c.queues.transactional.obliterate({ force: true });
  const workers = await ctx.workers();

  const received = () => services.sink.received();
  const sendCampaign = async (list: string, count: number, name: string) => {
    const id = await createCampaign(stage, list, name);
    const before = await received();
    const started = performance.now();
    await adminApi(stage, 'POST', `/campaigns/${id}/send`, {});
    await untilCount(async () => (await received()) - before, count, STALL_MS, `campaign ${id} in the sink`);
    const seconds = (performance.now() - started) / 1000;
    await until(async () => (await c.models.campaigns.findById(id, { status: 1 }).lean())?.status === 'sent', 120_000, `campaign ${id} to be sent`);
    const secondsUntilSent = (performance.now() - started) / 1000;
    const extra = (await received()) - before - count;
    if (extra !== 0) throw new Error(`campaign ${id}: the sink got ${extra} messages more than the audience`);
    return { id, seconds, secondsUntilSent };
  };
  const baseline = await baselineSender(ctx, people[0]!);

  log('send: warm-up (campaign and baseline)');
  await sendCampaign(WARM_UP_LIST, WARM_UP_MESSAGES, 'warm-up');
  await baseline(WARM_UP_MESSAGES);
  log(`send: ${runs} run(s) of ${audience} messages, baseline first`);
  const results = await repeat(runs, async (run): Promise<SendRun> => {
    await services.sink.clearMail();
    const baselineSeconds = await baseline(audience);
    await services.sink.clearMail();
    const campaign = await sendCampaign(LIST, audience, `send ${run}`);
    return {
      msgsPerSec: round(audience / campaign.seconds),
      seconds: round(campaign.seconds, 2),
      secondsUntilSent: round(campaign.secondsUntilSent, 2),
      baselineMsgsPerSec: round(audience / baselineSeconds),
      baselineSeconds: round(baselineSeconds, 2),
    };
  });
  const msgsPerSec = median(results.map((r) => r.msgsPerSec));
  const baselineMsgsPerSec = median(results.map((r) => r.baselineMsgsPerSec));
  return {
    msgsPerSec,
    baselineMsgsPerSec,
    ratio: round(msgsPerSec / baselineMsgsPerSec, 2),
    rssMb: await workers.peakRssMb(),
    sinkRssMb: await services.sink.peakRssMb(),
    messages: audience,
    smtpPoolSize: c.config.smtpPoolSize,
    profiled: Boolean(ctx.settings.profileDir),
    runs: results,
  };
}

/** Returns a function that sends `count` copies of one recipient's rendered campaign mail; resolves to seconds. */
async function baselineSender(ctx: BenchContext, recipient: Seeded): Promise<(count: number) => Promise<number>> {
  const { c } = ctx.stage;
  const id = await createCampaign(ctx.stage, LIST, 'baseline');
  const campaign = (await c.models.campaigns.findById(id, { subject: 1, html: 1, text: 1 }).lean())!;
  const mail = campaignMail(
    { listHeaders: c.listHeaders, settings: c.config },
    {
      campaignId: id,
      list: LIST,
      compiled: { subject: campaign.subject, html: campaign.html, text: campaign.text },
      recipient: { subscriberId: recipient.id, email: recipient.email, name: 'Lasītājs 0' },
    },
  );
  // As many in flight as the send worker at most: two batches, each pool × 2.
  const inFlight = c.config.smtpPoolSize * 4;
  return async (count) => {
    const started = performance.now();
    let left = count;
    await Promise.all(
      Array.from({ length: inFlight }, async () => {
        while (left > 0) {
          left--;
          await c.mailer.send(mail);
        }
      }),
    );
    return (performance.now() - started) / 1000;
  };
}
