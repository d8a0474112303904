// The DPO's check of one person's consent chain: "verified up to DATE" on their timeline. Reading
// it is reading their proof of consent, so it is audited like the consent history.
import type { Router } from 'express';
import { Types } from 'mongoose';
import { z } from 'zod';
import type { Container } from '../../container';
import { NotFoundError } from '../../errors';
import { actorOf, requireRole } from '../admin-auth';
import { caseSensitiveRouter } from '../router';
import { parseOr400 } from '../validate';
import { subscriberQueries } from '../../data/subscriber.queries';
import { consentEventQueries } from '../../data/consent-event.queries';

export const subscriberIdParam = z.strictObject({ id: z.string().regex(/^[0-9a-fA-F]{24}$/, 'must be a 24-character hex subscriber id') });

const sha256Hex = z.string().regex(/^[0-9a-f]{64}$/);
const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
export const ledgerStatusResponse = z.strictObject({
  verified: z.boolean(),
  events: z.number().int().min(0),
  head: z.strictObject({ seq: z.number().int().min(0), hash: sha256Hex }).optional(),
  // eventId is absent when what is missing is the event itself (a deleted head).
  broken: z.strictObject({ eventId: z.string().optional(), seq: z.number().int().optional(), reason: z.string() }).optional(),
  verifiedUpTo: day.optional(),
  anchor: z.strictObject({ date: day, root: sha256Hex, seq: z.number().int().min(0) }).optional(),
});

type Deps = Pick<Container, 'models' | 'audit' | 'ledgerAnchors'>;

export function ledgerRoutes(c: Deps): Router {
  const router = caseSensitiveRouter();

  router.get('/subscribers/:id/ledger', requireRole('dpo'), async (req, res) => {
    const { id } = parseOr400(subscriberIdParam, req.params);
    const subscriberId = new Types.ObjectId(id);
    // After an erasure the subscriber is gone and the events no longer name the id: nothing to show by it.
    const subscriber = await subscriberQueries.hashOf(c.models, subscriberId).lean();
    const emailHash = subscriber?.emailHash ?? (await consentEventQueries.hashOfSubscriber(c.models, subscriberId).lean())?.emailHash;
    if (!emailHash) throw new NotFoundError('subscriber');
    const status = await c.ledgerAnchors.status(emailHash);
    await c.audit.record(actorOf(req), 'subscriber.ledger.read', id, { verified: status.verified, verifiedUpTo: status.verifiedUpTo });
    res.json(status);
  });

  return router;
}
