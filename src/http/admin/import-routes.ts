// The DPO's import desk: look at a file's first rows and map its columns, try it (a dry run that
// writes nothing), run it as a job and follow its progress, and read the kept reports. The file
// travels as the body (text/csv); the mapping and options as the query. Every route that returns
// addresses from the file or a report is audited.
import express, { Router, type Request } from 'express';
import { z } from 'zod';
import type { Container } from '../../container';
import { DEFAULT_LIST, LIST_SLUG } from '../../data/list.model';
import { IMPORT_FIELDS, previewImport, type ColumnMapping } from '../../domain/consent/import';
import { ValidationError } from '../../errors';
import { actorOf, requireRole } from '../admin-auth';
import { parseOr400 } from '../validate';
import { isoDate, itemsOf, objectId } from './response-schemas';
import { caseSensitiveRouter } from '../router';

// 100,000 rows of address, name, locale, date and source stay well under this.
export const IMPORT_BODY_LIMIT = '25mb';
export const csvBodyParser = express.text({ type: 'text/csv', limit: IMPORT_BODY_LIMIT });

/** The CSV body, or a 400 that says how to send it. */
export function csvBody(req: Request): string {
  if (typeof req.body !== 'string' || req.body.length === 0) throw new ValidationError('send the CSV as the request body with Content-Type: text/csv');
  return req.body;
}

const column = z.string().min(1).max(200);
export const runQuery = z.strictObject({
  list: z.string().regex(LIST_SLUG).default(DEFAULT_LIST),
  source: z.string().trim().min(1).max(200).optional(),
  fileName: z.string().trim().min(1).max(200).optional(),
  col_email: column.optional(),
  col_name: column.optional(),
  col_locale: column.optional(),
  col_consent_date: column.optional(),
  col_source: column.optional(),
});
export const listQuery = z.strictObject({ limit: z.coerce.number().int().min(1).max(200).default(50) });
export const idParam = z.strictObject({ id: z.string().regex(/^[0-9a-f]{24}$/i, 'a 24-character hex import id') });

const count = z.number().int();
const mappingResponse = z.strictObject({ email: z.string(), name: z.string(), locale: z.string(), consent_date: z.string(), source: z.string() }).partial();
/** Skip reason → rows; the reasons are the importer's and grow with it. */
const reasonsResponse = z.record(z.string(), count);
const skippedRowResponse = z.strictObject({ line: count, reason: z.string(), email: z.string().nullish() });
export const previewResponse = z.strictObject({ columns: z.array(z.string()), rows: z.array(z.array(z.string())), mapping: mappingResponse });
export const importReportResponse = z.strictObject({
  list: z.string(),
  rows: count,
  added: count,
  skipped: count,
  repaired: count,
  reasons: reasonsResponse,
  skippedRows: z.array(skippedRowResponse),
  dryRun: z.boolean(),
});
/** The run within the request (POST /import): the report, and the id it is kept under. */
export const importRunResponse = importReportResponse.extend({ id: objectId });
export const importRecordResponse = z.strictObject({
  id: objectId,
  actor: z.string(),
  fileName: z.string().nullish(),
  list: z.string(),
  source: z.string().nullish(),
  mapping: mappingResponse.nullish(),
  status: z.enum(['queued', 'running', 'done', 'failed']),
  expectedRows: count,
  rows: count,
  added: count,
  skipped: count,
  repaired: count,
  // Absent until the run has counted something: the store drops the empty default.
  reasons: reasonsResponse.optional(),
  detailsRemoved: z.boolean(),
  error: z.string().nullish(),
  createdAt: isoDate,
  startedAt: isoDate.nullish(),
  finishedAt: isoDate.nullish(),
});
export const importListResponse = itemsOf(importRecordResponse);
export const importWithRowsResponse = importRecordResponse.extend({ skippedRows: z.array(skippedRowResponse) });

/** The mapping from `col_<field>=<header>`; none given: the usual header names. */
function mappingOf(query: z.infer<typeof runQuery>): ColumnMapping | undefined {
  const mapping: ColumnMapping = {};
  for (const field of IMPORT_FIELDS) {
    const header = query[`col_${field}`];
    if (header) mapping[field] = header;
  }
  return Object.keys(mapping).length ? mapping : undefined;
}

function requestOf(req: Request) {
  const query = parseOr400(runQuery, req.query);
  return { csv: csvBody(req), list: query.list, source: query.source, fileName: query.fileName, mapping: mappingOf(query), actor: actorOf(req) };
}

export function importRoutes(c: Pick<Container, 'imports' | 'audit'>): Router {
  const router = caseSensitiveRouter();

  router.post('/imports/preview', requireRole('dpo'), csvBodyParser, async (req, res) => {
    const preview = await previewImport(csvBody(req));
    await c.audit.record(actorOf(req), 'import.preview', undefined, { rows: preview.rows.length });
    res.json(preview);
  });

  router.post('/imports/dry-run', requireRole('dpo'), csvBodyParser, async (req, res) => {
    const request = requestOf(req);
    const report = await c.imports.dryRun(request);
    await c.audit.record(request.actor, 'subscribers.import.dry-run', request.list, { added: report.added, skipped: report.skipped });
    res.json(report);
  });

  router.post('/imports', requireRole('dpo'), csvBodyParser, async (req, res) => {
    const request = requestOf(req);
    const id = await c.imports.enqueue(request);
    await c.audit.record(request.actor, 'subscribers.import.queued', request.list, { importId: id });
    res.status(202).json(present(await c.imports.get(id)));
  });

  router.get('/imports', requireRole('dpo'), async (req, res) => {
    const { limit } = parseOr400(listQuery, req.query);
    res.json({ items: (await c.imports.list(limit)).map(present) });
  });

  router.get('/imports/:id', requireRole('dpo'), async (req, res) => {
    const { id } = parseOr400(idParam, req.params);
    const record = await c.imports.get(id);
    // Polling a running import reads counts only; the skipped addresses are a read of personal data.
    if (record.skippedRows.some((r) => r.email)) await c.audit.record(actorOf(req), 'import.read', id, { skippedRows: record.skippedRows.length });
    res.json({ ...present(record), skippedRows: record.skippedRows.map((r) => ({ line: r.line, reason: r.reason, email: r.email })) });
  });

  return router;
}

type ImportRecord = Awaited<ReturnType<Container['imports']['list']>>[number];

function present(r: ImportRecord) {
  return {
    id: String(r._id),
    actor: r.actor,
    fileName: r.fileName,
    list: r.list,
    source: r.source,
    mapping: r.mapping,
    status: r.status,
    expectedRows: r.expectedRows,
    rows: r.rows,
    added: r.added,
    skipped: r.skipped,
    repaired: r.repaired,
    reasons: r.reasons,
    detailsRemoved: Boolean(r.detailsRemoved),
    error: r.error,
    createdAt: r.createdAt,
    startedAt: r.startedAt,
    finishedAt: r.finishedAt,
  };
}
