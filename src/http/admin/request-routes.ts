// The DPO's desk: data-subject requests, their deadlines and actions, and restriction (art. 18).
// Every call reads or changes personal data, so every call leaves an audit entry.
import { Router } from 'express';
import { z } from 'zod';
import type { Container } from '../../container';
import { REQUEST_CHANNELS, REQUEST_STATES, REQUEST_TYPES } from '../../data/data-subject-request.model';
import { actorOf, requireRole } from '../admin-auth';
import { personNameSchema } from '../person-name-schema';
import { parseOr400 } from '../validate';
import { caseSensitiveRouter } from '../router';
import { isoDate, itemsOf, objectId } from './response-schemas';

/** An ISO 8601 date or date-time; the domain checks it is neither in the future nor too old. */
export const receivedAtSchema = z
  .string()
  .max(40)
  .regex(/^\d{4}-\d{2}-\d{2}([T ][0-9:.]+(Z|[+-]\d{2}:?\d{2})?)?$/, 'must be an ISO 8601 date')
  .transform((text) => new Date(text))
  .refine((date) => !Number.isNaN(date.getTime()), 'must be a real date');

export const newRequest = z.strictObject({
  type: z.enum(REQUEST_TYPES),
  email: z.string().max(320),
  channel: z.enum(REQUEST_CHANNELS).default('admin'),
  note: z.string().max(2000).optional(),
  // A paper letter registered days later still runs from the day it arrived.
  receivedAt: receivedAtSchema.optional(),
  locale: z.enum(['lv', 'en']).optional(),
});
export const listQuery = z.strictObject({
  status: z.enum(['open', 'overdue', 'closed', 'done']).default('open'),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});
const reason = z.string().trim().min(1).max(2000);
export const extendBody = z.strictObject({ reason, months: z.number().int().min(1).max(2).optional() });
export const rejectBody = z.strictObject({ reason });
export const completeBody = z.strictObject({ note: z.string().max(2000).optional() });
export const rectifyBody = z
  .strictObject({ name: personNameSchema.optional(), locale: z.enum(['lv', 'en']).optional() })
  .refine((b) => b.name !== undefined || b.locale !== undefined, 'name or locale is required');
export const confirmErasureBody = z.strictObject({ reason });
export const restrictionBody = z.strictObject({ note: z.string().max(2000).optional() });
// Actions without input (resend-verification, retry) ignore whatever body comes.
export const noBody = z.unknown();
export const idParam = z.strictObject({ id: z.string().regex(/^[0-9a-f]{24}$/, 'not an id') });

export const requestResponse = z.strictObject({
  id: objectId,
  number: z.string(),
  type: z.enum(REQUEST_TYPES),
  channel: z.enum(REQUEST_CHANNELS),
  status: z.enum(REQUEST_STATES),
  email: z.string().nullable(),
  subscriberId: objectId.nullable(),
  receivedAt: isoDate,
  dueAt: isoDate,
  overdue: z.boolean(),
  urgent: z.boolean(),
  extendedMonths: z.number().int(),
  extensionReason: z.string().nullable(),
  verifiedAt: isoDate.nullable(),
  closedAt: isoDate.nullable(),
  rejectionReason: z.string().nullable(),
  note: z.string().nullable(),
  inboundMessageId: z.string().nullable(),
  actions: z.array(z.strictObject({ at: isoDate, actor: z.string(), action: z.string(), note: z.string().nullable() })),
});
export const requestListResponse = itemsOf(requestResponse);
const count = z.number().int();
export const requestMetricsResponse = z.strictObject({
  awaitingVerification: count,
  open: count,
  dueWithin7Days: count,
  overdue: count,
  done: count,
  rejected: count,
  nearestDue: z.strictObject({ id: objectId, number: z.string(), dueAt: isoDate }).nullable(),
});
export const restrictionResponse = z.strictObject({ id: objectId, restricted: z.boolean(), changed: z.boolean() });

export function requestRoutes(c: Pick<Container, 'requests' | 'restrictions' | 'audit'>): Router {
  const router = caseSensitiveRouter();
  const dpo = requireRole('dpo');

  router.post('/requests', dpo, async (req, res) => {
    const body = parseOr400(newRequest, req.body ?? {});
    const actor = actorOf(req);
    const request = await c.requests.create({ ...body, actor: actor.sub });
    await c.audit.record(actor, 'request.create', request.id, { type: request.type, number: request.number });
    res.status(201).json(request);
  });

  router.get('/requests', dpo, async (req, res) => {
    const { status, limit } = parseOr400(listQuery, req.query);
    const items = await c.requests.list(status, limit);
    await c.audit.record(actorOf(req), 'request.list', undefined, { status, count: items.length });
    res.json({ items });
  });

  router.get('/requests/:id', dpo, async (req, res) => {
    const { id } = parseOr400(idParam, req.params);
    const request = await c.requests.get(id);
    await c.audit.record(actorOf(req), 'request.read', id);
    res.json(request);
  });

  /** A DPO action on one request: validate, act in the DPO's name, audit, answer with the request. */
  function action<S extends z.ZodTypeAny, R>(
    name: string,
    body: S,
    run: (id: string, body: z.infer<S>, actor: string) => Promise<R>,
    details?: (request: R, body: z.infer<S>) => Record<string, unknown>,
  ) {
    router.post(`/requests/:id/${name}`, dpo, async (req, res) => {
      const { id } = parseOr400(idParam, req.params);
      const input = parseOr400(body, req.body ?? {});
      const actor = actorOf(req);
      const request = await run(id, input, actor.sub);
      await c.audit.record(actor, `request.${name}`, id, details?.(request, input));
      res.json(request);
    });
  }

  action('extend', extendBody, (id, body, actor) => c.requests.extend(id, body, actor), (request) => ({ months: request.extendedMonths }));
  action('reject', rejectBody, (id, body, actor) => c.requests.reject(id, body, actor));
  action('complete', completeBody, (id, body, actor) => c.requests.complete(id, body, actor));
  action('rectify', rectifyBody, (id, body, actor) => c.requests.rectify(id, body, actor), (_request, body) => ({ fields: Object.keys(body) }));
  action('confirm-erasure', confirmErasureBody, (id, body, actor) => c.requests.confirmErasure(id, body.reason, actor), (request, body) => ({ number: request.number, reason: body.reason }));
  action('resend-verification', noBody, (id, _body, actor) => c.requests.resendVerification(id, actor));
  action('retry', noBody, (id, _body, actor) => c.requests.retryFulfilment(id, actor));

  router.get('/metrics/requests', dpo, async (req, res) => {
    const metrics = await c.requests.metrics();
    await c.audit.record(actorOf(req), 'request.metrics');
    res.json(metrics);
  });

  router.post('/subscribers/:id/restriction', dpo, async (req, res) => {
    const { id } = parseOr400(idParam, req.params);
    const { note } = parseOr400(restrictionBody, req.body ?? {});
    const actor = actorOf(req);
    const changed = await c.restrictions.restrict(id, { channel: 'admin', actor: actor.sub });
    await c.audit.record(actor, 'subscriber.restrict', id, { changed, note });
    res.json({ id, restricted: true, changed });
  });

  router.delete('/subscribers/:id/restriction', dpo, async (req, res) => {
    const { id } = parseOr400(idParam, req.params);
    const actor = actorOf(req);
    // Art. 18(3): the person is mailed before the restriction goes.
    const changed = await c.requests.liftRestriction(id, { channel: 'admin', actor: actor.sub });
    await c.audit.record(actor, 'subscriber.restriction-lift', id, { changed });
    res.json({ id, restricted: false, changed });
  });

  return router;
}
