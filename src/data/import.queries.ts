// Every question asked of `imports` (one record per uploaded file): by _id; the import desk's newest
// first and retention's nightly sweeps read the whole (small) collection on the embedded FerretDB.
import type { Types } from 'mongoose';
import { scans, uses } from './named-query';

type Id = Types.ObjectId | string;

export const importQueries = {
  /** An import's page. */
  byId: uses('_id_', (m, id: Id) => m.imports.findById(id)),
  /** The worker takes a queued import, once. */
  start: uses('_id_', (m, id: Id, at: Date) =>
    m.imports.findOneAndUpdate({ _id: id, status: 'queued' }, { $set: { status: 'running', startedAt: at } }, { returnDocument: 'after' }),
  ),
  /** Progress, the outcome, retention's trimmed details. */
  update: uses('_id_', (m, id: Id, set: Record<string, unknown>) => m.imports.updateOne({ _id: id }, { $set: set })),
  /** The import desk: the newest imports, without their skipped rows. */
  newest: scans('no filter to push down and the embedded FerretDB sorts in memory (createdAt_-1 serves it on MongoDB); a few imports a week', (m, limit: number) => m.imports.find({}, { skippedRows: 0 }).sort({ createdAt: -1 }).limit(limit)),
  /** Retention: reports past the period go. */
  removeCreatedBefore: scans('the nightly retention sweep', (m, cutoff: Date) => m.imports.deleteMany({ createdAt: { $lt: cutoff } })),
  /** Retention: finished imports whose skipped rows still carry addresses. */
  detailsDue: scans('the nightly retention sweep', (m, cutoff: Date) => m.imports.find({ finishedAt: { $lt: cutoff }, detailsRemoved: { $ne: true } }, { skippedRows: 1 })),
};
