// Lists for marketers (and admins): the public ones are offered on the sign-up page.
import { Router } from 'express';
import { z } from 'zod';
import type { Container } from '../../container';
import { LIST_SLUG } from '../../data/list.model';
import { actorOf, requireRole } from '../admin-auth';
import { parseOr400 } from '../validate';
import { caseSensitiveRouter } from '../router';
import { itemsOf } from './response-schemas';

const localized = z.strictObject({ lv: z.string().trim().min(1).max(200), en: z.string().trim().min(1).max(200) });
const description = z.strictObject({ lv: z.string().trim().max(1000), en: z.string().trim().max(1000) });
export const createBody = z.strictObject({ slug: z.string().regex(LIST_SLUG), name: localized, description: description.optional(), public: z.boolean().optional() });
export const updateBody = z
  .strictObject({ name: localized.optional(), description: description.optional(), public: z.boolean().optional() })
  .refine((patch) => Object.keys(patch).length > 0, 'nothing to change: give name, description or public');
export const slugParam = z.strictObject({ slug: z.string().regex(LIST_SLUG, 'not a list name') });

const localizedText = z.strictObject({ lv: z.string(), en: z.string() });
export const listResponse = z.strictObject({
  slug: z.string(),
  name: localizedText,
  description: localizedText,
  public: z.boolean(),
  subscriptions: z.strictObject({ pending: z.number().int(), active: z.number().int(), unsubscribed: z.number().int(), lapsed: z.number().int() }),
});
export const listListResponse = itemsOf(listResponse);

export function listRoutes(c: Pick<Container, 'lists' | 'audit'>): Router {
  const router = caseSensitiveRouter();
  router.use('/lists', requireRole('marketer'));

  router.get('/lists', async (_req, res) => {
    res.json({ items: await c.lists.list() });
  });

  router.get('/lists/:slug', async (req, res) => {
    res.json(await c.lists.get(parseOr400(slugParam, req.params).slug));
  });

  router.post('/lists', async (req, res) => {
    const list = await c.lists.create(parseOr400(createBody, req.body));
    await c.audit.record(actorOf(req), 'list.create', list.slug, { name: list.name, public: list.public });
    res.status(201).json(list);
  });

  router.patch('/lists/:slug', async (req, res) => {
    const { slug } = parseOr400(slugParam, req.params);
    const patch = parseOr400(updateBody, req.body);
    const list = await c.lists.update(slug, patch);
    // What changed, so the trail shows a rename or a list taken off the sign-up page.
    await c.audit.record(actorOf(req), 'list.update', slug, patch);
    res.json(list);
  });
  return router;
}
