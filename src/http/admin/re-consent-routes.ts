// Re-consent campaigns after a material policy change (src/domain/consent/re-consent.ts): start
// one, follow its progress, send its one reminder. Counts only in the answers; starting and
// reminding mail people, so both are audited.
import { Router } from 'express';
import { z } from 'zod';
import { RE_CONSENT_STATES } from '../../data/re-consent-campaign.model';
import type { Container } from '../../container';
import { DEFAULT_DEADLINE_DAYS } from '../../domain/consent/re-consent';
import { actorOf, requireRole } from '../admin-auth';
import { parseOr400 } from '../validate';
import { isoDate, itemsOf, objectId } from './response-schemas';
import { caseSensitiveRouter } from '../router';

export const startBody = z.strictObject({
  policyVersion: z.number().int().min(1),
  deadlineDays: z.number().int().min(7).max(180).default(DEFAULT_DEADLINE_DAYS),
});
export const campaignParam = z.strictObject({ id: z.string().regex(/^[0-9a-f]{24}$/, 'not an id') });

export const reConsentResponse = z.strictObject({
  id: objectId,
  policyVersion: z.number().int(),
  status: z.enum(RE_CONSENT_STATES),
  deadline: isoDate,
  startedAt: isoDate,
  author: z.string(),
  reminderAt: isoDate.optional(),
  closedAt: isoDate.optional(),
  progress: z.strictObject({ asked: z.number().int(), confirmed: z.number().int(), waiting: z.number().int(), lapsed: z.number().int(), reminded: z.number().int() }),
});
export const reConsentListResponse = itemsOf(reConsentResponse);

export function reConsentRoutes(c: Pick<Container, 'reConsent' | 'audit'>): Router {
  const router = caseSensitiveRouter();
  const dpo = requireRole('dpo');

  router.get('/re-consent', dpo, async (_req, res) => {
    res.json({ items: await c.reConsent.list() });
  });

  router.get('/re-consent/:id', dpo, async (req, res) => {
    const { id } = parseOr400(campaignParam, req.params);
    res.json(await c.reConsent.get(id));
  });

  router.post('/re-consent', dpo, async (req, res) => {
    const body = parseOr400(startBody, req.body ?? {});
    const actor = actorOf(req);
    const started = await c.reConsent.start(body.policyVersion, body.deadlineDays, actor.sub);
    await c.audit.record(actor, 're-consent.start', started.id, { policyVersion: body.policyVersion, deadline: started.deadline.toISOString() });
    res.status(201).json(started);
  });

  router.post('/re-consent/:id/remind', dpo, async (req, res) => {
    const { id } = parseOr400(campaignParam, req.params);
    const view = await c.reConsent.remind(id);
    await c.audit.record(actorOf(req), 're-consent.remind', id);
    res.status(202).json(view);
  });

  return router;
}
