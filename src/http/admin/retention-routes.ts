// The retention sweeps' last runs for the DPO: when each ran, under which period, what it removed.
// Counts only, no personal data.
import { Router } from 'express';
import { z } from 'zod';
import type { Container } from '../../container';
import { requireRole } from '../admin-auth';
import { parseOr400 } from '../validate';
import { isoDate, itemsOf, objectId } from './response-schemas';
import { caseSensitiveRouter } from '../router';

export const runsQuery = z.strictObject({ limit: z.coerce.number().int().min(1).max(200).default(50) });

export const runsResponse = itemsOf(
  z.strictObject({
    id: objectId,
    sweep: z.string(),
    periodDays: z.number().int().nullable(),
    startedAt: isoDate,
    finishedAt: isoDate.nullish(),
    status: z.string(),
    /** What the sweep removed, by kind: each sweep names its own. */
    counts: z.record(z.string(), z.number().int()),
    error: z.string().nullish(),
  }),
);

export function retentionRoutes(c: Pick<Container, 'retention'>): Router {
  const router = caseSensitiveRouter();
  router.get('/retention/runs', requireRole('dpo'), async (req, res) => {
    const { limit } = parseOr400(runsQuery, req.query);
    const runs = await c.retention.lastRuns(limit);
    res.json({
      items: runs.map((r) => ({
        id: String(r._id),
        sweep: r.sweep,
        periodDays: r.periodDays ?? null,
        startedAt: r.startedAt,
        finishedAt: r.finishedAt,
        status: r.status,
        counts: r.counts ?? {},
        error: r.error,
      })),
    });
  });
  return router;
}
