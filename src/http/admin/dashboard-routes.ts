// The dashboard's figures for marketers: counts per day only, no person in them, so reading them is
// not an audited access to personal data.
import { z } from 'zod';
import type { Container } from '../../container';
import { ACTIVITY_WINDOWS, dailyActivity } from '../../domain/consent/daily-activity';
import { requireRole } from '../admin-auth';
import { caseSensitiveRouter } from '../router';
import { parseOr400 } from '../validate';

export const activityQuery = z.strictObject({
  days: z
    .enum(ACTIVITY_WINDOWS.map(String) as ['30', '90'])
    .default('30')
    .transform((d) => Number(d) as (typeof ACTIVITY_WINDOWS)[number]),
});

const count = z.number().int();
export const activityResponse = z.strictObject({
  days: z.array(z.strictObject({ day: z.iso.date(), signups: count, confirmations: count, unsubscribes: count })),
});

export function dashboardRoutes(c: Pick<Container, 'models' | 'clock'>) {
  const router = caseSensitiveRouter();
  router.get('/dashboard/activity', requireRole('marketer'), async (req, res) => {
    const { days } = parseOr400(activityQuery, req.query);
    res.set('Cache-Control', 'no-store').json(await dailyActivity(c.models, c.clock.now(), days));
  });
  return router;
}
