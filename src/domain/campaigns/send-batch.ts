// The send worker's domain: one batch of a campaign's recipients.
//
// Consent is read at send time, for the whole batch at once: subscription state on the campaign's
// list, the subscriber (restriction, address) and suppressions (invariants 1, 2). Each
// delivery is then claimed by inserting (campaign, subscriber) into the unique index before SMTP;
// only the inserter sends, so neither a retry, a stalled job run twice nor a second worker sends a
// copy (invariant 3; FerretDB's updates are not isolated, its unique index is).
//
// The hot path only inserts (FerretDB v1 updates cost tens of ms each and are not isolated): per
// chunk one insertMany of claims, then one insertMany of outcomes into delivery_outcomes. A
// temporary failure deletes its claim instead (one deleteMany by _id), so the job's retry claims
// it again; a sent, failed, skipped or ambiguous delivery keeps its claim and is never resent. A
// claim whose worker died keeps no outcome: we cannot know whether it went out, and for a
// newsletter at most once is the promise; the stats count it as ambiguous once the campaign is done.
// Each insert of outcomes is followed by one tally of what it created (campaign-tally.model.ts): the
// live figures sum those instead of reading every outcome.
import { Types, type Collection } from 'mongoose';
import type { Container } from '../../container';
import type { OutcomeState } from '../../data/delivery-outcome.model';
import { compileCampaignMail, type CampaignRecipient, type CompiledMailSettings } from '../../mail/campaign-mail';
import type { CompiledCampaign } from '../../mail/campaign-renderer';
import { classifySmtpError, type OutgoingMail, type RawMail } from '../../mail/mailer';
import type { SendPacer } from '../../mail/send-pacer';
import { mapConcurrently } from '../../map-concurrently';
import type { BatchRecipient, SendBatchJob } from '../../queues/campaign-jobs';
import { insertManyOnce } from '../claims';
import { completeIfDone, isOver, markBatchDone, recordFinalStats } from './campaign-progress';
import { campaignQueries } from '../../data/campaign.queries';
import { deliveryQueries } from '../../data/delivery.queries';
import { subscriberQueries } from '../../data/subscriber.queries';
import { subscriptionQueries } from '../../data/subscription.queries';

export type SendDeps = Pick<Container, 'models' | 'mailer' | 'listHeaders' | 'suppressions' | 'ledger' | 'withdrawals'> & {
  now: () => Date;
  pacer: SendPacer;
  settings: CompiledMailSettings & { smtpPoolSize: number };
};

export interface SendRun {
  batchJobId: string;
  /** Unique per run of the job (the BullMQ lock token), recorded on its claims. */
  runId: string;
  /** The last attempt records temporary failures as failed instead of asking for a retry. */
  finalAttempt: boolean;
}

export type BatchOutcome =
  | { state: 'done'; sent: number; skipped: number; failed: number; ambiguous: number }
  | { state: 'retry'; temporaryFailures: number }
  | { state: 'paused' }
  | { state: 'stopped' };

export type SkipReason = 'not-active' | 'suppressed' | 'restricted' | 'unknown';

interface Recipient extends CampaignRecipient {
  emailHash: string;
  /** When the subscription was last confirmed (ms; 0 if never), as read with its state. */
  confirmedAt: number;
}

interface ClaimedRecipient extends Recipient {
  /** The claim's _id: a temporary failure deletes the claim by it. */
  deliveryId: Types.ObjectId;
}

interface Skip {
  subscriberId: string;
  reason: SkipReason;
}

type Attempt =
  | { recipient: ClaimedRecipient; kind: 'sent'; messageId: string; response: string }
  | { recipient: ClaimedRecipient; kind: 'permanent' | 'temporary' | 'ambiguous'; response: string; addressRejected: boolean };

// Claims taken at a time: small, because a killed worker leaves up to one chunk claimed and unsent.
const CLAIM_CHUNK = 50;
// A pause or cancel inside a long (rate-limited) batch takes effect within this long.
const STATUS_RECHECK_MS = 1000;

export async function sendBatch(deps: SendDeps, job: SendBatchJob, run: SendRun): Promise<BatchOutcome> {
  const campaignId = new Types.ObjectId(job.campaignId);
  const campaign = await campaignQueries.forSending(deps.models, campaignId).lean();
  if (!campaign || (campaign.status !== 'sending' && campaign.status !== 'paused')) return { state: 'stopped' };
  if (campaign.status === 'paused') return { state: 'paused' };
  const compiled: CompiledCampaign = { subject: campaign.subject, html: campaign.html, text: campaign.text };
  // The MIME is compiled once per batch; each recipient's message is then a substitution.
  const english: CompiledCampaign | undefined = campaign.en ? { subject: campaign.en.subject, html: campaign.en.html, text: campaign.en.text } : undefined;
  const mailFor = compileCampaignMail({ listHeaders: deps.listHeaders, settings: deps.settings }, { campaignId: job.campaignId, list: campaign.list, compiled, english });

  // Read before consent: if Redis loses the gate's flags and marks after this, a chunk reads again.
  let generation = await deps.withdrawals.generation();
  const { eligible, skipped } = await readRecipients(deps, campaign.list, job.recipients);
  await recordSkips(deps, campaignId, skipped, run);

  const tally = { sent: 0, skipped: skipped.length, failed: 0, ambiguous: 0 };
  let temporaryFailures = 0;
  let checkedAt = Date.now();
  const chunkSize = deps.pacer.chunkSize(CLAIM_CHUNK);
  for (let i = 0; i < eligible.length; i += chunkSize) {
    if (Date.now() - checkedAt >= STATUS_RECHECK_MS) {
      const now = await campaignQueries.statusOf(deps.models, campaignId).lean();
      checkedAt = Date.now();
      if (now?.status === 'paused') return { state: 'paused' };
      if (now?.status !== 'sending') {
        // Ended while this batch sent (a cancel): what it recorded since joins the stored figures.
        if (isOver(now?.status)) await recordFinalStats(deps.models, campaignId);
        return { state: 'stopped' };
      }
    }
    const chunk = eligible.slice(i, i + chunkSize);
    await deps.pacer.take(chunk.length);
    // The batch's consent read may be seconds old: mark the chunk in flight and drop whoever was
    // stopped since (unsubscribe, restriction, suppression, erasure), just before claiming (see
    // recent-withdrawals.ts for why the mark comes first).
    const persons = chunk.map((r) => r.emailHash);
    const flagged = await deps.withdrawals.beginSending(persons, campaign.list);
    const current = await deps.withdrawals.generation();
    let stopped: Skip[];
    if (current !== generation) {
      // Redis lost its data since consent was read, and with it the flags of whoever stopped
      // meanwhile: the rest of the batch is read again from the database (the marks just set
      // belong to the new generation, so later stops see them).
      // Those stopped in later chunks are skipped now and leave the list; this chunk keeps its
      // place (the loop steps by its size) and its stopped members are filtered below.
      generation = current;
      stopped = await stoppedSince(deps, campaign.list, eligible.slice(i));
      const gone = new Set(stopped.map((r) => r.subscriberId));
      const rest = i + chunk.length;
      eligible.splice(rest, eligible.length - rest, ...eligible.slice(rest).filter((r) => !gone.has(r.subscriberId)));
    } else {
      stopped = flagged.size > 0 ? await stillStopped(deps, campaign.list, chunk, flagged) : [];
    }
    if (stopped.length > 0) {
      await recordSkips(deps, campaignId, stopped, run);
      tally.skipped += stopped.length;
    }
    const skippedNow = new Set(stopped.map((s) => s.subscriberId));
    const mine = await claim(deps, campaignId, chunk.filter((r) => !skippedNow.has(r.subscriberId)), run.runId);
    const attempts = await mapConcurrently(mine, deps.settings.smtpPoolSize * 2, (recipient) =>
      attemptSend(deps, recipient, mailFor),
    );
    // Outcomes first: they are what makes these sends count. Should anything between the marks and
    // here fail, the marks lapse by themselves (and hold a withdrawal up for 10 s at most).
    await recordAttempts(deps, campaignId, attempts, run);
    await deps.withdrawals.endSending(persons, campaign.list);
    // After the marks are gone: suppressing goes through the gate, which would wait for this very send.
    await suppressDead(deps, campaignId, campaign.list, attempts);
    for (const a of attempts) {
      if (a.kind === 'sent') tally.sent++;
      else if (a.kind === 'ambiguous') tally.ambiguous++;
      else if (a.kind === 'temporary' && !run.finalAttempt) temporaryFailures++;
      else tally.failed++;
    }
  }
  if (temporaryFailures > 0) return { state: 'retry', temporaryFailures };
  await markBatchDone(deps, job.campaignId, run.batchJobId, job.recipients.length);
  await completeIfDone(deps, job.campaignId);
  return { state: 'done', ...tally };
}

/**
 * The batch's subscriptions and subscribers, read by _id (one `$in` each), and one query for
 * the suppressions among them. A subscription counts only while it is still the active one of this
 * subscriber on this list.
 */
async function readRecipients(deps: SendDeps, list: string, recipients: BatchRecipient[]) {
  const [subscriptions, subscribers] = await Promise.all([
    subscriptionQueries.statesAmong(deps.models, recipients.map(([subscriptionId]) => new Types.ObjectId(subscriptionId))).lean(),
    subscriberQueries.recipientsAmong(deps.models, recipients.map(([, subscriberId]) => new Types.ObjectId(subscriberId))).lean(),
  ]);
  const suppressed = await deps.suppressions.suppressedAmong(subscribers.map((s) => s.emailHash));
  // The active ones, with when each was last confirmed.
  const active = new Map(subscriptions.filter((s) => s.status === 'active' && s.list === list).map((s) => [`${s._id}/${s.subscriberId}`, s.confirmedAt?.getTime() ?? 0]));
  const byId = new Map(subscribers.map((s) => [String(s._id), s]));

  const eligible: Recipient[] = [];
  const skipped: Skip[] = [];
  for (const [subscriptionId, subscriberId] of recipients) {
    const s = byId.get(subscriberId);
    const reason: SkipReason | undefined = !s
      ? 'unknown'
      : suppressed.has(s.emailHash)
        ? 'suppressed'
        : s.restricted
          ? 'restricted'
          : !active.has(`${subscriptionId}/${subscriberId}`)
            ? 'not-active'
            : undefined;
    if (reason || !s) skipped.push({ subscriberId, reason: reason ?? 'unknown' });
    else {
      const confirmedAt = active.get(`${subscriptionId}/${subscriberId}`)!;
      eligible.push({ subscriberId, subscriptionId, email: s.email, name: s.name ?? '', locale: s.locale === 'en' ? 'en' : 'lv', emailHash: s.emailHash, confirmedAt });
    }
  }
  return { eligible, skipped };
}

/**
 * The flagged recipients of a chunk, read again: those whom something now stops, with the reason.
 * A flag alone stops a recipient too (its change may not have committed yet: invariant 1), unless
 * the person confirmed their subscription again after it went up. Such a flag is no longer
 * justified, and a skip is a claim for good (invariant 3): the campaign would never reach them.
 */
async function stillStopped(deps: SendDeps, list: string, chunk: Recipient[], flagged: Map<string, number>): Promise<Skip[]> {
  const suspects = chunk.filter((r) => flagged.has(r.emailHash));
  const fresh = await readRecipients(
    deps,
    list,
    suspects.map((r): BatchRecipient => [r.subscriptionId!, r.subscriberId]),
  );
  const stopped = [...fresh.skipped];
  for (const r of fresh.eligible) {
    if (flagged.get(r.emailHash)! >= r.confirmedAt) stopped.push({ subscriberId: r.subscriberId, reason: 'not-active' });
  }
  return stopped;
}

/** Recipients read again: those whom something stopped since the batch read consent. */
async function stoppedSince(deps: SendDeps, list: string, chunk: Recipient[]): Promise<Skip[]> {
  return (await readRecipients(deps, list, chunk.map((r): BatchRecipient => [r.subscriptionId!, r.subscriberId]))).skipped;
}

/**
 * A skip is a claim and a skipped outcome, each one insertMany for the whole batch. Only skips whose
 * claim this run won get the outcome: a lost claim belongs to an earlier run (which recorded the
 * skip, or sent before consent changed) or to a run still sending it.
 */
async function recordSkips(deps: SendDeps, campaignId: Types.ObjectId, skipped: Skip[], run: SendRun): Promise<void> {
  if (skipped.length === 0) return;
  const at = deps.now();
  const docs = skipped.map((s) => ({ campaignId, subscriberId: new Types.ObjectId(s.subscriberId), claimedBy: run.runId, at }));
  const lost = await insertManyOnce(deps.models.deliveries.collection, docs);
  const outcomes: OutcomeDoc[] = docs.flatMap((d, i) =>
    lost.has(i) ? [] : [{ campaignId, subscriberId: d.subscriberId, status: 'skipped' as OutcomeState, reason: skipped[i]!.reason, at }],
  );
  await recordOutcomes(deps, campaignId, outcomes, run, at);
}

/** Inserts the claims; returns the recipients whose claim this run won, with the claim's _id. */
async function claim(deps: SendDeps, campaignId: Types.ObjectId, recipients: Recipient[], runId: string): Promise<ClaimedRecipient[]> {
  if (recipients.length === 0) return [];
  const at = deps.now();
  const claimed = recipients.map((r) => ({ ...r, deliveryId: new Types.ObjectId() }));
  const docs = claimed.map((r) => ({ _id: r.deliveryId, campaignId, subscriberId: new Types.ObjectId(r.subscriberId), claimedBy: runId, at }));
  const lost = await insertManyOnce(deps.models.deliveries.collection, docs);
  return claimed.filter((_r, i) => !lost.has(i));
}

type OutcomeDoc = { campaignId: Types.ObjectId; subscriberId: Types.ObjectId; status: OutcomeState; reason?: string; at: Date } & Record<string, unknown>;

/**
 * One insertMany of outcomes, then one tally of those it created (campaign-tally.model.ts); an
 * outcome lost to an existing one was counted by whoever wrote that. The outcomes come first: a crash
 * between the two loses only the tally, and the campaign's final figures are counted from outcomes.
 */
async function recordOutcomes(deps: SendDeps, campaignId: Types.ObjectId, outcomes: OutcomeDoc[], run: SendRun, at: Date): Promise<void> {
  const lost = await insertManyOnce(deps.models.deliveryOutcomes.collection, outcomes);
  const tally = { sent: 0, failed: 0, ambiguous: 0, skipped: {} as Record<string, number> };
  let created = 0;
  outcomes.forEach((o, i) => {
    if (lost.has(i)) return;
    created++;
    if (o.status === 'skipped') tally.skipped[o.reason ?? 'unknown'] = (tally.skipped[o.reason ?? 'unknown'] ?? 0) + 1;
    else tally[o.status]++;
  });
  if (created === 0) return;
  await deps.models.campaignTallies.collection.insertOne({ _id: new Types.ObjectId(), campaignId, batch: run.batchJobId, ...tally, at });
}

async function attemptSend(deps: SendDeps, recipient: ClaimedRecipient, mailFor: (r: CampaignRecipient) => OutgoingMail | RawMail): Promise<Attempt> {
  try {
    const info = await deps.mailer.send(mailFor(recipient));
    return { recipient, kind: 'sent', messageId: info.messageId, response: info.response };
  } catch (err) {
    const e = err as { response?: string; message?: string; command?: string };
    return {
      recipient,
      kind: classifySmtpError(err),
      response: String(e.response ?? e.message ?? 'unknown error').slice(0, 500),
      addressRejected: e.command === 'RCPT TO',
    };
  }
}

/**
 * One insertMany of this chunk's outcomes, then one deleteMany of the claims that failed temporarily
 * (by _id; they get no outcome, so the job's retry claims and sends them). On the last attempt a
 * temporary failure is final: failed, retries-exhausted.
 */
async function recordAttempts(deps: SendDeps, campaignId: Types.ObjectId, attempts: Attempt[], run: SendRun): Promise<void> {
  if (attempts.length === 0) return;
  const at = deps.now();
  const outcomes: OutcomeDoc[] = [];
  const retryable: Types.ObjectId[] = [];
  for (const a of attempts) {
    const ids = { campaignId, subscriberId: new Types.ObjectId(a.recipient.subscriberId) };
    if (a.kind === 'sent') outcomes.push({ ...ids, status: 'sent' as OutcomeState, messageId: a.messageId, smtpResponse: a.response, at });
    else if (a.kind === 'temporary' && !run.finalAttempt) retryable.push(a.recipient.deliveryId);
    else {
      const [status, reason]: [OutcomeState, string] =
        a.kind === 'ambiguous' ? ['ambiguous', 'connection-lost'] : a.kind === 'temporary' ? ['failed', 'retries-exhausted'] : ['failed', 'rejected'];
      outcomes.push({ ...ids, status, reason, smtpResponse: a.response, at });
    }
  }
  // A duplicate cannot come from this run (it held the claim); were it there, the first outcome stands.
  await recordOutcomes(deps, campaignId, outcomes, run, at);
  if (retryable.length) await deliveryQueries.release(deps.models, retryable);
}

async function suppressDead(deps: SendDeps, campaignId: Types.ObjectId, list: string, attempts: Attempt[]): Promise<void> {
  // A permanent refusal of the address itself (5xx at RCPT) means it is dead: suppress it. A 5xx for
  // the content (after DATA) says nothing about the address.
  const dead = attempts.filter((a) => a.kind === 'permanent' && a.addressRejected);
  for (const a of dead) {
    await deps.suppressions.suppress(a.recipient.emailHash, 'hard-bounce', a.response, String(campaignId));
  }
  await deps.ledger.recordMany(
    dead.map((a) => ({
      subscriberId: a.recipient.subscriberId,
      emailHash: a.recipient.emailHash,
      list,
      type: 'suppressed' as const,
      channel: 'bounce' as const,
      campaignId,
      note: `SMTP: ${a.response}`,
    })),
  );
}
