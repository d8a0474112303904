import { Router } from 'express';
import type { Container } from '../../container';
import { measureUnsubscribes } from '../../domain/consent/unsubscribe-metrics';
import { requireRole } from '../admin-auth';
import { caseSensitiveRouter } from '../router';

// Counts and delays only, no person in them: reading them is not an audited access to personal data.
export function unsubscribeMetricsRoutes(c: Pick<Container, 'models' | 'clock'>): Router {
  const router = caseSensitiveRouter();
  router.get('/metrics/unsubscribe', requireRole('dpo'), async (_req, res) => {
    res.json(await measureUnsubscribes(c.models, c.clock.now()));
  });
  return router;
}
