// The mailbox poller for the DPO: what waits for a person (the review queue), how the poller is doing,
// and the suppressions its bounces and complaints leave (suppression-routes.ts).
import { Router } from 'express';
import { z } from 'zod';
import type { Container } from '../../container';
import { mailboxReport } from '../../mailbox/create-poller';
import { actorOf, requireRole } from '../admin-auth';
import { parseOr400 } from '../validate';
import { caseSensitiveRouter } from '../router';
import { suppressionRoutes } from './suppression-routes';

export const reviewQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(500).default(100),
  after: z.coerce.date().optional(),
});

export function mailboxRoutes(c: Pick<Container, 'models' | 'redis' | 'config' | 'clock' | 'audit' | 'suppressions' | 'ledger'>): Router {
  const router = caseSensitiveRouter();
  router.use(suppressionRoutes(c));
  const report = mailboxReport(c);

  router.get('/mailbox/review', requireRole('dpo'), async (req, res) => {
    const { limit, after } = parseOr400(reviewQuery, req.query);
    const items = await report.reviewQueue({ limit, after });
    // Senders and subjects are personal data: reading the queue is recorded.
    await c.audit.record(actorOf(req), 'mailbox.review.read', undefined, { count: items.length });
    res.json({ items });
  });

  router.get('/metrics/mailbox', requireRole('dpo'), async (_req, res) => {
    res.json(await report.metrics());
  });
  return router;
}
