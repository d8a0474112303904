// The mailbox poller for the DPO: what waits for a person (the review queue), one message read as
// text, the DPO's decision on it, how the poller is doing, and the suppressions its bounces and
// complaints leave (suppression-routes.ts). Senders and bodies are personal data: every read is audited.
import { Router } from 'express';
import { z } from 'zod';
import type { Container } from '../../container';
import { INBOUND_OUTCOMES } from '../../data/inbound-message.model';
import { createMailboxEffects, mailboxReport } from '../../mailbox/create-poller';
import { OwnAddresses } from '../../mailbox/loop-guard';
import { MailboxReview, REVIEW_KINDS } from '../../mailbox/mailbox-review';
import { actorOf, requireRole } from '../admin-auth';
import { parseOr400 } from '../validate';
import { caseSensitiveRouter } from '../router';
import { isoDate, itemsOf, objectId } from './response-schemas';
import { suppressionRoutes } from './suppression-routes';

export const reviewQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(500).default(100),
  after: z.coerce.date().optional(),
});

export const messageIdParam = z.strictObject({ id: z.string().regex(/^[0-9a-f]{24}$/, 'not an id') });
export const decisionBody = z.strictObject({ kind: z.enum(REVIEW_KINDS) });

/** The classifier's guess on a message, with its confidence and the phrase that decided it. */
export const guessResponse = z
  .strictObject({
    kind: z.string(),
    confidence: z.number().nullable(),
    evidence: z.string().nullable(),
    reason: z.string().nullable(),
    recipient: z.string().nullable(),
    status: z.string().nullable(),
    permanent: z.boolean().nullable(),
    timedOut: z.boolean(),
  })
  .nullable();
export const reviewQueueResponse = itemsOf(
  z.strictObject({
    id: objectId,
    receivedAt: isoDate,
    from: z.string().optional(),
    subject: z.string().optional(),
    kind: z.string().optional(),
    outcome: z.enum(INBOUND_OUTCOMES),
    note: z.string().optional(),
    error: z.string().optional(),
    // Open-ended on purpose: the SPF/DKIM/DMARC results as the receiving server reported them.
    authentication: z.unknown().optional(),
    movedTo: z.string().optional(),
    guess: guessResponse,
  }),
);
export const messageResponse = z.strictObject({
  id: objectId,
  receivedAt: isoDate,
  from: z.string().nullable(),
  to: z.string().nullable(),
  date: z.string().nullable(),
  subject: z.string().nullable(),
  text: z.string().nullable(),
  rawKept: z.boolean(),
  outcome: z.enum(INBOUND_OUTCOMES),
  note: z.string().nullable(),
  error: z.string().nullable(),
  guess: guessResponse,
  decision: z.strictObject({ kind: z.string(), actor: z.string(), at: isoDate }).nullable(),
});
export const decisionResponse = z.strictObject({
  id: objectId,
  kind: z.enum(REVIEW_KINDS),
  outcome: z.enum(['applied', 'ignored', 'review']),
  note: z.string().nullable(),
  decidedBy: z.string().nullable(),
  decidedAt: isoDate.nullable(),
  repeated: z.boolean(),
});

const counts = z.record(z.string(), z.number().int());
export const mailboxMetricsResponse = z.strictObject({
  // Loose on purpose: the poller's own summary of its last run, read back as it stored it in Redis.
  lastPoll: z.looseObject({ mailbox: z.string(), at: isoDate, counts, duplicates: z.number().int(), failed: z.number().int(), notMoved: z.number().int(), kept: z.number().int() }).nullable(),
  reviewSize: z.number().int(),
  keptInInbox: z.number().int(),
  oldestUnprocessedAgeMs: z.number().nullable(),
  /** Kind (or `unknown`) → messages. */
  totalsByKind: counts,
  oldestReviewAt: isoDate.nullable(),
  oldestReviewAgeMs: z.number().nullable(),
  byDay: z.array(z.strictObject({ day: z.iso.date(), counts })),
});

export function mailboxRoutes(c: Container): Router {
  const router = caseSensitiveRouter();
  router.use(suppressionRoutes(c));
  const report = mailboxReport(c);
  const logger = c.logger.child({ component: 'mailbox-review' });
  const own = new OwnAddresses(c.config);
  const review = new MailboxReview({ models: c.models, effects: createMailboxEffects(c, logger, own), own, now: () => c.clock.now(), logger });

  router.get('/mailbox/review', requireRole('dpo'), async (req, res) => {
    const { limit, after } = parseOr400(reviewQuery, req.query);
    const items = await report.reviewQueue({ limit, after });
    // Senders and subjects are personal data: reading the queue is recorded.
    await c.audit.record(actorOf(req), 'mailbox.review.read', undefined, { count: items.length });
    res.json({ items });
  });

  router.get('/mailbox/messages/:id', requireRole('dpo'), async (req, res) => {
    const { id } = parseOr400(messageIdParam, req.params);
    const message = await review.read(id);
    await c.audit.record(actorOf(req), 'mailbox.message.read', id);
    res.json(message);
  });

  router.post('/mailbox/messages/:id/decision', requireRole('dpo'), async (req, res) => {
    const { id } = parseOr400(messageIdParam, req.params);
    const { kind } = parseOr400(decisionBody, req.body ?? {});
    const actor = actorOf(req);
    const decision = await review.decide(id, kind, actor.sub);
    await c.audit.record(actor, 'mailbox.review.decide', id, { kind, outcome: decision.outcome, repeated: decision.repeated, note: decision.note });
    res.json(decision);
  });

  router.get('/metrics/mailbox', requireRole('dpo'), async (_req, res) => {
    res.json(await report.metrics());
  });
  return router;
}
