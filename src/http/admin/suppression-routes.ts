// The DPO reviews suppressions: why an address is never mailed (with the evidence of a bounce or
// complaint), and lifts a wrong one (a forged or misread report) with a reason, audited and in the
// consent ledger. An erasure tombstone is not theirs to lift (invariant 2).
import type { Router } from 'express';
import { caseSensitiveRouter } from '../router';
import { z } from 'zod';
import type { Container } from '../../container';
import { SUPPRESSION_REASONS } from '../../data/suppression.model';
import { hashEmail, normalizeEmail } from '../../domain/email-address';
import { actorOf, requireRole } from '../admin-auth';
import { parseOr400 } from '../validate';
import { isoDate, itemsOf, objectId } from './response-schemas';

export const searchQuery = z.strictObject({ email: z.string().min(1).max(512) });
export const idParam = z.strictObject({ id: z.string().regex(/^[0-9a-f]{24}$/, 'not an id') });
export const liftBody = z.strictObject({ reason: z.string().trim().min(1).max(2000) });

/** Why an address is never mailed, with the evidence the bounce or complaint carried. */
export const suppressionResponse = z.strictObject({
  id: objectId,
  reason: z.enum(SUPPRESSION_REASONS),
  detail: z.string().nullable(),
  campaignId: z.string().nullable(),
  evidence: z.strictObject({ inboundMessageId: z.string().optional(), status: z.string().optional(), diagnostic: z.string().optional(), matchedBy: z.string().optional() }).nullable(),
  since: isoDate,
  expiresAt: isoDate.nullable(),
  active: z.boolean(),
});
export const suppressionListResponse = itemsOf(suppressionResponse);
export const liftResponse = z.strictObject({ id: objectId, lifted: z.literal(true), reason: z.enum(SUPPRESSION_REASONS) });

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
