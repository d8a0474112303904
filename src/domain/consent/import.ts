// Import of IMPRO's existing list: one row per person (address, name, locale, consent date, source).
// Each imported subscription gets an `imported` consent event naming when and where the person
// consented. An address that is suppressed, erased, restricted or has ever unsubscribed is never
// (re-)activated (invariant 2); the report says what was added, what was skipped and why.
// A dry run takes every decision the same way from reads alone and writes nothing.
//
// Throughput: rows go in chunks; per chunk one $in query for suppressions, one bulk insert of new
// subscribers (the unique emailKey index sorts out the ones that already exist, also against a
// concurrent sign-up), lookups only for those, and one bulk insert each of subscriptions and events.
import { Types } from 'mongoose';
import { crashPoint } from '../../crash-point';
import type { Models } from '../../data/models';
import { ValidationError } from '../../errors';
import type { ConsentLedger, ConsentEventInput } from './consent-ledger';
import { readCsvRecords } from './csv-records';
import { checkPersonName } from '../person-name';
import { emailKey, hashEmail, normalizeEmail } from '../email-address';
import { OptOuts } from './opt-outs';
import type { PolicyVersion, PolicyVersions } from './policy-versions';
import { transitionEventId } from './subscription-state';
import { suppressionQueries } from '../../data/suppression.queries';
import { subscriberQueries } from '../../data/subscriber.queries';
import { subscriptionQueries } from '../../data/subscription.queries';
import { consentEventQueries } from '../../data/consent-event.queries';
import { listQueries } from '../../data/list.queries';

const CHUNK_SIZE = 5000;
// Inserts within a chunk run as parallel batches: the database's own work overlaps that way.
const BATCH_SIZE = 1000;
const MAX_LISTED_SKIPS = 1000;
const MAX_NAME = 200;

export type SkipReason =
  | 'invalid-email'
  | 'invalid-consent-date'
  | 'invalid-locale'
  | 'invalid-name'
  | 'duplicate-in-file'
  | 'suppressed'
  | 'erased'
  | 'restricted'
  | 'unsubscribed'
  // Did not renew consent after a material policy change: only their own double opt-in brings them back.
  | 'lapsed'
  | 'opted-out'
  | 'pending'
  | 'already-active'
  | 'changed-meanwhile';

export interface ImportReport {
  list: string;
  rows: number;
  added: number;
  skipped: number;
  /** Subscriptions an interrupted earlier run activated without their `imported` event: recorded now. */
  repaired: number;
  reasons: Partial<Record<SkipReason, number>>;
  /** Line numbers in the file (the header is line 1) and the address as written; the first 1,000 only. */
  skippedRows: Array<{ line: number; reason: SkipReason; email: string }>;
  /** Nothing was written: `added` is what a real run would add now. */
  dryRun: boolean;
}

/** Our fields, and for each the header of the file's column that holds it. */
export const IMPORT_FIELDS = ['email', 'name', 'locale', 'consent_date', 'source'] as const;
export type ImportField = (typeof IMPORT_FIELDS)[number];
export type ColumnMapping = Partial<Record<ImportField, string>>;

export interface ImportInput {
  csv: string | NodeJS.ReadableStream;
  list: string;
  /** Used where a row names no source. */
  defaultSource?: string;
  actor: string;
  /** Which column holds which field; without it the headers are recognised by their usual names. */
  mapping?: ColumnMapping;
  dryRun?: boolean;
  /** Called after each chunk with the report so far. */
  onProgress?: (report: ImportReport) => Promise<void>;
}

interface ImportDeps {
  models: Models;
  ledger: ConsentLedger;
  /** The container's; built from models and config where a caller has none. */
  optOuts?: OptOuts;
  policies: PolicyVersions;
  config: { emailHashKey: string };
  clock: { now(): Date };
}

interface Row {
  line: number;
  email: string;
  key: string;
  hash: string;
  name: string;
  locale: 'lv' | 'en';
  consentedAt: Date;
  source: string;
}

// Header names as spreadsheets write them, mapped to our fields.
const COLUMNS: Record<string, keyof RawRow> = {
  email: 'email',
  address: 'email',
  'e-mail': 'email',
  'e-pasts': 'email',
  name: 'name',
  'vārds': 'name',
  locale: 'locale',
  language: 'locale',
  consent_date: 'consentDate',
  consented_at: 'consentDate',
  consentdate: 'consentDate',
  source: 'source',
};

const FIELD_KEYS: Record<ImportField, keyof RawRow> = { email: 'email', name: 'name', locale: 'locale', consent_date: 'consentDate', source: 'source' };

interface RawRow {
  email?: string;
  name?: string;
  locale?: string;
  consentDate?: string;
  source?: string;
}

export async function importSubscribers(deps: ImportDeps, input: ImportInput): Promise<ImportReport> {
  if (!(await listQueries.exists(deps.models, input.list))) throw new ValidationError(`unknown list: ${input.list}`);
  const run = new ImportRun(deps, input, await deps.policies.all());
  const records = readCsvRecords<RawRow>(input.csv, {
    delimiter: [',', ';'],
    columns: (header: string[]) => columnsOf(header, input.mapping),
  });
  let chunk: Array<{ line: number; raw: RawRow }> = [];
  for await (const { line, record } of records) {
    chunk.push({ line, raw: record });
    if (chunk.length >= CHUNK_SIZE) {
      await run.chunk(chunk);
      chunk = [];
    }
  }
  await run.chunk(chunk);
  return run.report;
}

/** The record field each column feeds (false: ignored), from the DPO's mapping or the usual header names. */
function columnsOf(header: string[], mapping: ColumnMapping | undefined): Array<keyof RawRow | false> {
  if (!mapping) {
    const fields = header.map((h) => COLUMNS[h.toLowerCase()] ?? false);
    if (!fields.includes('email') || !fields.includes('consentDate')) {
      throw new ValidationError('the first line must name the columns: email, name, locale, consent_date, source');
    }
    return fields;
  }
  checkMapping(header, mapping);
  const byHeader = new Map(Object.entries(mapping).map(([field, column]) => [column, FIELD_KEYS[field as ImportField]]));
  return header.map((h) => byHeader.get(h) ?? false);
}

/** A mapping must name email and consent_date, each column once, and only columns the file has. */
export function checkMapping(header: string[], mapping: ColumnMapping): void {
  const problems: string[] = [];
  if (!mapping.email) problems.push('map a column to email');
  if (!mapping.consent_date) problems.push('map a column to consent_date');
  const columns = Object.values(mapping).filter((c): c is string => Boolean(c));
  for (const column of new Set(columns)) {
    if (!header.includes(column)) problems.push(`the file has no column "${column.slice(0, 100)}"`);
    else if (header.filter((h) => h === column).length > 1) problems.push(`the file has more than one column "${column.slice(0, 100)}"`);
    if (columns.filter((c) => c === column).length > 1) problems.push(`column "${column.slice(0, 100)}" is mapped to more than one field`);
  }
  if (problems.length) throw new ValidationError(`wrong column mapping: ${problems.join('; ')}`, { reason: 'mapping', problems });
}

export interface ImportPreview {
  columns: string[];
  /** The first rows as written, cell by cell. */
  rows: string[][];
  /** What the usual header names suggest. */
  mapping: ColumnMapping;
}

/** The header and first rows of a file, for the DPO to map its columns before anything runs. */
export async function previewImport(csv: string, maxRows = 10): Promise<ImportPreview> {
  let columns: string[] | undefined;
  const rows: string[][] = [];
  for await (const { record } of readCsvRecords<string[]>(csv, { delimiter: [',', ';'] })) {
    if (!columns) columns = record;
    else rows.push(record);
    if (rows.length >= maxRows) break;
  }
  if (!columns) throw new ValidationError('the file is empty: its first line must name the columns');
  const mapping: ColumnMapping = {};
  for (const column of columns) {
    const key = COLUMNS[column.toLowerCase()];
    const field = IMPORT_FIELDS.find((f) => FIELD_KEYS[f] === key);
    if (field && !mapping[field]) mapping[field] = column;
  }
  return { columns, rows, mapping };
}

class ImportRun {
  readonly report: ImportReport;
  private readonly seen = new Set<string>();
  private readonly optOuts: OptOuts;

  constructor(
    private readonly deps: ImportDeps,
    private readonly input: ImportInput,
    private readonly policies: PolicyVersion[],
  ) {
    this.optOuts = deps.optOuts ?? new OptOuts({ models: deps.models, emailHashKey: deps.config.emailHashKey, now: () => deps.clock.now() });
    this.report = { list: input.list, rows: 0, added: 0, skipped: 0, repaired: 0, reasons: {}, skippedRows: [], dryRun: Boolean(input.dryRun) };
  }

  async chunk(raw: Array<{ line: number; raw: RawRow }>): Promise<void> {
    if (raw.length === 0) return;
    this.report.rows += raw.length;
    const rows = raw.map((r) => this.validate(r.line, r.raw)).filter((r): r is Row => r !== undefined);
    const eligible = await this.withoutSuppressed(rows);
    if (this.input.dryRun) {
      const { fresh, eligible: known } = await this.eligibleExisting(eligible, { dryRun: true });
      this.report.added += fresh.length + known.length;
      await this.input.onProgress?.(this.report);
      return;
    }
    const { created, existing } = await this.insertSubscribers(eligible);
    const subscriptions = [...created, ...(await this.eligibleExisting(existing, { dryRun: false })).eligible];
    const added = await this.insertSubscriptions(subscriptions);
    // State first: the subscription's unique (subscriber, list) decides whether this row adds anything.
    // Each event's _id is the one its subscription's creation is keyed by (subscription-state.ts), so
    // a rerun or the reconciliation job can tell an activation whose event a crash left unwritten.
    crashPoint('import:after-subscriptions');
    await this.recordImported(added);
    this.report.added += added.length;
    await this.input.onProgress?.(this.report);
  }

  private async recordImported(items: Array<{ row: Row; subscriberId: Types.ObjectId; subscriptionId: Types.ObjectId }>): Promise<void> {
    const events = items.map(({ row, subscriberId, subscriptionId }) => ({
      _id: transitionEventId(subscriptionId, 0),
      ...this.importedEvent(row, subscriberId),
      subscriptionId,
      fromVersion: 0,
    }));
    await Promise.all(batches(events).map((batch) => this.deps.ledger.recordBulk(batch)));
  }

  private validate(line: number, raw: RawRow): Row | undefined {
    let email: string;
    const written = cleanText(raw.email ?? '').slice(0, MAX_NAME);
    try {
      email = normalizeEmail(raw.email ?? '');
    } catch {
      return this.skip(line, 'invalid-email', written);
    }
    const skip = (reason: SkipReason) => this.skip(line, reason, email);
    const consentedAt = parseConsentDate(raw.consentDate ?? '');
    if (!consentedAt || consentedAt > this.deps.clock.now()) return skip('invalid-consent-date');
    const locale = (raw.locale || 'lv').toLowerCase();
    if (locale !== 'lv' && locale !== 'en') return skip('invalid-locale');
    const name = checkPersonName(raw.name ?? '');
    if (name === undefined) return skip('invalid-name');
    const key = emailKey(email);
    if (this.seen.has(key)) return skip('duplicate-in-file');
    this.seen.add(key);
    return {
      line,
      email,
      key,
      hash: hashEmail(email, this.deps.config.emailHashKey),
      name,
      locale,
      consentedAt,
      source: cleanText(raw.source || this.input.defaultSource || 'import').slice(0, MAX_NAME),
    };
  }

  /** Suppressed addresses, erasure tombstones included, are never imported. */
  private async withoutSuppressed(rows: Row[]): Promise<Row[]> {
    if (rows.length === 0) return rows;
    const hashes = rows.map((r) => r.hash);
    const [found, optedOut] = await Promise.all([
      suppressionQueries.amongAddresses(this.deps.models, hashes).lean(),
      // A "no" outlives the person's other data (invariant 11): retention may have removed them since.
      this.optOuts.amongFor(hashes, this.input.list),
    ]);
    const reasons = new Map(found.map((s) => [s.emailHash, s.reason]));
    return rows.filter((row) => {
      const reason = reasons.get(row.hash);
      if (reason) this.skip(row.line, reason === 'erasure' ? 'erased' : 'suppressed', row.email);
      else if (optedOut.has(row.hash)) this.skip(row.line, 'opted-out', row.email);
      return !reason && !optedOut.has(row.hash);
    });
  }

  /** Inserts every row as a new subscriber; the unique emailKey index rejects the known ones. */
  private async insertSubscribers(rows: Row[]): Promise<{ created: Array<{ row: Row; subscriberId: Types.ObjectId }>; existing: Row[] }> {
    const now = this.deps.clock.now();
    const docs = rows.map((row) => ({
      _id: new Types.ObjectId(),
      email: row.email,
      emailKey: row.key,
      emailHash: row.hash,
      name: row.name,
      locale: row.locale,
      restricted: false,
      createdAt: now,
      updatedAt: now,
    }));
    const duplicates = await bulkInsert(this.deps.models.subscribers.collection, docs);
    return {
      created: rows.flatMap((row, i) => (duplicates.has(i) ? [] : [{ row, subscriberId: docs[i]!._id }])),
      existing: rows.filter((_, i) => duplicates.has(i)),
    };
  }

  /**
   * Known subscribers get the list only if nothing speaks against it. In a dry run the rows are not
   * inserted first: those nobody knows are `fresh` (a real run would add them), and nothing is repaired.
   */
  private async eligibleExisting(
    rows: Row[],
    opts: { dryRun: boolean },
  ): Promise<{ eligible: Array<{ row: Row; subscriberId: Types.ObjectId }>; fresh: Row[] }> {
    if (rows.length === 0) return { eligible: [], fresh: [] };
    const { models } = this.deps;
    const subscribers = await subscriberQueries.amongAddresses(models, rows.map((r) => r.key)).lean();
    const byKey = new Map(subscribers.map((s) => [s.emailKey, s]));
    const subscriptions = await subscriptionQueries.amongSubscribers(models, subscribers.map((s) => s._id)).lean();
    const everUnsubscribed = new Set(subscriptions.filter((s) => s.status === 'unsubscribed').map((s) => String(s.subscriberId)));
    const onList = new Map(subscriptions.filter((s) => s.list === this.input.list).map((s) => [String(s.subscriberId), s.status]));
    if (!opts.dryRun) await this.repairInterrupted(rows, byKey, subscriptions.filter((s) => s.list === this.input.list));
    const eligible: Array<{ row: Row; subscriberId: Types.ObjectId }> = [];
    const fresh: Row[] = [];
    for (const row of rows) {
      const subscriber = byKey.get(row.key);
      const id = subscriber ? String(subscriber._id) : '';
      const status = onList.get(id);
      const skip = (reason: SkipReason) => this.skip(row.line, reason, row.email);
      // Withdrawing consent from any list outweighs a consent date from an older list.
      if (!subscriber) {
        if (opts.dryRun) fresh.push(row);
        else skip('changed-meanwhile');
      } else if (subscriber.restricted) skip('restricted');
      else if (status === 'active') skip('already-active');
      else if (status === 'pending') skip('pending');
      else if (status === 'lapsed') skip('lapsed');
      else if (everUnsubscribed.has(id)) skip('unsubscribed');
      else eligible.push({ row, subscriberId: subscriber._id });
    }
    return { eligible, fresh };
  }

  /**
   * Only an import creates a subscription active at version 1. Such a one without its `imported`
   * event was activated by a run that died before recording it: this rerun records it from the row.
   */
  private async repairInterrupted(
    rows: Row[],
    byKey: Map<string, { _id: Types.ObjectId }>,
    onList: Array<{ _id: Types.ObjectId; subscriberId: Types.ObjectId; status: string; version?: number | null }>,
  ): Promise<void> {
    const candidates = onList.filter((s) => s.status === 'active' && s.version === 1);
    if (candidates.length === 0) return;
    const recorded = new Set(
      (await consentEventQueries.presentAmong(this.deps.models, candidates.map((s) => transitionEventId(s._id, 0))).lean()).map((e) => String(e._id)),
    );
    const bySubscriber = new Map(candidates.filter((s) => !recorded.has(String(transitionEventId(s._id, 0)))).map((s) => [String(s.subscriberId), s._id]));
    const repairs = rows.flatMap((row) => {
      const subscriber = byKey.get(row.key);
      const subscriptionId = subscriber && bySubscriber.get(String(subscriber._id));
      return subscriber && subscriptionId ? [{ row, subscriberId: subscriber._id, subscriptionId }] : [];
    });
    await this.recordImported(repairs);
    this.report.repaired += repairs.length;
  }

  private async insertSubscriptions(items: Array<{ row: Row; subscriberId: Types.ObjectId }>) {
    const now = this.deps.clock.now();
    const docs = items.map(({ row, subscriberId }) => ({
      _id: new Types.ObjectId(),
      version: 1,
      subscriberId,
      list: this.input.list,
      status: 'active',
      confirmedAt: row.consentedAt,
      policyVersion: this.policyAt(row.consentedAt)?.version,
      createdAt: now,
      updatedAt: now,
    }));
    // A sign-up for the same person and list that landed since the lookup wins.
    const duplicates = await bulkInsert(this.deps.models.subscriptions.collection, docs);
    return items.flatMap((item, i) => {
      if (duplicates.has(i)) this.skip(item.row.line, 'changed-meanwhile', item.row.email);
      return duplicates.has(i) ? [] : [{ ...item, subscriptionId: docs[i]!._id }];
    });
  }

  private importedEvent(row: Row, subscriberId: Types.ObjectId): ConsentEventInput & { subscriberId: Types.ObjectId } {
    return {
      subscriberId,
      emailHash: row.hash,
      list: this.input.list,
      type: 'imported',
      channel: 'import',
      policyVersion: this.policyAt(row.consentedAt)?.version,
      consentedAt: row.consentedAt,
      source: row.source,
      actor: this.input.actor,
    };
  }

  /** The policy version in force when the person consented (none before version 1 took effect). */
  private policyAt(at: Date): PolicyVersion | undefined {
    return this.policies.filter((p) => p.effectiveAt <= at).at(-1);
  }

  private skip(line: number, reason: SkipReason, email: string): undefined {
    this.report.skipped++;
    this.report.reasons[reason] = (this.report.reasons[reason] ?? 0) + 1;
    if (this.report.skippedRows.length < MAX_LISTED_SKIPS) this.report.skippedRows.push({ line, reason, email });
    return undefined;
  }
}

type InsertableCollection = { insertMany(docs: object[], opts: { ordered: false; ignoreUndefined: true }): Promise<unknown> };

/** Unordered bulk insert through the driver; returns the indexes of `docs` that hit a unique index. */
async function bulkInsert(collection: InsertableCollection, docs: object[]): Promise<Set<number>> {
  const rejected = await Promise.all(batches(docs).map((batch, b) => insertBatch(collection, batch, b * BATCH_SIZE)));
  return new Set(rejected.flat());
}

async function insertBatch(collection: InsertableCollection, docs: object[], offset: number): Promise<number[]> {
  try {
    await collection.insertMany(docs, { ordered: false, ignoreUndefined: true });
    return [];
  } catch (err) {
    const writeErrors = (err as { writeErrors?: unknown }).writeErrors;
    const errors = (Array.isArray(writeErrors) ? writeErrors : writeErrors ? [writeErrors] : []) as Array<{ index: number; code: number }>;
    if (errors.length === 0 || errors.some((e) => e.code !== 11000)) throw err;
    return errors.map((e) => offset + e.index);
  }
}

function batches<T>(items: T[]): T[][] {
  return Array.from({ length: Math.ceil(items.length / BATCH_SIZE) }, (_, i) => items.slice(i * BATCH_SIZE, (i + 1) * BATCH_SIZE));
}

/** ISO dates (2019-03-01, with or without time) or the Latvian day.month.year (01.03.2019). */
export function parseConsentDate(text: string): Date | undefined {
  const latvian = /^(\d{1,2})\.(\d{1,2})\.(\d{4})$/.exec(text);
  const iso = latvian ? `${latvian[3]}-${latvian[2]!.padStart(2, '0')}-${latvian[1]!.padStart(2, '0')}` : text;
  if (!/^\d{4}-\d{2}-\d{2}([T ][\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/.test(iso)) return undefined;
  const dateOnly = iso.length === 10;
  const date = new Date(dateOnly ? `${iso}T00:00:00Z` : iso.replace(' ', 'T'));
  if (Number.isNaN(date.getTime())) return undefined;
  // Date rolls 2019-02-30 over into March; a consent date that does not exist is a typo.
  if (dateOnly && date.toISOString().slice(0, 10) !== iso) return undefined;
  return date;
}

function cleanText(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f]+/g, ' ').trim();
}
