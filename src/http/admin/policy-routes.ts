// Privacy-policy versions (clause 7: the policy may change) and how much of the audience consented
// under each, so IMPRO can decide whether to ask for consent again.
import { Router } from 'express';
import { z } from 'zod';
import type { Container } from '../../container';
import { coverageHistory } from '../../domain/consent/consent-coverage';
import { actorOf, requireRole } from '../admin-auth';
import { parseOr400 } from '../validate';
import { isoDate, itemsOf } from './response-schemas';
import { caseSensitiveRouter } from '../router';

const changeSummary = z.strictObject({ lv: z.string().trim().max(2000), en: z.string().trim().max(2000) });

export const newVersion = z.strictObject({
  text: z.string().trim().min(1).max(200_000),
  consentText: z.strictObject({ lv: z.string().trim().min(1).max(2000), en: z.string().trim().min(1).max(2000) }),
  effectiveAt: z.coerce.date().optional(),
  // The change alters what consent covers: older consents are asked again (re-consent).
  material: z.boolean().optional(),
  changeSummary: changeSummary.optional(),
});
export const versionParam = z.strictObject({ version: z.string().regex(/^\d{1,6}$/, 'not a version number').transform(Number) });
export const materialBody = z.strictObject({ material: z.boolean(), changeSummary: changeSummary.optional() });
export const historyQuery = z.strictObject({ days: z.coerce.number().int().min(7).max(366).default(90) });

const bilingual = z.strictObject({ lv: z.string(), en: z.string() });
export const policyVersionResponse = z.strictObject({
  version: z.number().int(),
  effectiveAt: isoDate,
  textHash: z.string(),
  consentText: bilingual,
  material: z.boolean(),
  changeSummary: bilingual,
});
export const policyVersionListResponse = itemsOf(policyVersionResponse);
export const coverageResponse = z.strictObject({
  current: z.number().int().optional(),
  versions: z.array(policyVersionResponse.extend({ activeSubscribers: z.number().int() })),
  unknownVersion: z.number().int(),
});
export const coverageHistoryResponse = z.strictObject({
  /** byVersion: version number (or `unknown`) → active subscriptions at the end of that day. */
  points: z.array(z.strictObject({ day: z.iso.date(), byVersion: z.record(z.string(), z.number().int()) })),
});

export function policyRoutes(c: Pick<Container, 'policies' | 'audit' | 'models' | 'clock'>): Router {
  const router = caseSensitiveRouter();
  const dpo = requireRole('dpo');

  router.get('/policy-versions', dpo, async (_req, res) => {
    res.json({ items: await c.policies.all() });
  });

  router.post('/policy-versions', dpo, async (req, res) => {
    const body = parseOr400(newVersion, req.body ?? {});
    const version = await c.policies.register(body);
    await c.audit.record(actorOf(req), 'policy-version.register', String(version.version), { material: version.material });
    res.status(201).json(version);
  });

  router.patch('/policy-versions/:version', dpo, async (req, res) => {
    const { version } = parseOr400(versionParam, req.params);
    const body = parseOr400(materialBody, req.body ?? {});
    const updated = await c.policies.setMaterial(version, body.material, body.changeSummary);
    await c.audit.record(actorOf(req), 'policy-version.material', String(version), { material: body.material });
    res.json(updated);
  });

  // Counts only, no person in them: not an audited access to personal data.
  router.get('/consent-coverage', dpo, async (_req, res) => {
    res.json(await c.policies.coverage());
  });

  router.get('/consent-coverage/history', dpo, async (req, res) => {
    const { days } = parseOr400(historyQuery, req.query);
    res.json({ points: await coverageHistory(c.models, c.clock.now(), days) });
  });

  return router;
}
