// One poll of the impro@impro.lv mailbox. Per message, in this order: record it from its raw bytes
// and a cheap header read (the unique dedupeKey and (mailbox, UIDVALIDITY:UID) decide whether it was
// seen before), classify it, decide, apply its effects, then move it. A message that hangs or breaks
// the classifier is therefore on record before it can do harm, and goes to Review with the reason.
//
// Where a message ends: Processed (MAILBOX_PROCESSED_FOLDER) when the poller acted on it; Review
// when a person must decide (low confidence, an unproven bounce or complaint, a timeout, a failure);
// the inbox, untouched, when it is ordinary mail for a person (a question about a trip). Whatever is
// recorded is never applied again: a UIDVALIDITY change meets the same Message-ID, a crash before the
// move meets the same record, a message left in the inbox is passed by.
import { createHash } from 'node:crypto';
import type { Types } from 'mongoose';
import type { Models } from '../data/models';
import { inboundMessageQueries } from '../data/inbound-message.queries';
import { hashEmail, normalizeEmail } from '../domain/email-address';
import { isDuplicateKeyError } from '../errors';
import type { Logger } from '../logger';
import { REVIEW_CONFIDENCE, extractAddresses, headerValue, type Classification, type MailKind } from './classification';
import type { EffectOutcome, EffectResult, MailboxEffects } from './effects';
import { REVIEW_FOLDER, type Mailbox, type MailboxSession, type TargetFolder, type WaitingMessage } from './imap-mailbox';
import { topHeaders } from './loop-guard';
import type { MailboxReport, PollSummary } from './mailbox-report';
import type { PollLease } from './poll-lease';

/** The raw message kept for the reviewer (retention removes it later); the classification outlives it. */
const RAW_KEEP_BYTES = 1024 * 1024;
const REQUEST_KINDS: ReadonlySet<MailKind> = new Set(['access', 'rectification', 'erasure', 'restriction', 'withdrawal']);

type Outcome = EffectOutcome | 'received' | 'failed' | 'kept';
type InboundRecord = {
  _id: Types.ObjectId;
  outcome: Outcome;
  classification?: Classification;
  classifyStartedAt?: Date;
  effects: string[];
  receivedAt: Date;
  leftInInbox?: boolean;
};

export type Classify = (raw: Buffer) => Promise<Classification>;

export interface PollerDeps {
  models: Models;
  mailbox: Mailbox;
  /** BOUNCE_IMAP_URL: the mailbox of the VERP bounce address, when it is not the main one. */
  bounceMailbox?: Mailbox;
  classify: Classify;
  effects: Pick<MailboxEffects, 'apply'>;
  report: Pick<MailboxReport, 'saveLastPoll'>;
  lease: PollLease;
  emailHashKey: string;
  /** Messages handled per poll at most; the rest wait for the next poll. */
  maxPerPoll: number;
  /** MAILBOX_PROCESSED_FOLDER: where messages the poller acted on go. */
  processedFolder: TargetFolder;
  /** A classification still pending after this long goes to Review as a timeout. */
  classifyTimeoutMs: number;
  now: () => Date;
  logger: Logger;
}

/** What the poller does with a classification, before any effect. */
export type Triage = { review: string } | { keep: string } | { act: true; keepAfter: boolean };

export function triage(c: Classification): Triage {
  if (c.timedOut) return { review: `timeout: ${c.reason ?? 'classification did not finish in time'}` };
  if (c.error) return { review: `classification failed: ${c.error}` };
  // Nothing for the poller to do: a person's mail, left where a person reads it.
  if (c.kind === 'other') return { keep: 'ordinary mail for a person' };
  const confidence = c.confidence ?? 1;
  if (confidence < REVIEW_CONFIDENCE) {
    return { review: `low confidence (${confidence.toFixed(2)}) for ${c.kind}${c.evidence ? `: "${c.evidence.slice(0, 200)}"` : ''}` };
  }
  const question = c.asksQuestion === true;
  // A reply to our newsletter with a question is a customer writing to the agency, not a request.
  if (question && c.replyToOurMail && REQUEST_KINDS.has(c.kind)) return { keep: `a question in reply to our mail (read as ${c.kind})` };
  // An unsubscribe is honoured at once; a question next to it still waits for a person.
  return { act: true, keepAfter: question && c.kind === 'unsubscribe' };
}

class ClassifyTimeout extends Error {}

type Handled = 'moved' | 'kept' | 'waiting';

export class MailboxPoller {
  constructor(private readonly deps: PollerDeps) {}

  /** Undefined when another poll holds the lease of every mailbox. */
  async pollOnce(): Promise<PollSummary | undefined> {
    const { mailbox, bounceMailbox, report, logger } = this.deps;
    const summaries: PollSummary[] = [];
    for (const box of bounceMailbox ? [mailbox, bounceMailbox] : [mailbox]) {
      const summary = await this.pollMailbox(box);
      if (summary) summaries.push(summary);
    }
    if (summaries.length === 0) return undefined;
    const summary = summaries.reduce(mergeSummaries);
    await report.saveLastPoll(summary);
    logger.info({ ...summary }, 'mailbox polled');
    return summary;
  }

  private async pollMailbox(mailbox: Mailbox): Promise<PollSummary | undefined> {
    return mailbox.session(async (session) => {
      const release = await this.deps.lease.acquire(session.name);
      if (!release) return undefined;
      try {
        return await this.pollSession(session);
      } finally {
        await release();
      }
    });
  }

  private async pollSession(session: MailboxSession): Promise<PollSummary> {
    const summary: PollSummary = {
      mailbox: session.name,
      at: this.deps.now(),
      counts: {},
      duplicates: 0,
      failed: 0,
      notMoved: 0,
      kept: 0,
      timedOut: 0,
      matchedByRecentDelivery: 0,
      waiting: 0,
    };
    const waiting = await session.waiting();
    const forPerson = await this.leftForPerson(session, waiting);
    const left: WaitingMessage[] = [];
    let handled = 0;
    for (const message of waiting) {
      // Messages left for a person are passed by without a fetch, and do not use up the poll's budget.
      if (forPerson.has(message.uid)) continue;
      if (handled++ >= this.deps.maxPerPoll) {
        left.push(message);
        continue;
      }
      const result = await this.handle(session, message, summary);
      if (result === 'waiting') left.push(message);
    }
    summary.waiting = left.length;
    const oldest = Math.min(...left.map((m) => m.receivedAt.getTime()));
    if (Number.isFinite(oldest)) summary.oldestWaitingAt = new Date(oldest);
    return summary;
  }

  /**
   * Of the waiting UIDs, those left in the inbox for a person: one query on the (mailbox, uidKey)
   * index by the slots now in the inbox, not by every message ever left there.
   */
  private async leftForPerson(session: MailboxSession, waiting: WaitingMessage[]): Promise<Set<number>> {
    if (waiting.length === 0) return new Set();
    const prefix = `${session.uidValidity}:`;
    const docs = await inboundMessageQueries.leftInInboxAmong(this.deps.models, session.name, waiting.map((m) => `${prefix}${m.uid}`)).lean();
    return new Set(docs.map((d) => Number(d.uidKey.slice(prefix.length))));
  }

  private async handle(session: MailboxSession, message: WaitingMessage, summary: PollSummary): Promise<Handled> {
    const { logger, models } = this.deps;
    const uidKey = `${session.uidValidity}:${message.uid}`;
    let record: InboundRecord;
    let raw: Buffer | undefined;
    try {
      raw = await session.source(message.uid);
      if (!raw) return 'moved'; // expunged meanwhile by someone else
      record = await this.record(session.name, uidKey, raw, message.receivedAt, summary);
    } catch (err) {
      logger.error({ err, uidKey }, 'inbound message could not be recorded');
      summary.failed++;
      return (await this.recordFailureAndReview(session, message, uidKey, raw, err)) ? 'moved' : 'waiting';
    }

    if (record.leftInInbox) {
      // Another copy (or a new UID) of a message left for a person: it stays too, and later polls pass this slot by.
      await this.keepSlot(session.name, uidKey, message.receivedAt, record);
      return 'kept';
    }

    let outcome = record.outcome;
    let leftInInbox = false;
    if (outcome === 'received') {
      try {
        ({ outcome, leftInInbox } = await this.decide(record, raw, summary));
      } catch (err) {
        // The outcome could not be stored: the message stays, and the next poll resumes it.
        logger.error({ err, uidKey }, 'inbound message outcome not recorded');
        summary.failed++;
        return 'waiting';
      }
    }
    if (leftInInbox) {
      summary.kept++;
      return 'kept';
    }
    const folder: TargetFolder = outcome === 'applied' || outcome === 'ignored' ? this.deps.processedFolder : REVIEW_FOLDER;
    try {
      await session.move(message.uid, folder);
      await inboundMessageQueries.markMoved(models, record._id, folder);
      return 'moved';
    } catch (err) {
      // Effects are recorded: the next poll finds the record and only moves the message.
      logger.warn({ err, uidKey, folder }, 'inbound message not moved');
      summary.notMoved++;
      return 'waiting';
    }
  }

  /**
   * Inserts the record from the raw bytes and what a cheap header read gives (nothing here runs the
   * classifier), or returns the one already there (same slot or same message).
   */
  private async record(mailbox: string, uidKey: string, raw: Buffer, receivedAt: Date, summary: PollSummary): Promise<InboundRecord> {
    const { models } = this.deps;
    const seen = await inboundMessageQueries.inSlot(models, mailbox, uidKey).lean<InboundRecord>();
    if (seen) return seen;
    const headers = topHeaders(raw);
    const messageId = messageIdOf(headerValue(headers, 'message-id'));
    const from = firstAddress(headerValue(headers, 'from'));
    const dedupeKey = dedupeKeyOf(messageId, raw);
    try {
      const created = await models.inboundMessages.create({
        dedupeKey,
        messageId,
        mailbox,
        uidKey,
        from,
        fromHash: this.hashOf(from),
        subject: headerValue(headers, 'subject')?.slice(0, 500),
        outcome: 'received',
        raw: raw.subarray(0, RAW_KEEP_BYTES).toString('utf8'),
        receivedAt,
        receivedDay: dayOf(receivedAt),
      });
      return created.toObject() as unknown as InboundRecord;
    } catch (err) {
      if (!isDuplicateKeyError(err)) throw err;
      const earlier = await inboundMessageQueries.sameMessageOrSlot(models, dedupeKey, mailbox, uidKey).lean<InboundRecord>();
      if (!earlier) throw err;
      summary.duplicates++;
      return earlier;
    }
  }

  /** Classifies a recorded message (once), then triages it and applies its effects. */
  private async decide(record: InboundRecord, raw: Buffer, summary: PollSummary): Promise<{ outcome: Outcome; leftInInbox: boolean }> {
    const { models, effects, logger } = this.deps;
    const classification = record.classification ?? (await this.classifyRecorded(record, raw, summary));
    if (!classification) return this.decidedMeanwhile(record);
    const verdict = triage(classification);
    let result: (EffectResult | { outcome: 'failed'; error: string } | { outcome: 'review' | 'kept'; note: string }) & { leftInInbox?: boolean };
    if ('review' in verdict) {
      result = { outcome: 'review', note: verdict.review };
    } else if ('keep' in verdict) {
      result = { outcome: 'kept', note: verdict.keep, leftInInbox: true };
    } else {
      try {
        const applied = await effects.apply({
          id: String(record._id),
          raw,
          classification,
          receivedAt: record.receivedAt,
          effectsDone: record.effects ?? [],
        });
        if (applied.matchedBy === 'recent-delivery') summary.matchedByRecentDelivery++;
        result = { ...applied, ...(verdict.keepAfter && applied.outcome === 'applied' ? { leftInInbox: true } : {}) };
      } catch (err) {
        logger.error({ err, inbound: String(record._id) }, 'inbound message effects failed');
        summary.failed++;
        result = { outcome: 'failed', error: errorText(err) };
      }
    }
    // Guarded: a poller that was given up on (hung, then woken) must not overwrite what a later one decided.
    const stored = await inboundMessageQueries.recordUndecided(models, record._id, result);
    if (stored.matchedCount === 0) return this.decidedMeanwhile(record);
    return { outcome: result.outcome, leftInInbox: result.leftInInbox === true };
  }

  private async decidedMeanwhile(record: InboundRecord): Promise<{ outcome: Outcome; leftInInbox: boolean }> {
    const decided = await inboundMessageQueries.decisionOf(this.deps.models, record._id).lean<{ outcome: Outcome; leftInInbox?: boolean }>();
    if (!decided) throw new Error('inbound record disappeared');
    return { outcome: decided.outcome, leftInInbox: decided.leftInInbox === true };
  }

  /**
   * The classification, stored on the record. An attempt that started and never finished (the process
   * hung on this message and was restarted) is not repeated: the message goes to Review as a timeout,
   * so one hostile mail cannot stop every poll after it. Undefined when another poller decided the
   * message while this one waited for its classifier (the woken poller then does nothing).
   */
  private async classifyRecorded(record: InboundRecord, raw: Buffer, summary: PollSummary): Promise<Classification | undefined> {
    const { models, now } = this.deps;
    let classification: Classification;
    if (record.classifyStartedAt) {
      classification = { kind: 'other', confidence: 0, timedOut: true, reason: 'an earlier classification of this message never finished' };
    } else {
      await inboundMessageQueries.markClassifying(models, record._id, now());
      classification = await this.classifyInTime(raw);
    }
    const from = classification.from;
    const stored = await inboundMessageQueries.recordUndecided(models, record._id, {
      classification,
      kind: classification.kind,
      ...(classification.messageId ? { messageId: classification.messageId } : {}),
      ...(from ? { from, fromHash: this.hashOf(from) } : {}),
      ...(classification.subject !== undefined ? { subject: classification.subject } : {}),
      ...(classification.authentication ? { authentication: classification.authentication } : {}),
      ...(classification.error ? { error: classification.error } : {}),
    });
    if (stored.matchedCount === 0) return undefined;
    if (classification.timedOut) summary.timedOut++;
    summary.counts[classification.kind] = (summary.counts[classification.kind] ?? 0) + 1;
    return classification;
  }

  /** The classifier's own budget bounds its work; this bounds the wait for it, whatever it does. */
  private async classifyInTime(raw: Buffer): Promise<Classification> {
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(() => reject(new ClassifyTimeout(`no classification after ${this.deps.classifyTimeoutMs} ms`)), this.deps.classifyTimeoutMs);
    });
    try {
      return await Promise.race([this.deps.classify(raw), deadline]);
    } catch (err) {
      if (err instanceof ClassifyTimeout) return { kind: 'other', confidence: 0, timedOut: true, reason: err.message };
      return { kind: 'other', confidence: 0, error: errorText(err) };
    } finally {
      clearTimeout(timer);
    }
  }

  private async keepSlot(mailbox: string, uidKey: string, receivedAt: Date, original: InboundRecord): Promise<void> {
    try {
      await this.deps.models.inboundMessages.create({
        dedupeKey: `slot:${mailbox}:${uidKey}`,
        mailbox,
        uidKey,
        outcome: 'kept',
        leftInInbox: true,
        note: `another copy of inbound message ${String(original._id)}, left in the inbox with it`,
        receivedAt,
      });
    } catch (err) {
      if (!isDuplicateKeyError(err)) throw err;
    }
  }

  /** A message we could not even record still reaches a person: a minimal record and the Review folder. */
  private async recordFailureAndReview(
    session: MailboxSession,
    message: WaitingMessage,
    uidKey: string,
    raw: Buffer | undefined,
    err: unknown,
  ): Promise<boolean> {
    try {
      await inboundMessageQueries.recordFailedSlot(this.deps.models, session.name, uidKey, {
        $setOnInsert: {
          dedupeKey: `failed:${session.name}:${uidKey}`,
          receivedAt: message.receivedAt,
          receivedDay: dayOf(message.receivedAt),
          raw: raw?.subarray(0, RAW_KEEP_BYTES).toString('utf8'),
        },
        $set: { outcome: 'failed', error: errorText(err), movedTo: REVIEW_FOLDER },
      });
      await session.move(message.uid, REVIEW_FOLDER);
      return true;
    } catch (again) {
      // The database or the connection is gone: leave the message where it is for the next poll.
      this.deps.logger.error({ err: again, uidKey }, 'inbound message left in place');
      return false;
    }
  }

  private hashOf(address: string | undefined): string | undefined {
    if (!address) return undefined;
    try {
      return hashEmail(normalizeEmail(address), this.deps.emailHashKey);
    } catch {
      return undefined;
    }
  }
}

/** One summary of a poll over the main and the bounce mailbox. */
function mergeSummaries(a: PollSummary, b: PollSummary): PollSummary {
  const counts = { ...a.counts };
  for (const [kind, n] of Object.entries(b.counts)) counts[kind] = (counts[kind] ?? 0) + n;
  const oldest = [a.oldestWaitingAt, b.oldestWaitingAt].filter((d): d is Date => d !== undefined).sort((x, y) => x.getTime() - y.getTime())[0];
  return {
    mailbox: `${a.mailbox}, ${b.mailbox}`,
    at: a.at,
    counts,
    duplicates: a.duplicates + b.duplicates,
    failed: a.failed + b.failed,
    notMoved: a.notMoved + b.notMoved,
    kept: a.kept + b.kept,
    timedOut: a.timedOut + b.timedOut,
    matchedByRecentDelivery: a.matchedByRecentDelivery + b.matchedByRecentDelivery,
    waiting: a.waiting + b.waiting,
    ...(oldest ? { oldestWaitingAt: oldest } : {}),
  };
}

/** Message-ID when there is one; otherwise the same bytes are the same message. */
export function dedupeKeyOf(messageId: string | undefined, raw: Buffer): string {
  if (messageId) return `mid:${messageId.slice(0, 900)}`;
  return `sha256:${createHash('sha256').update(raw).digest('hex')}`;
}

/** `<id@host>` from a Message-ID header, read without the classifier. */
function messageIdOf(value: string | undefined): string | undefined {
  if (!value) return undefined;
  const text = value.slice(0, 1000).trim();
  return (/<[^<>\s]+>/.exec(text)?.[0] ?? text) || undefined;
}

function firstAddress(value: string | undefined): string | undefined {
  // A header line is at most 998 characters (RFC 5322); the cap keeps the address scan linear in practice.
  return value ? extractAddresses(value.slice(0, 998))[0] : undefined;
}

/** The UTC day a message arrived, as the figures per day look it up. */
export function dayOf(date: Date): string | undefined {
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString().slice(0, 10);
}

function errorText(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).slice(0, 1000);
}
