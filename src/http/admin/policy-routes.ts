// Privacy-policy versions (clause 7: the policy may change) and how much of the audience consented
// under each, so IMPRO can decide whether to ask for consent again.
import { Router } from 'express';
import { z } from 'zod';
import type { Container } from '../../container';
import { actorOf, requireRole } from '../admin-auth';
import { parseOr400 } from '../validate';
import { caseSensitiveRouter } from '../router';

export const newVersion = z.strictObject({
  text: z.string().trim().min(1).max(200_000),
  consentText: z.strictObject({ lv: z.string().trim().min(1).max(2000), en: z.string().trim().min(1).max(2000) }),
  effectiveAt: z.coerce.date().optional(),
});

export function policyRoutes(c: Pick<Container, 'policies' | 'audit'>): Router {
  const router = caseSensitiveRouter();
  const dpo = requireRole('dpo');

  router.get('/policy-versions', dpo, async (_req, res) => {
    res.json({ items: await c.policies.all() });
  });

  router.post('/policy-versions', dpo, async (req, res) => {
    const body = parseOr400(newVersion, req.body ?? {});
    const version = await c.policies.register(body);
    await c.audit.record(actorOf(req), 'policy-version.register', String(version.version));
    res.status(201).json(version);
  });

  // Counts only, no person in them: not an audited access to personal data.
  router.get('/consent-coverage', dpo, async (_req, res) => {
    res.json(await c.policies.coverage());
  });

  return router;
}
