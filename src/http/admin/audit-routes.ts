import { Router } from 'express';
import { z } from 'zod';
import type { Container } from '../../container';
import { actorOf, requireRole } from '../admin-auth';
import { parseOr400 } from '../validate';
import { caseSensitiveRouter } from '../router';

export const query = z.object({
  limit: z.coerce.number().int().min(1).max(500).default(100),
  before: z.coerce.date().optional(),
});

export function auditRoutes(c: Pick<Container, 'audit'>): Router {
  const router = caseSensitiveRouter();
  router.get('/audit', requireRole('dpo'), async (req, res) => {
    const { limit, before } = parseOr400(query, req.query);
    const entries = await c.audit.list({ limit, before });
    // The trail names staff and targets: reading it is itself recorded.
    await c.audit.record(actorOf(req), 'audit.read', undefined, { count: entries.length });
    res.json({
      items: entries.map((e) => ({
        id: String(e._id),
        actor: e.actor,
        role: e.role,
        action: e.action,
        target: e.target,
        ip: e.ip,
        at: e.at,
        details: e.details,
      })),
    });
  });
  return router;
}
