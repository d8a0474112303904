// The DPO's view of one person: find a subscriber by address, read their consent history (the
// proof of consent, GDPR art. 7(1)); and the import of an existing list. Every read of personal
// data is audited (privacy policy clause 3).
import { Router } from 'express';
import { Types } from 'mongoose';
import { z } from 'zod';
import type { Container } from '../../container';
import { DEFAULT_LIST, LIST_SLUG } from '../../data/list.model';
import { emailKey, normalizeEmail } from '../../domain/email-address';
import { NotFoundError, ValidationError } from '../../errors';
import { actorOf, requireRole } from '../admin-auth';
import { parseOr400 } from '../validate';
import { caseSensitiveRouter } from '../router';
import { csvBody, csvBodyParser } from './import-routes';

export const searchQuery = z.strictObject({ email: z.string().min(1).max(512) });
export const importQuery = z.strictObject({
  list: z.string().regex(LIST_SLUG).default(DEFAULT_LIST),
  source: z.string().trim().min(1).max(200).optional(),
});

type Deps = Pick<Container, 'models' | 'audit' | 'ledger' | 'imports'>;

export function subscriberRoutes(c: Deps): Router {
  const router = caseSensitiveRouter();

  router.get('/subscribers', requireRole('dpo'), async (req, res) => {
    const { email } = parseOr400(searchQuery, req.query);
    const key = emailKey(normalizeEmail(email));
    const subscribers = await c.models.subscribers.find({ emailKey: key }).lean();
    const subscriptions = await c.models.subscriptions
      .find({ subscriberId: { $in: subscribers.map((s) => s._id) } }, { subscriberId: 1, list: 1, status: 1 })
      .lean();
    await c.audit.record(actorOf(req), 'subscriber.search', subscribers.map((s) => String(s._id)).join(',') || undefined, { found: subscribers.length });
    res.json({
      items: subscribers.map((s) => ({
        id: String(s._id),
        email: s.email,
        name: s.name,
        locale: s.locale,
        restricted: s.restricted,
        lists: Object.fromEntries(subscriptions.filter((x) => x.subscriberId.equals(s._id)).map((x) => [x.list, x.status])),
      })),
    });
  });

  router.get('/subscribers/:id/consent', requireRole('dpo'), async (req, res) => {
    const id = String(req.params.id);
    if (!/^[0-9a-f]{24}$/i.test(id)) throw new ValidationError('id must be a 24-character hex subscriber id');
    const subscriberId = new Types.ObjectId(id);
    const [exists, events] = await Promise.all([c.models.subscribers.exists({ _id: subscriberId }), c.ledger.history(subscriberId)]);
    if (!exists && events.length === 0) throw new NotFoundError('subscriber');
    await c.audit.record(actorOf(req), 'subscriber.consent.read', id, { events: events.length });
    res.json({
      events: events.map((e) => ({
        type: e.type,
        list: e.list,
        channel: e.channel,
        at: e.at,
        policyVersion: e.policyVersion,
        consentTextHash: e.consentTextHash,
        consentText: e.consentText,
        ip: e.ip,
        forwardedFor: e.forwardedFor,
        userAgent: e.userAgent,
        requestRef: e.requestRef,
        campaignId: e.campaignId ? String(e.campaignId) : undefined,
        messageId: e.messageId,
        consentedAt: e.consentedAt,
        source: e.source,
        actor: e.actor,
        note: e.note,
      })),
    });
  });

  // The CSV travels as the body (text/csv): `address,name,locale,consent_date,source` per row. The
  // run happens within the request (scripts wait for the report); the report is kept like the console's.
  router.post('/import', requireRole('dpo'), csvBodyParser, async (req, res) => {
    const { list, source } = parseOr400(importQuery, req.query);
    res.json(await c.imports.runNow({ csv: csvBody(req), list, source, actor: actorOf(req) }));
  });

  return router;
}
