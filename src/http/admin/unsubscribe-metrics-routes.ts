import { Router } from 'express';
import { z } from 'zod';
import type { Container } from '../../container';
import { measureUnsubscribes } from '../../domain/consent/unsubscribe-metrics';
import { requireRole } from '../admin-auth';
import { caseSensitiveRouter } from '../router';
import { isoDate } from './response-schemas';

const count = z.number().int();
/** Channel → withdrawals: the channels are the ledger's and grow with it. */
const withdrawals = z.strictObject({ total: count, byChannel: z.record(z.string(), count) });
export const unsubscribeMetricsResponse = z.strictObject({
  at: isoDate,
  last24h: withdrawals,
  last7d: withdrawals,
  effectDelay: z.record(z.string(), z.strictObject({ count, medianMs: z.number(), maxMs: z.number() })),
});

// Counts and delays only, no person in them: reading them is not an audited access to personal data.
export function unsubscribeMetricsRoutes(c: Pick<Container, 'models' | 'clock'>): Router {
  const router = caseSensitiveRouter();
  router.get('/metrics/unsubscribe', requireRole('dpo'), async (_req, res) => {
    res.json(await measureUnsubscribes(c.models, c.clock.now()));
  });
  return router;
}
