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

  async list(opts: { limit: number; before?: Date }) {
    const filter = opts.before ? { at: { $lt: opts.before } } : {};
    return this.deps.models.auditEntries.find(filter).sort({ at: -1 }).limit(opts.limit).lean();
  }
}
