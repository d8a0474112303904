// The send worker's domain: one batch of a campaign's recipients.
//
// Consent is read at send time, for the whole batch in three queries: subscription state on the
// campaign's list, the subscriber (restriction, address) and suppressions (invariants 1, 2). Each
// delivery is then claimed by inserting (campaign, subscriber) into the unique index before SMTP;
// only the inserter sends, so neither a retry, a stalled job run twice nor a second worker sends a
// copy (invariant 3; FerretDB's updates are not isolated, its unique index is). A claim whose worker
// died is never resent: we cannot know whether it went out, and for a newsletter at most once is the
// promise. It is recorded as ambiguous.
import { Types, type AnyBulkWriteOperation } from 'mongoose';
import type { Container } from '../container';
import type { DeliveryState } from '../data/delivery.model';
import { isDuplicateKeyError } from '../errors';
import { campaignMail, type CampaignMailSettings, type CampaignRecipient } from '../mail/campaign-mail';
import type { CompiledCampaign } from '../mail/campaign-renderer';
import { classifySmtpError } from '../mail/mailer';
import type { SendPacer } from '../mail/send-pacer';
import type { SendBatchJob } from '../queues/campaign-jobs';
import { completeIfDone, markBatchDone } from './campaign-progress';

export type SendDeps = Pick<Container, 'models' | 'mailer' | 'listHeaders' | 'suppressions' | 'ledger'> & {
  now: () => Date;
  pacer: SendPacer;
  settings: CampaignMailSettings & { smtpPoolSize: number };
};

export interface SendRun {
  batchJobId: string;
  /** Unique per run of the job (the BullMQ lock token): tells this run's claims from a dead run's. */
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
}

interface ClaimedRecipient extends Recipient {
  deliveryId: Types.ObjectId;
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
  const campaign = await deps.models.campaigns.findById(campaignId, { status: 1, list: 1, subject: 1, html: 1, text: 1 }).lean();
  if (!campaign || (campaign.status !== 'sending' && campaign.status !== 'paused')) return { state: 'stopped' };
  if (campaign.status === 'paused') return { state: 'paused' };
  const compiled: CompiledCampaign = { subject: campaign.subject, html: campaign.html, text: campaign.text };

  const { eligible, skipped } = await readRecipients(deps, campaign.list, job.subscriberIds);
  await recordSkips(deps, campaignId, skipped);

  const tally = { sent: 0, skipped: skipped.length, failed: 0, ambiguous: 0 };
  let temporaryFailures = 0;
  let checkedAt = Date.now();
  const chunkSize = deps.pacer.chunkSize(CLAIM_CHUNK);
  for (let i = 0; i < eligible.length; i += chunkSize) {
    if (Date.now() - checkedAt >= STATUS_RECHECK_MS) {
      const now = await deps.models.campaigns.findById(campaignId, { status: 1 }).lean();
      checkedAt = Date.now();
      if (now?.status === 'paused') return { state: 'paused' };
      if (now?.status !== 'sending') return { state: 'stopped' };
    }
    const chunk = eligible.slice(i, i + chunkSize);
    await deps.pacer.take(chunk.length);
    const mine = await claim(deps, campaignId, chunk, run.runId);
    const attempts = await mapConcurrently(mine, deps.settings.smtpPoolSize * 2, (recipient) =>
      attemptSend(deps, { campaignId: job.campaignId, list: campaign.list, compiled, recipient }),
    );
    await recordAttempts(deps, campaignId, campaign.list, attempts, run);
    for (const a of attempts) {
      if (a.kind === 'sent') tally.sent++;
      else if (a.kind === 'ambiguous') tally.ambiguous++;
      else if (a.kind === 'temporary' && !run.finalAttempt) temporaryFailures++;
      else tally.failed++;
    }
  }
  tally.ambiguous += await abandonOrphanedClaims(deps, campaignId, job.subscriberIds, run.runId);
  if (temporaryFailures > 0) return { state: 'retry', temporaryFailures };
  await markBatchDone(deps, run.batchJobId);
  await completeIfDone(deps, job.campaignId);
  return { state: 'done', ...tally };
}

/** Three queries for the whole batch, never one per recipient. */
async function readRecipients(deps: SendDeps, list: string, subscriberIds: string[]) {
  const ids = subscriberIds.map((id) => new Types.ObjectId(id));
  const [subscriptions, subscribers] = await Promise.all([
    deps.models.subscriptions.find({ list, subscriberId: { $in: ids } }, { subscriberId: 1, status: 1 }).lean(),
    deps.models.subscribers.find({ _id: { $in: ids } }, { email: 1, name: 1, restricted: 1, emailHash: 1 }).lean(),
  ]);
  const suppressed = await deps.suppressions.suppressedAmong(subscribers.map((s) => s.emailHash));
  const active = new Set(subscriptions.filter((s) => s.status === 'active').map((s) => String(s.subscriberId)));
  const byId = new Map(subscribers.map((s) => [String(s._id), s]));

  const eligible: Recipient[] = [];
  const skipped: Array<{ subscriberId: string; reason: SkipReason }> = [];
  for (const subscriberId of subscriberIds) {
    const s = byId.get(subscriberId);
    const reason: SkipReason | undefined = !s
      ? 'unknown'
      : suppressed.has(s.emailHash)
        ? 'suppressed'
        : s.restricted
          ? 'restricted'
          : !active.has(subscriberId)
            ? 'not-active'
            : undefined;
    if (reason || !s) skipped.push({ subscriberId, reason: reason ?? 'unknown' });
    else eligible.push({ subscriberId, email: s.email, name: s.name ?? '', emailHash: s.emailHash });
  }
  return { eligible, skipped };
}

async function recordSkips(deps: SendDeps, campaignId: Types.ObjectId, skipped: Array<{ subscriberId: string; reason: SkipReason }>) {
  const at = deps.now();
  const docs = skipped.map((s) => ({ campaignId, subscriberId: new Types.ObjectId(s.subscriberId), status: 'skipped' as DeliveryState, reason: s.reason, at }));
  // A re-run finds its earlier skips already recorded; the duplicates change nothing.
  await insertIgnoringDuplicates(deps, docs);
}

/**
 * Inserts the claims; returns the recipients whose claim this run won, with the delivery _id the
 * outcome is written to (a primary-key update: FerretDB scans the collection for any other filter).
 */
async function claim(deps: SendDeps, campaignId: Types.ObjectId, recipients: Recipient[], runId: string): Promise<ClaimedRecipient[]> {
  if (recipients.length === 0) return [];
  const at = deps.now();
  const claimed = recipients.map((r) => ({ ...r, deliveryId: new Types.ObjectId() }));
  const docs = claimed.map((r) => ({ _id: r.deliveryId, campaignId, subscriberId: new Types.ObjectId(r.subscriberId), status: 'claimed' as DeliveryState, claimedBy: runId, at }));
  const lost = await insertIgnoringDuplicates(deps, docs);
  return claimed.filter((_r, i) => !lost.has(i));
}

/** insertMany, unordered; returns the indexes that already existed. Any other error is thrown. */
async function insertIgnoringDuplicates(deps: SendDeps, docs: object[]): Promise<Set<number>> {
  if (docs.length === 0) return new Set();
  try {
    await deps.models.deliveries.collection.insertMany(docs, { ordered: false });
    return new Set();
  } catch (err) {
    const writeErrors = ([] as Array<{ index: number; code?: number }>).concat((err as { writeErrors?: never }).writeErrors ?? []);
    if (writeErrors.length === 0 || !writeErrors.every((e) => isDuplicateKeyError(e))) throw err;
    return new Set(writeErrors.map((e) => e.index));
  }
}

async function attemptSend(
  deps: SendDeps,
  input: { campaignId: string; list: string; compiled: CompiledCampaign; recipient: ClaimedRecipient },
): Promise<Attempt> {
  const { recipient } = input;
  try {
    const info = await deps.mailer.send(campaignMail({ listHeaders: deps.listHeaders, settings: deps.settings }, input));
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

async function recordAttempts(deps: SendDeps, campaignId: Types.ObjectId, list: string, attempts: Attempt[], run: SendRun): Promise<void> {
  if (attempts.length === 0) return;
  const at = deps.now();
  const ops: AnyBulkWriteOperation[] = attempts.map((a) => {
    // Only this run's own claim is touched: a stale run can never overwrite another run's outcome.
    const filter = { _id: a.recipient.deliveryId, claimedBy: run.runId };
    if (a.kind === 'sent') return { updateOne: { filter, update: { $set: { status: 'sent', messageId: a.messageId, smtpResponse: a.response, at } } } };
    if (a.kind === 'temporary' && !run.finalAttempt) return { deleteOne: { filter: { ...filter, status: 'claimed' } } };
    const [status, reason] =
      a.kind === 'ambiguous' ? ['ambiguous', 'connection-lost'] : a.kind === 'temporary' ? ['failed', 'retries-exhausted'] : ['failed', 'rejected'];
    return { updateOne: { filter, update: { $set: { status, reason, smtpResponse: a.response, at } } } };
  });
  await deps.models.deliveries.collection.bulkWrite(ops as never, { ordered: false });

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

/**
 * Claims of this batch still held by an earlier run of the job: that run died (or froze past its
 * lock) between claiming and recording. Marked ambiguous and never resent; should the frozen run
 * wake up and finish, its own outcome overwrites this.
 */
async function abandonOrphanedClaims(deps: SendDeps, campaignId: Types.ObjectId, subscriberIds: string[], runId: string): Promise<number> {
  const result = await deps.models.deliveries.collection.updateMany(
    { campaignId, subscriberId: { $in: subscriberIds.map((id) => new Types.ObjectId(id)) }, status: 'claimed', claimedBy: { $ne: runId } },
    { $set: { status: 'ambiguous', reason: 'worker-lost' } },
  );
  return result.modifiedCount;
}

async function mapConcurrently<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const lanes = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i]!);
    }
  });
  await Promise.all(lanes);
  return results;
}
