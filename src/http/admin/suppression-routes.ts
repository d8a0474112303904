// The DPO reviews suppressions: why an address is never mailed (with the evidence of a bounce or
// complaint), and lifts a wrong one (a forged or misread report) with a reason, audited and in the
// consent ledger. An erasure tombstone is not theirs to lift (invariant 2).
import type { Router } from 'express';
import { caseSensitiveRouter } from '../router';
import { z } from 'zod';
import type { Container } from '../../container';
import { hashEmail, normalizeEmail } from '../../domain/email-address';
import { actorOf, requireRole } from '../admin-auth';
import { parseOr400 } from '../validate';

export const searchQuery = z.strictObject({ email: z.string().min(1).max(512) });
export const idParam = z.strictObject({ id: z.string().regex(/^[0-9a-f]{24}$/, 'not an id') });
export const liftBody = z.strictObject({ reason: z.string().trim().min(1).max(2000) });

export function suppressionRoutes(c: Pick<Container, 'suppressions' | 'ledger' | 'audit' | 'config'>): Router {
  const router = caseSensitiveRouter();
  const dpo = requireRole('dpo');

  router.get('/suppressions', dpo, async (req, res) => {
    const { email } = parseOr400(searchQuery, req.query);
    const emailHash = hashEmail(normalizeEmail(email), c.config.emailHashKey);
    const items = await c.suppressions.forAddress(emailHash);
    await c.audit.record(actorOf(req), 'suppression.search', items.map((i) => i.id).join(',') || undefined, { found: items.length });
    res.json({ items });
  });

  router.delete('/suppressions/:id', dpo, async (req, res) => {
    const { id } = parseOr400(idParam, req.params);
    const { reason } = parseOr400(liftBody, req.body ?? {});
    const actor = actorOf(req);
    const lifted = await c.suppressions.lift(id, { reason, actor: actor.sub }, c.ledger);
    await c.audit.record(actor, 'suppression.lift', id, { reason: lifted.reason, why: reason });
    res.json({ id, lifted: true, reason: lifted.reason });
  });

  return router;
}
