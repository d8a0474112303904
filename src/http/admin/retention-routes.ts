// The retention sweeps' last runs for the DPO: when each ran, under which period, what it removed.
// Counts only, no personal data.
import { Router } from 'express';
import { z } from 'zod';
import type { Container } from '../../container';
import { requireRole } from '../admin-auth';
import { parseOr400 } from '../validate';
import { caseSensitiveRouter } from '../router';

export const runsQuery = z.strictObject({ limit: z.coerce.number().int().min(1).max(200).default(50) });

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
