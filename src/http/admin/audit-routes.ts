// The audit trail for the DPO: filtered by actor, action, target and time, a page at a time, and
// the same selection as a CSV file. Reading the trail is itself recorded.
import { Router } from 'express';
import { z } from 'zod';
import type { Container } from '../../container';
import type { AuditFilter } from '../../domain/audit';
import { ValidationError } from '../../errors';
import { actorOf, requireRole } from '../admin-auth';
import { csvLine } from '../csv';
import { parseOr400 } from '../validate';
import { isoDate, objectId } from './response-schemas';
import { caseSensitiveRouter } from '../router';

const DAY_MS = 24 * 3600 * 1000;
// On FerretDB a time range is read entry by entry (only equalities are pushed down): one year at most.
const MAX_RANGE_DAYS = 366;
const EXPORT_MAX_ROWS = 10_000;
const EXPORT_PAGE = 500;

const text = z.string().trim().min(1).max(320);
const filterShape = {
  actor: text.optional(),
  action: text.optional(),
  target: text.optional(),
  from: z.coerce.date().optional(),
  to: z.coerce.date().optional(),
};
const ordered = (q: { from?: Date; to?: Date }) => !q.from || !q.to || q.from < q.to;
const orderMessage = { message: 'from must be before to', path: ['from'] };
export const filterQuery = z.strictObject(filterShape).refine(ordered, orderMessage);
export const query = z
  .strictObject({
    ...filterShape,
    limit: z.coerce.number().int().min(1).max(500).default(100),
    /** The page cursor: the `at` and `id` of the last entry of the page before. */
    before: z.coerce.date().optional(),
    beforeId: z.string().regex(/^[0-9a-f]{24}$/i).optional(),
  })
  .refine(ordered, orderMessage);

export const auditPageResponse = z.strictObject({
  items: z.array(
    z.strictObject({
      id: objectId,
      actor: z.string(),
      role: z.string().nullish(),
      action: z.string(),
      target: z.string().nullish(),
      ip: z.string().nullish(),
      at: isoDate,
      // Open-ended on purpose: each action records the details of its own kind (counts, reasons, fields).
      details: z.record(z.string(), z.unknown()).nullish(),
    }),
  ),
  next: z.strictObject({ before: isoDate, beforeId: objectId }).nullable(),
});

/** A range may not span more than a year: `from` without `to` counts to now. */
function bounded(filter: AuditFilter, now: Date): AuditFilter {
  if (filter.from && (filter.to ?? now).getTime() - filter.from.getTime() > MAX_RANGE_DAYS * DAY_MS) {
    throw new ValidationError(`the time range may span at most ${MAX_RANGE_DAYS} days`, { fields: [{ field: 'from', message: 'range too long' }] });
  }
  return filter;
}

export function auditRoutes(c: Pick<Container, 'audit' | 'clock'>): Router {
  const router = caseSensitiveRouter();
  router.get('/audit', requireRole('dpo'), async (req, res) => {
    const { limit, before, beforeId, ...filter } = parseOr400(query, req.query);
    const entries = await c.audit.list({ ...bounded(filter, c.clock.now()), limit, before, beforeId });
    // The trail names staff and targets: reading it is itself recorded.
    await c.audit.record(actorOf(req), 'audit.read', undefined, { count: entries.length, ...described(filter) });
    const last = entries.length === limit ? entries.at(-1) : undefined;
    res.json({
      items: entries.map((e) => ({ id: String(e._id), actor: e.actor, role: e.role, action: e.action, target: e.target, ip: e.ip, at: e.at, details: e.details })),
      next: last ? { before: last.at, beforeId: String(last._id) } : null,
    });
  });

  router.get('/audit.csv', requireRole('dpo'), async (req, res) => {
    const filter = bounded(parseOr400(filterQuery, req.query), c.clock.now());
    const rows: string[] = [csvLine(['at', 'actor', 'role', 'action', 'target', 'ip', 'details'])];
    let cursor: { before?: Date; beforeId?: string } = {};
    let count = 0;
    while (count < EXPORT_MAX_ROWS) {
      const page = await c.audit.list({ ...filter, ...cursor, limit: Math.min(EXPORT_PAGE, EXPORT_MAX_ROWS - count) });
      for (const e of page) rows.push(csvLine([e.at, e.actor, e.role, e.action, e.target, e.ip, e.details]));
      count += page.length;
      const last = page.at(-1);
      if (!last || page.length < EXPORT_PAGE) break;
      cursor = { before: last.at, beforeId: String(last._id) };
    }
    await c.audit.record(actorOf(req), 'audit.export', undefined, { count, ...described(filter) });
    res.set('content-type', 'text/csv; charset=utf-8');
    res.set('content-disposition', `attachment; filename="audit-${c.clock.now().toISOString().slice(0, 10)}.csv"`);
    // The cap is said, not hidden: a narrower filter gets the rest.
    res.set('x-export-truncated', count >= EXPORT_MAX_ROWS ? 'true' : 'false');
    res.send(`\ufeff${rows.join('')}`);
  });
  return router;
}

function described(filter: AuditFilter): Record<string, unknown> {
  return Object.fromEntries(Object.entries(filter).filter(([, v]) => v !== undefined));
}
