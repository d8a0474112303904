// Campaigns for marketers (and admins): drafts, preview, test send, send now or at a time, pause,
// resume, cancel, stats. Every change is audited.
import { Router } from 'express';
import { z } from 'zod';
import type { Container } from '../../container';
import { CAMPAIGN_STATES } from '../../data/campaign.model';
import { LIST_SLUG } from '../../data/list.model';
import { CAMPAIGN_LANGUAGES } from '../../mail/campaign-renderer';
import { actorOf, requireRole } from '../admin-auth';
import { parseOr400 } from '../validate';
import { isoDate, itemsOf, objectId } from './response-schemas';
import { caseSensitiveRouter } from '../router';

const draftFields = {
  name: z.string().trim().min(1).max(200),
  list: z.string().regex(LIST_SLUG),
  subject: z.string().trim().min(1).max(300),
  preheader: z.string().max(300),
  mjml: z.string().min(1).max(500_000),
};
const lang = z.enum(CAMPAIGN_LANGUAGES);
// The English version: optional, but complete when present (a subject and MJML of its own).
const englishVersion = z.strictObject({ subject: draftFields.subject, preheader: draftFields.preheader.default(''), mjml: draftFields.mjml });
export const createBody = z.strictObject({ ...draftFields, preheader: draftFields.preheader.default(''), en: englishVersion.optional() });
export const updateBody = z.strictObject({ ...draftFields, en: englishVersion.nullable() }).partial();
export const duplicateBody = z.strictObject({ name: draftFields.name.optional() });
export const namelessQuery = z.strictObject({ list: z.string().regex(LIST_SLUG) });
export const previewQuery = z.strictObject({ lang: lang.default('lv') });
export const sendBody = z.strictObject({ at: z.string().max(40).optional(), timeZone: z.string().max(64).optional() });
export const testBody = z.strictObject({ to: z.array(z.string().max(254)).min(1).max(20), langs: z.array(lang).min(1).max(2).optional() });
export const listQuery = z.strictObject({ status: z.enum(CAMPAIGN_STATES).optional(), limit: z.coerce.number().int().min(1).max(200).default(50) });
export const previewBody = z.strictObject({ subject: draftFields.subject, preheader: draftFields.preheader.default(''), mjml: draftFields.mjml, lang: lang.default('lv') });
export const idParam = z.strictObject({ id: z.string().regex(/^[0-9a-f]{24}$/, 'not a campaign id') });

const counts = z.record(z.string(), z.number().int());
export const campaignStatsResponse = z.strictObject({
  queued: z.number().int(),
  sent: z.number().int(),
  skipped: z.number().int(),
  failed: z.number().int(),
  ambiguous: z.number().int(),
  remaining: z.number().int(),
  /** Reason → count; the reasons are the fan-out's and grow with it. */
  skipReasons: counts,
  bounced: z.number().int(),
  complained: z.number().int(),
});
/** A campaign as lists show it: no MJML, no counters. */
export const campaignSummaryResponse = z.strictObject({
  id: objectId,
  name: z.string(),
  list: z.string(),
  subject: z.string(),
  preheader: z.string(),
  status: z.enum(CAMPAIGN_STATES),
  author: z.string(),
  scheduledAt: isoDate.optional(),
  startedAt: isoDate.optional(),
  finishedAt: isoDate.optional(),
  createdAt: isoDate.optional(),
  updatedAt: isoDate.optional(),
  en: z.strictObject({ subject: z.string(), preheader: z.string() }).optional(),
});
/** One campaign: also its MJML (both versions) and its counters. */
export const campaignResponse = campaignSummaryResponse.extend({
  mjml: z.string(),
  en: z.strictObject({ subject: z.string(), preheader: z.string(), mjml: z.string() }).optional(),
  stats: campaignStatsResponse,
});
export const campaignListResponse = itemsOf(campaignSummaryResponse);
export const previewResponse = z.strictObject({ subject: z.string(), html: z.string(), nameWithoutFallback: z.boolean() });
export const namelessResponse = z.strictObject({ list: z.string(), recipients: z.number().int(), checked: z.number().int(), nameless: z.number().int(), complete: z.boolean() });
export const audienceResponse = z.strictObject({ list: z.string(), recipients: z.number().int() });
export const testSendResponse = z.strictObject({
  results: z.array(z.strictObject({ to: z.string(), lang, status: z.enum(['sent', 'failed']), error: z.string().optional() })),
});

// A preview is marketer-authored HTML: no scripts, but its images may come from anywhere.
const PREVIEW_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src https: http: data:; font-src https:";

export function campaignRoutes(c: Pick<Container, 'campaigns' | 'audit'>): Router {
  const router = caseSensitiveRouter();
  router.use('/campaigns', requireRole('marketer'));
  const id = (params: unknown) => parseOr400(idParam, params).id;

  router.get('/campaigns', async (req, res) => {
    const { status, limit } = parseOr400(listQuery, req.query);
    res.json({ items: await c.campaigns.list({ status, limit }) });
  });

  router.post('/campaigns', async (req, res) => {
    const body = parseOr400(createBody, req.body);
    const campaign = await c.campaigns.create(body, req.principal!.sub);
    await c.audit.record(actorOf(req), 'campaign.create', campaign.id);
    res.status(201).json(campaign);
  });

  // Declared before /campaigns/:id so "preview" is never taken for an id.
  router.post('/campaigns/preview', async (req, res) => {
    const { lang, ...source } = parseOr400(previewBody, req.body);
    res.set('Cache-Control', 'no-store').json(await c.campaigns.previewSource(source, lang));
  });

  // Counts people, not who they are: not audited as a read of personal data.
  router.get('/campaigns/nameless', async (req, res) => {
    res.json(await c.campaigns.namelessOnList(parseOr400(namelessQuery, req.query).list));
  });

  router.get('/campaigns/:id', async (req, res) => {
    res.json(await c.campaigns.get(id(req.params)));
  });

  router.patch('/campaigns/:id', async (req, res) => {
    const campaignId = id(req.params);
    const campaign = await c.campaigns.update(campaignId, parseOr400(updateBody, req.body));
    await c.audit.record(actorOf(req), 'campaign.update', campaignId);
    res.json(campaign);
  });

  router.delete('/campaigns/:id', async (req, res) => {
    const campaignId = id(req.params);
    await c.campaigns.remove(campaignId);
    await c.audit.record(actorOf(req), 'campaign.delete', campaignId);
    res.status(204).end();
  });

  router.post('/campaigns/:id/duplicate', async (req, res) => {
    const campaignId = id(req.params);
    const { name } = parseOr400(duplicateBody, req.body ?? {});
    const copy = await c.campaigns.duplicate(campaignId, req.principal!.sub, name);
    await c.audit.record(actorOf(req), 'campaign.duplicate', copy.id, { from: campaignId });
    res.status(201).json(copy);
  });

  router.get('/campaigns/:id/preview', async (req, res) => {
    const html = await c.campaigns.preview(id(req.params), parseOr400(previewQuery, req.query).lang);
    res.set({ 'Content-Type': 'text/html; charset=utf-8', 'Content-Security-Policy': PREVIEW_CSP, 'Cache-Control': 'no-store' }).send(html);
  });

  router.get('/campaigns/:id/audience', async (req, res) => {
    res.json(await c.campaigns.audience(id(req.params)));
  });

  router.post('/campaigns/:id/test', async (req, res) => {
    const campaignId = id(req.params);
    const { to, langs } = parseOr400(testBody, req.body);
    const results = await c.campaigns.sendTest(campaignId, to, langs);
    await c.audit.record(actorOf(req), 'campaign.test-send', campaignId, { recipients: results.length });
    res.status(202).json({ results });
  });

  router.post('/campaigns/:id/send', async (req, res) => {
    const campaignId = id(req.params);
    const campaign = await c.campaigns.send(campaignId, parseOr400(sendBody, req.body ?? {}));
    await c.audit.record(actorOf(req), campaign.status === 'scheduled' ? 'campaign.schedule' : 'campaign.send', campaignId);
    res.status(202).json(campaign);
  });

  for (const action of ['pause', 'resume', 'cancel'] as const) {
    router.post(`/campaigns/:id/${action}`, async (req, res) => {
      const campaignId = id(req.params);
      const campaign = await c.campaigns[action](campaignId);
      await c.audit.record(actorOf(req), `campaign.${action}`, campaignId);
      res.json(campaign);
    });
  }
  return router;
}
