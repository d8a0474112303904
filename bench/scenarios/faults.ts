// `--faults`: a 20,000-recipient campaign through the real API and workers processes while the
// workers are SIGKILLed three times (and restarted), Redis is flushed once (FLUSHALL: every job,
// schedule and withdrawal flag gone; the campaign watchdog must rebuild the lost batches) and
// restarted once (AOF, same port), 5% of the recipients unsubscribe with one-click POSTs, 0.5% are
// restricted by the DPO and 0.5% erased (request, then the requester's verification) mid-campaign.
// Faults are triggered by progress (messages in the sink), so they land mid-campaign however fast
// the machine is.
// The count comes from outside: the sink's .eml files (who got what, and when the sink received it)
// and the delivery records.
import { open, readdir } from 'node:fs/promises';
import path from 'node:path';
import { adminApi, createBenchList, createCampaign } from '../campaign';
import { log, type BenchSettings } from '../context';
import { seedActiveSubscribers, unsubscribeTokens, type Seeded } from '../seed';
import type { BenchServices, Stage } from '../services';
import { round } from '../stats';

const LIST = 'bench-faults';
const UNSUBSCRIBING_SHARE = 0.05;
// One in 200 each; chosen apart from the unsubscribers (every 20th) so each person has one withdrawal.
const RESTRICTED_EVERY = 200;
const RESTRICTED_OFFSET = 7;
const ERASED_OFFSET = 107;
const KILL_AT = [0.15, 0.4, 0.7];
const REDIS_FLUSH_AT = 0.3;
const REDIS_RESTART_AT = 0.55;
// Unsubscribes are spread evenly over this stretch of the campaign's progress.
const UNSUBSCRIBE_FROM = 0.05;
const UNSUBSCRIBE_TO = 0.85;
// A killed worker's jobs go to another run after this long (the lock is not renewed any more).
const WORKER_ENV = { JOB_LOCK_DURATION: '5s' };
const TIMEOUT_MS = 15 * 60_000;
// No new message for this long (outside a restart) means the campaign is stuck, not slow.
const STALL_MS = 120_000;

export type WithdrawalKind = 'unsubscribe' | 'restriction' | 'erasure';

export interface FaultFigures {
  expected: number;
  delivered: number;
  duplicated: number;
  sentAfterUnsubscribe: number;
  /** A copy received after the restriction had answered 200. */
  sentAfterRestriction: number;
  /** A copy received after the erasure (the requester's verification) had answered 200. */
  sentAfterErasure: number;
  /** All three: mail received after a committed withdrawal of any kind. */
  sentAfterWithdrawal: number;
  restricted: number;
  erased: number;
  /** Erased before their copy went out: no record of them is left, so they are not expected. */
  erasedBeforeSending: number;
  /** For each of them, how long after the POST's answer the sink received the copy. */
  sentAfterUnsubscribeLateByMs: number[];
  ambiguous: number;
  ambiguousExplained: string;
  /** Expected, not delivered and not recorded as ambiguous: lost. Must be 0. */
  lost: number;
  audience: number;
  unsubscribed: number;
  /** Unsubscribed before the send worker read their batch: never sent, recorded as skipped. */
  skippedAfterUnsubscribe: number;
  /** Mails the sink received while that recipient's unsubscribe POST was in flight: order unknowable. */
  racedWithUnsubscribe: number;
  sentAfterUnsubscribeRule: string;
  failed: number;
  campaignStatus: string;
  seconds: number;
  timeline: Array<{ at: number; progress: number; event: string }>;
}

interface Withdrawal {
  kind: WithdrawalKind;
  subscriberId: string;
  startedAt: number;
  committedAt?: number;
  status?: number;
}

interface SinkCopy {
  subscriberId: string;
  receivedAt: number;
}

export async function benchFaults(services: BenchServices, settings: BenchSettings): Promise<FaultFigures> {
  const audienceSize = settings.quick ? 2_000 : 20_000;
  const stage = await services.openStage('faults');
  try {
    await stage.startApi();
    const { c } = stage;
    await createBenchList(c, LIST);
    log(`faults: seeding ${audienceSize} subscribers`);
    const audience = await seedActiveSubscribers(c, { count: audienceSize, prefix: 'faults-', list: LIST });
    const leaving = everyNth(audience, Math.round(1 / UNSUBSCRIBING_SHARE));
    const restricting = audience.filter((_, i) => i % RESTRICTED_EVERY === RESTRICTED_OFFSET);
    const erasing = audience.filter((_, i) => i % RESTRICTED_EVERY === ERASED_OFFSET);
    let workers = await stage.startWorkers({ env: WORKER_ENV });
    const campaignId = await createCampaign(stage, LIST, 'faults');
    const tokens = unsubscribeTokens(c, leaving, LIST, campaignId);

    const started = Date.now();
    const before = await services.sink.received();
    const progress = async () => ((await services.sink.received()) - before) / audienceSize;
    const timeline: FaultFigures['timeline'] = [];
    const note = (p: number, event: string) => {
      timeline.push({ at: round((Date.now() - started) / 1000, 1), progress: round(p, 3), event });
      log(`faults: ${event} at ${Math.round(p * 100)}%`);
    };
    const withdrawals: Withdrawal[] = [];
    const inFlight = new Set<Promise<void>>();
    const track = (kind: WithdrawalKind, subscriberId: string, commit: () => Promise<number>) => {
      const w: Withdrawal = { kind, subscriberId, startedAt: Date.now() };
      withdrawals.push(w);
      const request = commit().then((status) => {
        // A 200 means the change is committed; it was committed at the latest now.
        w.committedAt = Date.now();
        w.status = status;
      });
      inFlight.add(request);
      void request.finally(() => inFlight.delete(request));
    };
    const post = async (url: string, init: RequestInit) => {
      const res = await fetch(url, { method: 'POST', ...init });
      await res.text();
      return res.status;
    };
    const dpo = { authorization: `Bearer ${stage.token('dpo')}`, 'content-type': 'application/json' };
    const withdrawBy = {
      unsubscribe: (i: number) =>
        track('unsubscribe', leaving[i]!.id, () =>
          post(`${stage.baseUrl}/u/${tokens[i]}`, { headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'List-Unsubscribe=One-Click' }),
        ),
      restriction: (i: number) =>
        track('restriction', restricting[i]!.id, () =>
          post(`${stage.baseUrl}/api/v1/admin/subscribers/${restricting[i]!.id}/restriction`, { headers: dpo, body: '{}' }),
        ),
      // The DPO registers the request, the requester proves the address: the verification's answer commits the erasure.
      erasure: (i: number) =>
        track('erasure', erasing[i]!.id, async () => {
          const res = await fetch(`${stage.baseUrl}/api/v1/admin/requests`, {
            method: 'POST',
            headers: dpo,
            body: JSON.stringify({ type: 'erasure', email: erasing[i]!.email, channel: 'admin' }),
          });
          const created = (await res.json()) as { id?: string };
          if (res.status !== 201 || !created.id) return res.status;
          const token = c.signer.sign({ purpose: 'verify', subject: created.id, exp: Math.floor(Date.now() / 1000) + 3600 });
          return post(`${stage.baseUrl}/r/${token}`, { headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: '' });
        }),
    };
    const queues: Array<{ kind: WithdrawalKind; size: number; fired: number }> = [
      { kind: 'unsubscribe', size: leaving.length, fired: 0 },
      { kind: 'restriction', size: restricting.length, fired: 0 },
      { kind: 'erasure', size: erasing.length, fired: 0 },
    ];
    /** Fires each kind's withdrawals due at progress `p` (all of them when p is 1), at most 8 in flight. */
    const fireDue = (p: number) => {
      for (const q of queues) {
        const due = Math.min(q.size, Math.floor(((p - UNSUBSCRIBE_FROM) / (UNSUBSCRIBE_TO - UNSUBSCRIBE_FROM)) * q.size));
        while (q.fired < due && inFlight.size < 8) withdrawBy[q.kind](q.fired++);
      }
    };

    await adminApi(stage, 'POST', `/campaigns/${campaignId}/send`, {});
    const kills = [...KILL_AT];
    let redisRestarted = false;
    let redisFlushed = false;
    let status = 'sending';
    let checkedAt = 0;
    let [lastProgress, movedAt] = [-1, Date.now()];
    while (status === 'sending') {
      if (Date.now() - started > TIMEOUT_MS) throw new Error(`faults: campaign not sent after ${TIMEOUT_MS / 60_000} min; see ${services.dir}/logs`);
      const p = await progress();
      if (p !== lastProgress) [lastProgress, movedAt] = [p, Date.now()];
      if (Date.now() - movedAt > STALL_MS) throw new Error(`faults: stuck at ${Math.round(p * 100)}% for ${STALL_MS / 1000} s; see ${services.dir}/logs`);
      if (kills.length > 0 && p >= kills[0]!) {
        kills.shift();
        await workers.stop('SIGKILL');
        note(p, 'workers SIGKILLed');
        workers = await stage.startWorkers({ env: WORKER_ENV });
        note(await progress(), 'workers restarted');
        movedAt = Date.now();
      }
      if (!redisFlushed && p >= REDIS_FLUSH_AT) {
        redisFlushed = true;
        // Every queued batch, the watchdog's schedule and the withdrawal flags go; nothing restarts.
        await c.redis.flushall();
        note(p, 'redis flushed (FLUSHALL)');
        movedAt = Date.now();
      }
      if (!redisRestarted && p >= REDIS_RESTART_AT) {
        redisRestarted = true;
        note(p, 'redis stopping');
        await services.restartRedis();
        note(await progress(), 'redis restarted');
        movedAt = Date.now();
      }
      fireDue(p);
      if (Date.now() - checkedAt > 500) {
        checkedAt = Date.now();
        status = (await c.models.campaigns.findById(campaignId, { status: 1 }).lean())?.status ?? 'missing';
      }
      await new Promise((r) => setTimeout(r, 50));
    }
    const seconds = (Date.now() - started) / 1000;
    note(await progress(), `campaign ${status}`);
    // Withdrawals not yet due when the campaign ended still go out, so all of them are counted.
    while (queues.some((q) => q.fired < q.size)) {
      fireDue(1 + UNSUBSCRIBE_TO);
      await Promise.race([...inFlight]);
    }
    await Promise.all(inFlight);
    await workers.stop();
    const refused = withdrawals.filter((w) => w.status !== 200);
    if (refused.length) throw new Error(`faults: ${refused.length} withdrawals did not answer 200 (first: ${refused[0]!.kind} ${refused[0]!.status})`);

    return await count(stage, services.sink.dir, { campaignId, audience, withdrawals, status, seconds, timeline });
  } finally {
    await stage.close();
  }
}

async function count(
  stage: Stage,
  mailDir: string,
  run: { campaignId: string; audience: Seeded[]; withdrawals: Withdrawal[]; status: string; seconds: number; timeline: FaultFigures['timeline'] },
): Promise<FaultFigures> {
  const copies = await sinkCopies(mailDir, run.campaignId);
  const bySubscriber = new Map<string, SinkCopy[]>();
  for (const copy of copies) bySubscriber.set(copy.subscriberId, [...(bySubscriber.get(copy.subscriberId) ?? []), copy]);

  // A claim without an outcome is 'claimed' (ambiguous once the campaign is over).
  const [claims, outcomes] = await Promise.all([
    stage.c.models.deliveries.find({ campaignId: run.campaignId }, { subscriberId: 1 }).lean(),
    stage.c.models.deliveryOutcomes.find({ campaignId: run.campaignId }, { subscriberId: 1, status: 1 }).lean(),
  ]);
  const statusOf = new Map<string, string>(claims.map((d) => [String(d.subscriberId), 'claimed']));
  for (const o of outcomes) statusOf.set(String(o.subscriberId), o.status);
  // Erasure removes the person's claims and outcomes (and a batch re-run after it may record them
  // again as skipped): an erased person counts as expected only if a copy reached them before.
  const erased = new Set(run.withdrawals.filter((w) => w.kind === 'erasure').map((w) => w.subscriberId));
  const withStatus = (...states: string[]) => run.audience.filter((p) => !erased.has(p.id) && states.includes(statusOf.get(p.id) ?? 'none'));
  const skipped = withStatus('skipped');
  const ambiguous = withStatus('ambiguous', 'claimed');
  const ambiguousDelivered = ambiguous.filter((p) => bySubscriber.has(p.id)).length;
  const erasedBeforeSending = run.audience.filter((p) => erased.has(p.id) && !bySubscriber.has(p.id)).length;
  const expected = run.audience.length - skipped.length - erasedBeforeSending;

  const lateByMs: number[] = [];
  const late: Record<WithdrawalKind, number> = { unsubscribe: 0, restriction: 0, erasure: 0 };
  let raced = 0;
  for (const w of run.withdrawals) {
    const mails = bySubscriber.get(w.subscriberId) ?? [];
    const latest = Math.max(...mails.map((m) => m.receivedAt));
    if (latest > w.committedAt!) {
      late[w.kind]++;
      if (w.kind === 'unsubscribe') lateByMs.push(latest - w.committedAt!);
    } else if (latest >= w.startedAt) raced++;
  }
  const delivered = bySubscriber.size;
  const of = (kind: WithdrawalKind) => run.withdrawals.filter((w) => w.kind === kind).length;
  return {
    expected,
    delivered,
    duplicated: [...bySubscriber.values()].filter((m) => m.length > 1).length,
    sentAfterUnsubscribe: late.unsubscribe,
    sentAfterRestriction: late.restriction,
    sentAfterErasure: late.erasure,
    sentAfterWithdrawal: late.unsubscribe + late.restriction + late.erasure,
    restricted: of('restriction'),
    erased: of('erasure'),
    erasedBeforeSending,
    sentAfterUnsubscribeLateByMs: lateByMs.sort((a, b) => a - b),
    ambiguous: ambiguous.length,
    ambiguousExplained:
      `a send worker SIGKILLed between claiming a chunk of recipients (the delivery record is inserted before SMTP) and ` +
      `recording the outcome leaves claims nobody can resolve: the mail may or may not have gone out. They are marked ` +
      `ambiguous and never resent (at most once). ${ambiguousDelivered} of the ${ambiguous.length} reached the sink.`,
    lost: expected - delivered - (ambiguous.length - ambiguousDelivered),
    audience: run.audience.length,
    unsubscribed: of('unsubscribe'),
    skippedAfterUnsubscribe: skipped.length,
    racedWithUnsubscribe: raced,
    sentAfterUnsubscribeRule:
      'a recipient counts when the sink received a copy (its receive time, recorded when the message was accepted) after ' +
      'the one-click POST, the restriction or the erasure verification had answered 200 (by then the change was ' +
      'committed); a copy received while the call was still in flight is counted as raced: from outside, which came ' +
      'first cannot be known.',
    failed: withStatus('failed').length,
    campaignStatus: run.status,
    seconds: round(run.seconds, 1),
    timeline: run.timeline,
  };
}

/** Campaign copies in the sink: the subscriber header and the sink's receive time (the file name starts with it). */
async function sinkCopies(dir: string, campaignId: string): Promise<SinkCopy[]> {
  const files = (await readdir(dir)).filter((f) => f.endsWith('.eml'));
  const copies: SinkCopy[] = [];
  const head = Buffer.alloc(16 * 1024);
  for (const file of files) {
    const handle = await open(path.join(dir, file), 'r');
    const { bytesRead } = await handle.read(head, 0, head.length, 0);
    await handle.close();
    const headers = head.subarray(0, bytesRead).toString('utf8').split(/\r?\n\r?\n/)[0]!;
    if (header(headers, 'X-Ejaunumi-Campaign') !== campaignId) continue;
    copies.push({ subscriberId: header(headers, 'X-Ejaunumi-Subscriber') ?? 'unknown', receivedAt: Number(file.split('-')[0]) });
  }
  return copies;
}

function header(headers: string, name: string): string | undefined {
  return new RegExp(`^${name}:\\s*(\\S+)`, 'im').exec(headers)?.[1];
}

/** Every nth of them: a fixed 1/n spread over the whole audience (and so over every batch). */
function everyNth<T>(items: T[], n: number): T[] {
  return items.filter((_, i) => i % n === n - 1);
}
