// Privacy policy clause 3, "not kept longer than necessary", as explicit sweeps (FerretDB v1 has no
// TTL indexes). Each sweep is idempotent, counts what it did and leaves an audit entry, so the DPO
// can show when data went. Periods come from RETENTION_* in the config.
import type { Config } from '../config';
import type { Models } from '../data/models';
import type { Logger } from '../logger';
import type { AuditLog } from './audit';
import type { ConsentLedger } from './consent-ledger';

export const RETENTION_SWEEPS = ['unconfirmed-signups', 'inbound-raw', 'delivery-details', 'closed-requests', 'audit-entries', 'expired-claims'] as const;
export type RetentionSweep = (typeof RETENTION_SWEEPS)[number];

export function isRetentionSweep(name: string): name is RetentionSweep {
  return (RETENTION_SWEEPS as readonly string[]).includes(name);
}

export type SweepCounts = Record<string, number>;

const SYSTEM_ACTOR = { sub: 'retention', role: 'system' };

export class Retention {
  constructor(
    private readonly deps: {
      models: Models;
      ledger: ConsentLedger;
      audit: AuditLog;
      now: () => Date;
      periods: Config['retention'];
      logger: Logger;
    },
  ) {}

  async sweep(name: RetentionSweep): Promise<SweepCounts> {
    const counts = await this.sweeps[name]();
    this.deps.logger.info({ sweep: name, counts }, 'retention sweep');
    await this.deps.audit.record(SYSTEM_ACTOR, `retention.${name}`, undefined, counts);
    return counts;
  }

  private readonly sweeps: Record<RetentionSweep, () => Promise<SweepCounts>> = {
    'unconfirmed-signups': () => this.unconfirmedSignups(),
    'inbound-raw': async () => {
      const result = await this.deps.models.inboundMessages.updateMany(
        { receivedAt: { $lt: this.cutoff(this.deps.periods.inboundRawMs) }, raw: { $exists: true } },
        { $unset: { raw: 1 } },
      );
      return { rawRemoved: result.modifiedCount };
    },
    'delivery-details': async () => {
      // The outcome keeps campaign, person, status and reason; the SMTP details go.
      const result = await this.deps.models.deliveryOutcomes.updateMany(
        { at: { $lt: this.cutoff(this.deps.periods.deliveryDetailsMs) }, pseudonymised: { $ne: true } },
        { $unset: { smtpResponse: 1, messageId: 1 }, $set: { pseudonymised: true } },
      );
      return { pseudonymised: result.modifiedCount };
    },
    'closed-requests': async () => {
      const result = await this.deps.models.requests.deleteMany({
        status: { $in: ['done', 'rejected'] },
        closedAt: { $lt: this.cutoff(this.deps.periods.requestsAuditMs) },
      });
      return { deleted: result.deletedCount };
    },
    'audit-entries': async () => {
      const result = await this.deps.models.auditEntries.deleteMany({ at: { $lt: this.cutoff(this.deps.periods.requestsAuditMs) } });
      return { deleted: result.deletedCount };
    },
    'expired-claims': async () => {
      const result = await this.deps.models.claims.deleteMany({ expiresAt: { $lt: this.deps.now() } });
      return { deleted: result.deletedCount };
    },
  };

  /**
   * A sign-up never confirmed is no consent: the pending subscription goes (with an `expired`
   * event), and a subscriber left with no subscription at all goes too, its ledger anonymised as
   * for an erasure, since nothing justifies keeping who they were.
   */
  private async unconfirmedSignups(): Promise<SweepCounts> {
    const { models, ledger } = this.deps;
    const cutoff = this.cutoff(this.deps.periods.unconfirmedMs);
    const stale = await models.subscriptions
      .find(
        { status: 'pending', $or: [{ requestedAt: { $lt: cutoff } }, { requestedAt: { $exists: false }, createdAt: { $lt: cutoff } }] },
        { subscriberId: 1, list: 1 },
      )
      .lean();
    let subscriptions = 0;
    let subscribers = 0;
    for (const subscription of stale) {
      const subscriber = await models.subscribers.findById(subscription.subscriberId, { emailHash: 1 }).lean();
      const removed = await models.subscriptions.deleteOne({ _id: subscription._id, status: 'pending' });
      if (removed.deletedCount === 0) continue;
      subscriptions++;
      if (!subscriber) continue;
      await ledger.record({ subscriberId: subscriber._id, emailHash: subscriber.emailHash, list: subscription.list, type: 'expired', channel: 'retention' });
      if ((await models.subscriptions.countDocuments({ subscriberId: subscriber._id })) > 0) continue;
      subscribers += (await models.subscribers.deleteOne({ _id: subscriber._id })).deletedCount;
      await ledger.anonymise(subscriber.emailHash);
    }
    return { subscriptionsRemoved: subscriptions, subscribersRemoved: subscribers };
  }

  private cutoff(periodMs: number): Date {
    return new Date(this.deps.now().getTime() - periodMs);
  }
}
