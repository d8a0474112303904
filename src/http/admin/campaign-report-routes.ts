// A campaign's report (live progress while it sends): counts only, no person in them, so reading
// it is not an audited access to personal data.
import { Router } from 'express';
import type { Container } from '../../container';
import { campaignReport } from '../../domain/campaigns/campaign-report';
import { requireRole } from '../admin-auth';
import { caseSensitiveRouter } from '../router';
import { parseOr400 } from '../validate';
import { idParam } from './campaign-routes';

export function campaignReportRoutes(c: Pick<Container, 'models' | 'clock'>): Router {
  const router = caseSensitiveRouter();
  router.get('/campaigns/:id/report', requireRole('marketer'), async (req, res) => {
    const { id } = parseOr400(idParam, req.params);
    res.set('Cache-Control', 'no-store').json(await campaignReport({ models: c.models, now: () => c.clock.now() }, id));
  });
  return router;
}
