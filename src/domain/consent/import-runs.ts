// Imports as the DPO runs them: each run is an `imports` record (who, when, which file, into which
// list, progress, the report). The console's run is a job: the file waits in Redis under the
// record's id (the job carries the id only), the `import` worker runs it and updates the record after
// every chunk, which the console polls for its progress bar. The CLI and the synchronous API run the
// same way in-process, so every real run leaves the same report.
import { Types } from 'mongoose';
import type { Redis } from 'ioredis';
import type { Queue } from 'bullmq';
import type { Models } from '../../data/models';
import { AppError, NotFoundError, ValidationError } from '../../errors';
import type { Actor, AuditLog } from '../audit';
import { checkMapping, importSubscribers, previewImport, type ColumnMapping, type ImportReport } from './import';
import { readCsvRecords } from './csv-records';
import type { ConsentLedger } from './consent-ledger';
import type { OptOuts } from './opt-outs';
import type { PolicyVersions } from './policy-versions';
import { listQueries } from '../../data/list.queries';
import { importQueries } from '../../data/import.queries';

export const ImportJobs = { run: 'import-run' } as const;
export interface ImportJob {
  importId: string;
}

/** The file waits at most this long for its job; a run that has not started by then fails. */
const FILE_TTL_SECONDS = 24 * 3600;

export interface ImportRequest {
  csv: string;
  list: string;
  source?: string;
  mapping?: ColumnMapping;
  fileName?: string;
  actor: Actor;
}

interface Deps {
  models: Models;
  ledger: ConsentLedger;
  optOuts: OptOuts;
  policies: PolicyVersions;
  audit: AuditLog;
  redis: Redis;
  queue: Queue;
  config: { emailHashKey: string; queuePrefix: string };
  clock: { now(): Date };
}

export class ImportRuns {
  constructor(private readonly deps: Deps) {}

  /** Checks list and columns, keeps the file for the worker and queues the run: the record's id. */
  async enqueue(request: ImportRequest): Promise<string> {
    const expectedRows = await this.check(request);
    const id = new Types.ObjectId();
    await this.deps.redis.set(this.fileKey(String(id)), request.csv, 'EX', FILE_TTL_SECONDS);
    await this.deps.models.imports.create({ _id: id, ...this.recordOf(request), expectedRows, status: 'queued' });
    await this.deps.queue.add(ImportJobs.run, { importId: String(id) } satisfies ImportJob, { jobId: `import-${id}`, attempts: 1 });
    return String(id);
  }

  /** The worker's part: runs a queued import once, reporting progress into its record. */
  async run(importId: string): Promise<void> {
    const { models, redis } = this.deps;
    const record = await importQueries.start(models, importId, this.deps.clock.now()).lean();
    if (!record) return;
    const key = this.fileKey(importId);
    try {
      const csv = await redis.get(key);
      if (csv === null) throw new ValidationError('the file is no longer kept: upload it again');
      await this.execute(importId, { csv, list: record.list, source: record.source ?? undefined, mapping: (record.mapping ?? undefined) as ColumnMapping | undefined, actor: { sub: record.actor, role: record.role } });
    } finally {
      await redis.del(key);
    }
  }

  /** Runs an import now (the CLI, the synchronous API) and keeps its report like a queued one. */
  async runNow(request: ImportRequest): Promise<ImportReport & { id: string }> {
    const expectedRows = await this.check(request);
    const id = new Types.ObjectId();
    await this.deps.models.imports.create({ _id: id, ...this.recordOf(request), expectedRows, status: 'running', startedAt: this.deps.clock.now() });
    return { id: String(id), ...(await this.execute(String(id), request)) };
  }

  async dryRun(request: Omit<ImportRequest, 'fileName'>): Promise<ImportReport> {
    return importSubscribers(this.deps, { csv: request.csv, list: request.list, defaultSource: request.source, mapping: request.mapping, actor: request.actor.sub, dryRun: true });
  }

  async list(limit: number) {
    return importQueries.newest(this.deps.models, limit).lean();
  }

  async get(id: string) {
    if (!Types.ObjectId.isValid(id) || !/^[0-9a-f]{24}$/i.test(id)) throw new ValidationError('id must be a 24-character hex import id');
    const record = await importQueries.byId(this.deps.models, id).lean();
    if (!record) throw new NotFoundError('import');
    return record;
  }

  private async execute(id: string, request: Omit<ImportRequest, 'fileName'>): Promise<ImportReport> {
    const { models } = this.deps;
    try {
      const report = await importSubscribers(this.deps, {
        csv: request.csv,
        list: request.list,
        defaultSource: request.source,
        mapping: request.mapping,
        actor: request.actor.sub,
        onProgress: async (r) => {
          await importQueries.update(models, id, { rows: r.rows, added: r.added, skipped: r.skipped });
        },
      });
      const { rows, added, skipped, repaired, reasons, skippedRows } = report;
      await importQueries.update(models, id, { status: 'done', rows, added, skipped, repaired, reasons, skippedRows, finishedAt: this.deps.clock.now() });
      await this.deps.audit.record(request.actor, 'subscribers.import', request.list, { importId: id, added, skipped });
      return report;
    } catch (err) {
      // The uploader's mistake is told as such; ours is logged by the caller and shown without details.
      const message = err instanceof AppError ? err.message : 'the import stopped on an internal error';
      await importQueries.update(models, id, { status: 'failed', error: message, finishedAt: this.deps.clock.now() });
      throw err;
    }
  }

  /**
   * Refuses, before anything is kept, what would fail later: an unknown list, a wrong mapping, a file
   * that is not CSV (the whole file is parsed once, which also counts its rows for the progress bar).
   */
  private async check(request: ImportRequest): Promise<number> {
    if (!(await listQueries.exists(this.deps.models, request.list))) throw new ValidationError(`unknown list: ${request.list}`);
    const { columns } = await previewImport(request.csv, 0);
    if (request.mapping) checkMapping(columns, request.mapping);
    let rows = 0;
    for await (const _ of readCsvRecords(request.csv, { delimiter: [',', ';'], columns: true })) rows++;
    return rows;
  }

  private recordOf(request: ImportRequest) {
    return {
      actor: request.actor.sub,
      role: request.actor.role,
      fileName: request.fileName,
      list: request.list,
      source: request.source,
      mapping: request.mapping,
    };
  }

  private fileKey(id: string): string {
    return `${this.deps.config.queuePrefix}:import-file:${id}`;
  }
}
