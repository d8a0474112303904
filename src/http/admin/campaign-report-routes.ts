// A campaign's report (live progress while it sends): counts only, no person in them, so reading
// it is not an audited access to personal data.
import { Router } from 'express';
import { z } from 'zod';
import type { Container } from '../../container';
import { CAMPAIGN_STATES } from '../../data/campaign.model';
import { campaignReport } from '../../domain/campaigns/campaign-report';
import { requireRole } from '../admin-auth';
import { caseSensitiveRouter } from '../router';
import { parseOr400 } from '../validate';
import { campaignStatsResponse, idParam } from './campaign-routes';
import { isoDate, objectId } from './response-schemas';

const counts = z.record(z.string(), z.number().int());
export const reportResponse = z.strictObject({
  id: objectId,
  name: z.string(),
  list: z.string(),
  status: z.enum(CAMPAIGN_STATES),
  startedAt: isoDate.nullable(),
  finishedAt: isoDate.nullable(),
  stats: campaignStatsResponse,
  ratePerMinute: z.number().nullable(),
  secondsLeft: z.number().nullable(),
  feedback: z.strictObject({ hardBounces: z.number().int(), softBounces: z.number().int(), complaints: z.number().int() }),
  unsubscribes: z.strictObject({
    events: z.number().int(),
    people: z.number().int(),
    byChannel: counts,
    byList: counts,
    effectDelay: z.strictObject({ count: z.number().int(), medianMs: z.number(), maxMs: z.number() }).nullable(),
  }),
  tracking: z.strictObject({ opens: z.literal(false), clicks: z.literal(false) }),
});

export function campaignReportRoutes(c: Pick<Container, 'models' | 'clock'>): Router {
  const router = caseSensitiveRouter();
  router.get('/campaigns/:id/report', requireRole('marketer'), async (req, res) => {
    const { id } = parseOr400(idParam, req.params);
    res.set('Cache-Control', 'no-store').json(await campaignReport({ models: c.models, now: () => c.clock.now() }, id));
  });
  return router;
}
