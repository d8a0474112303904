// The DPO's view of one person: find a subscriber by address, read their consent history (the
// proof of consent, GDPR art. 7(1)); and the import of an existing list. Every read of personal
// data is audited (privacy policy clause 3).
import { Router } from 'express';
import { Types } from 'mongoose';
import { z } from 'zod';
import type { Container } from '../../container';
import { DEFAULT_LIST, LIST_SLUG } from '../../data/list.model';
import { CONSENT_CHANNELS, CONSENT_EVENT_TYPES } from '../../data/consent-event.model';
import { INBOUND_OUTCOMES } from '../../data/inbound-message.model';
import { SUBSCRIPTION_STATES } from '../../data/subscription.model';
import { PersonSearch } from '../../domain/people/person-search';
import { consentEventView, PersonView } from '../../domain/people/person-view';
import { NotFoundError, ValidationError } from '../../errors';
import { actorOf, requireRole } from '../admin-auth';
import { parseOr400 } from '../validate';
import { receivedAtSchema, rectifyBody, requestResponse } from './request-routes';
import { isoDate, itemsOf, objectId } from './response-schemas';
import { suppressionResponse } from './suppression-routes';
import { caseSensitiveRouter } from '../router';
import { csvBody, csvBodyParser } from './import-routes';
import { subscriberQueries } from '../../data/subscriber.queries';
import { listQueries } from '../../data/list.queries';

// Exact (`email`, an index lookup) or partial (`address`, `name`: a bounded scan); `list` and `state` narrow.
export const searchQuery = z
  .strictObject({
    email: z.string().min(1).max(512).optional(),
    address: z.string().trim().min(1).max(254).optional(),
    name: z.string().trim().min(1).max(200).optional(),
    list: z.string().regex(LIST_SLUG, 'not a list').optional(),
    state: z.enum(SUBSCRIPTION_STATES).optional(),
    limit: z.coerce.number().int().min(1).max(100).default(50),
    after: z.string().regex(/^[0-9a-f]{24}$/, 'not an id').optional(),
  })
  // Nobody browses everyone: each search names what it looks for.
  .refine((q) => [q.email, q.address, q.name, q.list].some((v) => v !== undefined), 'name what to look for: email, address, name or list')
  .refine((q) => q.email === undefined || q.address === undefined, { message: 'search by the whole address (email) or by a part of it (address), not both', path: ['address'] })
  .refine((q) => q.state === undefined || q.list !== undefined, { message: 'a state is the state on a list: name the list', path: ['state'] });
export const personParam = z.strictObject({ id: z.string().regex(/^[0-9a-f]{24}$/, 'not an id') });
// A signed letter asking for erasure, checked by the DPO: the reason says how (it is audited).
export const erasureBody = z.strictObject({
  reason: z.string().trim().min(1).max(2000),
  receivedAt: receivedAtSchema.optional(),
  note: z.string().max(2000).optional(),
});
export const importQuery = z.strictObject({
  list: z.string().regex(LIST_SLUG).default(DEFAULT_LIST),
  source: z.string().trim().min(1).max(200).optional(),
});

const localizedName = z.strictObject({ lv: z.string(), en: z.string() });
export const personRowResponse = z.strictObject({
  id: objectId,
  email: z.string(),
  name: z.string(),
  locale: z.string(),
  restricted: z.boolean(),
  /** List slug → the person's state on it. */
  lists: z.record(z.string(), z.enum(SUBSCRIPTION_STATES)),
});
export const searchResponse = z.strictObject({ items: z.array(personRowResponse), next: objectId.nullable() });
export const listNamesResponse = itemsOf(z.strictObject({ slug: z.string(), name: localizedName }));
export const consentEventResponse = z.strictObject({
  id: objectId,
  type: z.enum(CONSENT_EVENT_TYPES),
  list: z.string().optional(),
  channel: z.enum(CONSENT_CHANNELS),
  at: isoDate,
  policyVersion: z.number().int().optional(),
  consentTextHash: z.string().optional(),
  consentText: z.string().optional(),
  ip: z.string().optional(),
  forwardedFor: z.string().optional(),
  userAgent: z.string().optional(),
  requestRef: z.string().optional(),
  campaignId: z.string().optional(),
  messageId: z.string().optional(),
  consentedAt: isoDate.optional(),
  source: z.string().optional(),
  actor: z.string().optional(),
  note: z.string().optional(),
});
export const consentHistoryResponse = z.strictObject({ events: z.array(consentEventResponse) });
export const personResponse = z.strictObject({
  id: objectId,
  email: z.string(),
  name: z.string(),
  locale: z.string(),
  restricted: z.boolean(),
  createdAt: isoDate.optional(),
  updatedAt: isoDate.optional(),
  lists: z.array(
    z.strictObject({
      list: z.string(),
      name: localizedName.nullable(),
      status: z.enum(SUBSCRIPTION_STATES),
      requestedAt: isoDate.nullable(),
      confirmedAt: isoDate.nullable(),
      unsubscribedAt: isoDate.nullable(),
      policyVersion: z.number().int().nullable(),
    }),
  ),
  suppressions: z.array(suppressionResponse),
  timeline: z.array(consentEventResponse.extend({ campaign: z.strictObject({ id: objectId, name: z.string(), subject: z.string() }).nullable() })),
  requests: z.array(requestResponse),
  inbound: z.array(
    z.strictObject({
      id: objectId,
      receivedAt: isoDate,
      from: z.string().nullable(),
      subject: z.string().nullable(),
      kind: z.string().nullable(),
      outcome: z.enum(INBOUND_OUTCOMES),
      note: z.string().nullable(),
      effects: z.array(z.string()),
      matchedBy: z.string().nullable(),
      via: z.array(z.enum(['sender', 'request', 'suppression', 'consent'])),
    }),
  ),
});
export const rectifyResponse = z.strictObject({ id: objectId, changed: z.array(z.enum(['name', 'locale'])) });

type Deps = Pick<Container, 'models' | 'audit' | 'ledger' | 'imports' | 'policies' | 'config' | 'clock' | 'suppressions' | 'requests'>;

export function subscriberRoutes(c: Deps): Router {
  const router = caseSensitiveRouter();

  const dpo = requireRole('dpo');
  const search = new PersonSearch({ models: c.models });
  const people = new PersonView({ models: c.models, ledger: c.ledger, suppressions: c.suppressions, requests: c.requests });

  router.get('/subscribers', dpo, async (req, res) => {
    const query = parseOr400(searchQuery, req.query);
    const found = await search.find(query);
    // The criteria's kinds, not their text: an address searched for must not outlive its erasure here.
    const criteria = (['email', 'address', 'name', 'list', 'state'] as const).filter((k) => query[k] !== undefined);
    await c.audit.record(actorOf(req), 'subscriber.search', found.items.map((s) => s.id).join(',') || undefined, { criteria, found: found.items.length });
    res.json(found);
  });

  // The search's list filter: slugs and names only (the lists pages themselves are the marketers').
  router.get('/subscribers/lists', dpo, async (_req, res) => {
    const lists = await listQueries.names(c.models).lean();
    res.json({ items: lists.map((l) => ({ slug: l.slug, name: l.name })) });
  });

  router.get('/subscribers/:id', dpo, async (req, res) => {
    const { id } = parseOr400(personParam, req.params);
    const person = await people.get(id);
    await c.audit.record(actorOf(req), 'subscriber.read', id, { events: person.timeline.length, requests: person.requests.length, inbound: person.inbound.length });
    res.json(person);
  });

  router.patch('/subscribers/:id', dpo, async (req, res) => {
    const { id } = parseOr400(personParam, req.params);
    const changes = parseOr400(rectifyBody, req.body ?? {});
    const actor = actorOf(req);
    const fields = await c.requests.rectifySubscriber(id, changes, actor.sub);
    await c.audit.record(actor, 'subscriber.rectify', id, { fields });
    res.json({ id, changed: fields });
  });

  router.post('/subscribers/:id/erasure', dpo, async (req, res) => {
    const { id } = parseOr400(personParam, req.params);
    const { reason, receivedAt, note } = parseOr400(erasureBody, req.body ?? {});
    const subscriber = await subscriberQueries.addresseeOf(c.models, id).lean();
    if (!subscriber) throw new NotFoundError('subscriber');
    const actor = actorOf(req);
    const request = await c.requests.create({ type: 'erasure', email: subscriber.email, channel: 'letter', receivedAt, note, actor: actor.sub, confirmedBy: { reason } });
    await c.audit.record(actor, 'subscriber.erase', id, { request: request.number, reason });
    res.status(201).json(request);
  });

  router.get('/subscribers/:id/consent', dpo, async (req, res) => {
    const id = String(req.params.id);
    if (!/^[0-9a-f]{24}$/i.test(id)) throw new ValidationError('id must be a 24-character hex subscriber id');
    const subscriberId = new Types.ObjectId(id);
    const [exists, events] = await Promise.all([subscriberQueries.exists(c.models, subscriberId), c.ledger.history(subscriberId)]);
    if (!exists && events.length === 0) throw new NotFoundError('subscriber');
    await c.audit.record(actorOf(req), 'subscriber.consent.read', id, { events: events.length });
    res.json({ events: events.map(consentEventView) });
  });

  // The CSV travels as the body (text/csv): `address,name,locale,consent_date,source` per row. The
  // run happens within the request (scripts wait for the report); the report is kept like the console's.
  router.post('/import', requireRole('dpo'), csvBodyParser, async (req, res) => {
    const { list, source } = parseOr400(importQuery, req.query);
    res.json(await c.imports.runNow({ csv: csvBody(req), list, source, actor: actorOf(req) }));
  });

  return router;
}
