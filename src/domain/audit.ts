// Audit trail of admin actions: who among the authorised staff touched what, and when.
import type { Models } from '../data/models';

export interface Actor {
  sub: string;
  role: string;
  ip?: string;
}

export class AuditLog {
  constructor(private readonly deps: { models: Models; now: () => Date }) {}

  async record(actor: Actor, action: string, target?: string, details?: Record<string, unknown>): Promise<void> {
    await this.deps.models.auditEntries.create({
      actor: actor.sub,
      role: actor.role,
      action,
      target,
      ip: actor.ip,
      details,
      at: this.deps.now(),
    });
  }

  /**
   * Newest first, one page. Actor, action and target are equalities on their own indexes (the one
   * filter shape FerretDB pushes down); the time range and the page cursor are read from what those
   * select, so the routes bound the range and the page.
   */
  async list(opts: AuditFilter & { limit: number; before?: Date; beforeId?: string }) {
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
    return this.deps.models.auditEntries.find(filter).sort({ at: -1, _id: -1 }).limit(opts.limit).lean();
  }
}

export interface AuditFilter {
  actor?: string;
  action?: string;
  target?: string;
  /** Inclusive. */
  from?: Date;
  /** Exclusive. */
  to?: Date;
}
