// Who am I (any role), and staff management for admins: invite, change role, deactivate, reset
// TOTP, send a new set-password link. Each change is audited by the domain.
import { Router } from 'express';
import { z } from 'zod';
import type { Container } from '../../container';
import { STAFF_STATUSES } from '../../data/staff.model';
import { ADMIN_ROLES } from '../../domain/staff/admin-token';
import { actorOf, requireRole } from '../admin-auth';
import { parseOr400 } from '../validate';
import { isoDate, itemsOf, objectId } from './response-schemas';
import { describeMe } from './staff-auth-routes';

export const inviteBody = z.strictObject({ email: z.string().max(320), role: z.enum(ADMIN_ROLES), name: z.string().trim().max(200).optional() });
export const roleBody = z.strictObject({ role: z.enum(ADMIN_ROLES) });
export const staffIdParam = z.strictObject({ id: z.string().regex(/^[0-9a-f]{24}$/, 'not a staff id') });

export const staffResponse = z.strictObject({
  id: objectId,
  email: z.string(),
  name: z.string(),
  role: z.enum(ADMIN_ROLES),
  status: z.enum(STAFF_STATUSES),
  totpEnabled: z.boolean(),
  failedAttempts: z.number().int(),
  lastLoginAt: isoDate.nullable(),
  createdAt: isoDate.nullable(),
});
/** The account, and whether its one-time link went out (never the link itself). */
export const staffWithLinkResponse = staffResponse.extend({ linkExpiresAt: isoDate, linkMailed: z.boolean() });
export const staffListResponse = itemsOf(staffResponse);

export function staffRoutes(c: Pick<Container, 'staff' | 'models'>): Router {
  const router = Router();

  router.get('/auth/me', async (req, res) => {
    res.json(await describeMe(c, req.principal!.sub, req.principal!.role, req.staffSession?.session));
  });

  router.use('/staff', requireRole('admin'));

  router.get('/staff', async (_req, res) => {
    res.json({ items: await c.staff.accounts.list() });
  });

  router.post('/staff', async (req, res) => {
    const { staff, link } = await c.staff.accounts.invite(parseOr400(inviteBody, req.body), actorOf(req));
    // The link goes to the invitee's mailbox only; the admin learns whether it was sent.
    res.status(201).json({ ...staff, linkExpiresAt: link.expiresAt, linkMailed: link.mailed });
  });

  router.get('/staff/:id', async (req, res) => {
    res.json(await c.staff.accounts.get(parseOr400(staffIdParam, req.params).id));
  });

  router.patch('/staff/:id', async (req, res) => {
    const { id } = parseOr400(staffIdParam, req.params);
    res.json(await c.staff.accounts.changeRole(id, parseOr400(roleBody, req.body).role, actorOf(req)));
  });

  router.post('/staff/:id/deactivate', async (req, res) => {
    res.json(await c.staff.accounts.deactivate(parseOr400(staffIdParam, req.params).id, actorOf(req)));
  });

  router.post('/staff/:id/totp/reset', async (req, res) => {
    res.json(await c.staff.accounts.resetTotp(parseOr400(staffIdParam, req.params).id, actorOf(req)));
  });

  router.post('/staff/:id/password-link', async (req, res) => {
    const { staff, link } = await c.staff.accounts.reissueLink(parseOr400(staffIdParam, req.params).id, actorOf(req));
    res.json({ ...staff, linkExpiresAt: link.expiresAt, linkMailed: link.mailed });
  });
  return router;
}
