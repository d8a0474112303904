// Every question asked of `audit_entries`: the audit page by actor, action or target (each the first
// field of its own index; FerretDB pushes those equalities down and reads the time range from what
// they select), addresses among the targets; the unfiltered page and retention read them all.
import { scans, uses } from './named-query';
import type { Models } from './models';

/** One page of the audit trail, newest first; `before` and `beforeId` are the cursor of the page before. */
export interface AuditPage {
  actor?: string;
  action?: string;
  target?: string;
  /** Inclusive. */
  from?: Date;
  /** Exclusive. */
  to?: Date;
  limit: number;
  before?: Date;
  beforeId?: string;
}

function page(m: Models, opts: AuditPage) {
  const filter: Record<string, unknown> = {};
  if (opts.actor) filter.actor = opts.actor;
  if (opts.action) filter.action = opts.action;
  if (opts.target) filter.target = opts.target;
  const at: Record<string, Date> = {};
  if (opts.from) at.$gte = opts.from;
  if (opts.to) at.$lt = opts.to;
  if (opts.before && !opts.beforeId) at.$lt = opts.to && opts.to < opts.before ? opts.to : opts.before;
  if (Object.keys(at).length) filter.at = at;
  // Entries of one millisecond are told apart by id, so a page boundary loses none of them.
  if (opts.before && opts.beforeId) {
    filter.$or = [{ at: { $lt: opts.before } }, { at: opts.before, _id: { $lt: opts.beforeId } }];
  }
  return m.auditEntries.find(filter).sort({ at: -1, _id: -1 }).limit(opts.limit);
}

export const auditEntryQueries = {
  /** Audit page and export, one staff member's entries (with any other criterion). */
  pageOfActor: uses('actor_1_at_-1', (m, opts: AuditPage) => page(m, opts)),
  /** Audit page and export, one action's entries (and a target, if named). */
  pageOfAction: uses('action_1_at_-1', (m, opts: AuditPage) => page(m, opts)),
  /** Audit page and export, one target's entries. */
  pageOfTarget: uses('target_1_at_-1', (m, opts: AuditPage) => page(m, opts)),
  /** Audit page and export without actor, action or target: the whole trail, at most a year of it. */
  pageOfAll: scans('the DPO asked for no actor, action or target: FerretDB reads the trail and sorts it by time', (m, opts: AuditPage) => page(m, opts)),
  /** Erasure, retention of people gone: the person's address among the targets becomes their keyed hash. */
  retarget: uses('target_1_at_-1', (m, addresses: string[], target: string) => m.auditEntries.updateMany({ target: { $in: addresses } }, { $set: { target } })),
  /** Retention: entries older than the period go. */
  removeBefore: scans('nightly retention sweep over a date range, which FerretDB does not push down', (m, cutoff: Date) => m.auditEntries.deleteMany({ at: { $lt: cutoff } })),
};
