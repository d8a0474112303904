// One poll of the impro@impro.lv mailbox. Per message, in this order: record it (the unique
// dedupeKey and (mailbox, UIDVALIDITY:UID) decide whether it was seen before), apply its effects,
// then move it to Processed or Review. Whatever is recorded is never applied again: a UIDVALIDITY
// change meets the same Message-ID, a crash before the move meets the same record. An error on one
// message sends it to Review with the error and the poll goes on.
import { createHash } from 'node:crypto';
import type { Models } from '../data/models';
import { hashEmail, normalizeEmail } from '../domain/email-address';
import { isDuplicateKeyError } from '../errors';
import type { Logger } from '../logger';
import type { Classification } from './classification';
import type { EffectOutcome, EffectResult, MailboxEffects } from './effects';
import { PROCESSED_FOLDER, REVIEW_FOLDER, type Mailbox, type MailboxSession, type TargetFolder, type WaitingMessage } from './imap-mailbox';
import type { MailboxReport, PollSummary } from './mailbox-report';
import type { PollLease } from './poll-lease';

/** The raw message kept for the reviewer (retention removes it later); the classification outlives it. */
const RAW_KEEP_BYTES = 1024 * 1024;

type Outcome = EffectOutcome | 'received' | 'failed';
type InboundRecord = { _id: unknown; outcome: Outcome; classification: Classification; effects: string[]; receivedAt: Date };

export interface PollerDeps {
  models: Models;
  mailbox: Mailbox;
  classify: (raw: Buffer) => Promise<Classification>;
  effects: Pick<MailboxEffects, 'apply'>;
  report: Pick<MailboxReport, 'saveLastPoll'>;
  lease: PollLease;
  emailHashKey: string;
  /** Messages handled per poll at most; the rest wait for the next poll. */
  maxPerPoll: number;
  now: () => Date;
  logger: Logger;
}

export class MailboxPoller {
  constructor(private readonly deps: PollerDeps) {}

  /** Undefined when another poll of the same mailbox holds the lease. */
  async pollOnce(): Promise<PollSummary | undefined> {
    const { mailbox, lease, report, logger } = this.deps;
    return mailbox.session(async (session) => {
      const release = await lease.acquire(session.name);
      if (!release) return undefined;
      try {
        const summary = await this.pollSession(session);
        await report.saveLastPoll(summary);
        logger.info({ ...summary }, 'mailbox polled');
        return summary;
      } finally {
        await release();
      }
    });
  }

  private async pollSession(session: MailboxSession): Promise<PollSummary> {
    const summary: PollSummary = { mailbox: session.name, at: this.deps.now(), counts: {}, duplicates: 0, failed: 0, notMoved: 0, waiting: 0 };
    const waiting = await session.waiting();
    const left: WaitingMessage[] = waiting.slice(this.deps.maxPerPoll);
    for (const message of waiting.slice(0, this.deps.maxPerPoll)) {
      const moved = await this.handle(session, message, summary);
      if (!moved) left.push(message);
    }
    summary.waiting = left.length;
    const oldest = Math.min(...left.map((m) => m.receivedAt.getTime()));
    if (Number.isFinite(oldest)) summary.oldestWaitingAt = new Date(oldest);
    return summary;
  }

  /** True when the message left the folder. */
  private async handle(session: MailboxSession, message: WaitingMessage, summary: PollSummary): Promise<boolean> {
    const { logger } = this.deps;
    const uidKey = `${session.uidValidity}:${message.uid}`;
    let record: InboundRecord;
    let raw: Buffer | undefined;
    try {
      raw = await session.source(message.uid);
      if (!raw) return true; // expunged meanwhile by someone else
      record = await this.record(session.name, uidKey, raw, message.receivedAt, summary);
    } catch (err) {
      logger.error({ err, uidKey }, 'inbound message could not be recorded');
      summary.failed++;
      return this.recordFailureAndReview(session, message, uidKey, raw, err);
    }

    let outcome = record.outcome;
    if (outcome === 'received') {
      try {
        outcome = await this.applyEffects(record, raw, summary);
      } catch (err) {
        // The outcome could not be stored: the message stays, and the next poll resumes its effects.
        logger.error({ err, uidKey }, 'inbound message outcome not recorded');
        summary.failed++;
        return false;
      }
    }
    const folder: TargetFolder = outcome === 'applied' || outcome === 'ignored' ? PROCESSED_FOLDER : REVIEW_FOLDER;
    try {
      await session.move(message.uid, folder);
      await this.deps.models.inboundMessages.updateOne({ _id: record._id }, { $set: { movedTo: folder } });
      return true;
    } catch (err) {
      // Effects are recorded: the next poll finds the record and only moves the message.
      logger.warn({ err, uidKey, folder }, 'inbound message not moved');
      summary.notMoved++;
      return false;
    }
  }

  /** Inserts the record, or returns the one already there (same slot or same message). */
  private async record(mailbox: string, uidKey: string, raw: Buffer, receivedAt: Date, summary: PollSummary): Promise<InboundRecord> {
    const { models } = this.deps;
    const seen = await models.inboundMessages.findOne({ mailbox, uidKey }).lean<InboundRecord>();
    if (seen) return seen;
    const classification = await this.deps.classify(raw);
    const dedupeKey = dedupeKeyOf(classification, raw);
    try {
      const created = await models.inboundMessages.create({
        dedupeKey,
        messageId: classification.messageId,
        mailbox,
        uidKey,
        from: classification.from,
        fromHash: this.hashOf(classification.from),
        subject: classification.subject,
        kind: classification.kind,
        classification,
        authentication: classification.authentication,
        outcome: 'received',
        raw: raw.subarray(0, RAW_KEEP_BYTES).toString('utf8'),
        receivedAt,
      });
      summary.counts[classification.kind] = (summary.counts[classification.kind] ?? 0) + 1;
      return created.toObject() as unknown as InboundRecord;
    } catch (err) {
      if (!isDuplicateKeyError(err)) throw err;
      const earlier = await models.inboundMessages.findOne({ $or: [{ dedupeKey }, { mailbox, uidKey }] }).lean<InboundRecord>();
      if (!earlier) throw err;
      summary.duplicates++;
      return earlier;
    }
  }

  private async applyEffects(record: InboundRecord, raw: Buffer, summary: PollSummary): Promise<Outcome> {
    const { models, effects, logger } = this.deps;
    let result: EffectResult | { outcome: 'failed'; error: string };
    try {
      result = await effects.apply({
        id: String(record._id),
        raw,
        classification: record.classification,
        receivedAt: record.receivedAt,
        effectsDone: record.effects ?? [],
      });
    } catch (err) {
      logger.error({ err, inbound: String(record._id) }, 'inbound message effects failed');
      summary.failed++;
      result = { outcome: 'failed', error: errorText(err) };
    }
    await models.inboundMessages.updateOne({ _id: record._id }, { $set: result });
    return result.outcome;
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
      await this.deps.models.inboundMessages.updateOne(
        { mailbox: session.name, uidKey },
        {
          $setOnInsert: {
            dedupeKey: `failed:${session.name}:${uidKey}`,
            receivedAt: message.receivedAt,
            raw: raw?.subarray(0, RAW_KEEP_BYTES).toString('utf8'),
          },
          $set: { outcome: 'failed', error: errorText(err), movedTo: REVIEW_FOLDER },
        },
        { upsert: true },
      );
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

/** Message-ID when there is one; otherwise the same bytes are the same message. */
export function dedupeKeyOf(classification: Classification, raw: Buffer): string {
  const messageId = classification.messageId?.trim();
  if (messageId) return `mid:${messageId.slice(0, 900)}`;
  return `sha256:${createHash('sha256').update(raw).digest('hex')}`;
}

function errorText(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).slice(0, 1000);
}
