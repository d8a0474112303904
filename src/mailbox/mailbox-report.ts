// What the mailbox poller shows the DPO: the last poll's counts per kind, the review queue, and how
// long the oldest message has waited. The last poll lives in Redis so the API process can read what
// the worker process saw.
import type { Redis } from 'ioredis';
import type { Models } from '../data/models';
import { inboundMessageQueries } from '../data/inbound-message.queries';
import type { Classification } from './classification';
import { guessOf } from './mailbox-review';
import { dayOf } from './poller';

export interface PollSummary {
  mailbox: string;
  at: Date;
  /** Newly recorded messages of this poll, per kind. */
  counts: Record<string, number>;
  /** Messages recorded before (UIDVALIDITY change, re-delivery, a move that failed last time). */
  duplicates: number;
  /** Messages whose recording or effects failed; they went to Review with the error. */
  failed: number;
  /** Messages whose effects are recorded but which could not be moved; the next poll moves them. */
  notMoved: number;
  /** Newly left in the inbox for a person (questions, ordinary mail); never counted as waiting. */
  kept: number;
  /** Classifications that ran out of time (or an attempt that never finished): sent to Review. */
  timedOut: number;
  /** Bounces proven only by a recent delivery to the address (the weakest proof we accept). */
  matchedByRecentDelivery: number;
  /** Messages still waiting to be handled after the poll (not those left for a person). */
  waiting: number;
  oldestWaitingAt?: Date;
}

/** What waits for a decision: the poller could not act on it (review) or failed. */
const REVIEW_OUTCOMES: Array<'review' | 'failed'> = ['review', 'failed'];
/**
 * The review queue also lists what the poller did not act on and left in the inbox for a person
 * (invariant 10): the DPO sees it beside the rest, marked `kept`, though nothing there needs them.
 */
const QUEUE_OUTCOMES: Array<'review' | 'failed' | 'kept'> = [...REVIEW_OUTCOMES, 'kept'];
/** The figures per day look back this far. */
export const FIGURE_DAYS = 30;
const DAY_MS = 86_400_000;

export class MailboxReport {
  constructor(private readonly deps: { models: Models; redis: Redis; prefix: string; now: () => Date }) {}

  private get lastPollKey(): string {
    return `${this.deps.prefix}:mailbox:last-poll`;
  }

  async saveLastPoll(summary: PollSummary): Promise<void> {
    await this.deps.redis.set(this.lastPollKey, JSON.stringify(summary));
  }

  async metrics() {
    const { models, redis, now } = this.deps;
    const [stored, reviewSize, keptInInbox, stuck, byKind, oldestReview, byDay] = await Promise.all([
      redis.get(this.lastPollKey),
      inboundMessageQueries.countWithOutcomes(models, REVIEW_OUTCOMES),
      inboundMessageQueries.countWithOutcome(models, 'kept'),
      // Recorded but never finished: a poller died in the middle of its effects.
      inboundMessageQueries.oldestWithOutcome(models, 'received').lean(),
      inboundMessageQueries.countsByKind(models),
      // (outcome, receivedAt): the oldest message a person has yet to decide.
      inboundMessageQueries.oldestWithOutcomes(models, REVIEW_OUTCOMES).lean(),
      this.perDay(),
    ]);
    const lastPoll = stored ? (JSON.parse(stored) as PollSummary) : undefined;
    const waitingSince = [lastPoll?.oldestWaitingAt, stuck?.receivedAt].filter(Boolean).map((d) => new Date(d!).getTime());
    return {
      lastPoll: lastPoll ?? null,
      reviewSize,
      keptInInbox,
      // null: never polled; 0: nothing waits.
      oldestUnprocessedAgeMs: waitingSince.length > 0 ? Math.max(0, now().getTime() - Math.min(...waitingSince)) : lastPoll ? 0 : null,
      totalsByKind: Object.fromEntries(byKind.map((k) => [k._id ?? 'unknown', k.count])),
      oldestReviewAt: oldestReview?.receivedAt ?? null,
      oldestReviewAgeMs: oldestReview ? Math.max(0, now().getTime() - new Date(oldestReview.receivedAt).getTime()) : null,
      byDay,
    };
  }

  /**
   * Messages per kind for each of the last FIGURE_DAYS days (UTC), oldest day first. One `$in` on the
   * receivedDay index, the shape the embedded FerretDB pushes down; the counting is done here.
   */
  async perDay(): Promise<Array<{ day: string; counts: Record<string, number> }>> {
    const today = this.deps.now().getTime();
    const days = Array.from({ length: FIGURE_DAYS }, (_, i) => dayOf(new Date(today - (FIGURE_DAYS - 1 - i) * DAY_MS))!);
    const docs = await inboundMessageQueries.kindsOnDays(this.deps.models, days).lean();
    const counts = new Map(days.map((d) => [d, {} as Record<string, number>]));
    for (const doc of docs) {
      const day = counts.get(doc.receivedDay ?? '');
      if (!day) continue;
      const kind = doc.kind ?? 'unclassified';
      day[kind] = (day[kind] ?? 0) + 1;
    }
    return days.map((day) => ({ day, counts: counts.get(day)! }));
  }

  /** Oldest first: a queue someone works through. */
  async reviewQueue(opts: { limit: number; after?: Date }) {
    const items = await inboundMessageQueries.reviewPage(this.deps.models, QUEUE_OUTCOMES, opts.limit, opts.after).lean();
    return items.map((m) => ({
      id: String(m._id),
      receivedAt: m.receivedAt,
      from: m.from,
      subject: m.subject,
      kind: m.kind,
      outcome: m.outcome,
      note: m.note,
      error: m.error,
      authentication: m.authentication,
      movedTo: m.movedTo,
      // The classifier's guess, with its confidence and the phrase that decided it.
      guess: guessOf(m.classification as Classification | undefined),
    }));
  }
}
