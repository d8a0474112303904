// Audit trail of admin actions: who among the authorised staff touched what, and when.
import type { Models } from '../data/models';
import { auditEntryQueries } from '../data/audit-entry.queries';

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
    const q = auditEntryQueries;
    const page = opts.actor ? q.pageOfActor : opts.action ? q.pageOfAction : opts.target ? q.pageOfTarget : q.pageOfAll;
    return page(this.deps.models, opts).lean();
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
