// Addresses that are never mailed, whatever their subscription says (invariant 2).
import type { Models } from '../data/models';
import type { SuppressionReason } from '../data/suppression.model';
import { isDuplicateKeyError } from '../errors';
import type { RecentWithdrawals } from './recent-withdrawals';

export class Suppressions {
  constructor(private readonly deps: { models: Models; withdrawals?: RecentWithdrawals }) {}

  /**
   * Idempotent; an erasure tombstone replaces a weaker reason, nothing replaces a tombstone. Goes
   * through the withdrawal gate: a send batch that read the person as mailable sees the flag.
   */
  async suppress(emailHash: string, reason: SuppressionReason, detail?: string, campaignId?: string): Promise<void> {
    await this.deps.withdrawals?.markEveryList(emailHash);
    await this.commit(emailHash, reason, detail, campaignId);
    await this.settle(emailHash);
  }

  /** Returns once no mail to the address is with SMTP on any of its lists. */
  private async settle(emailHash: string): Promise<void> {
    const { models, withdrawals } = this.deps;
    if (!withdrawals) return;
    const subscriber = await models.subscribers.findOne({ emailHash }, { _id: 1 }).lean();
    if (!subscriber) return;
    const lists = (await models.subscriptions.find({ subscriberId: subscriber._id }, { list: 1 }).lean()).map((s) => s.list);
    await withdrawals.settleAll(emailHash, lists);
  }

  private async commit(emailHash: string, reason: SuppressionReason, detail?: string, campaignId?: string): Promise<void> {
    try {
      await this.deps.models.suppressions.create({ emailHash, reason, detail, campaignId });
    } catch (err) {
      if (!isDuplicateKeyError(err)) throw err;
      if (reason === 'erasure') {
        await this.deps.models.suppressions.updateOne({ emailHash }, { $set: { reason, detail } });
      }
    }
  }

  async isSuppressed(emailHash: string): Promise<boolean> {
    return (await this.deps.models.suppressions.countDocuments({ emailHash })) > 0;
  }

  async reasonFor(emailHash: string): Promise<SuppressionReason | undefined> {
    const doc = await this.deps.models.suppressions.findOne({ emailHash }).lean();
    return doc?.reason as SuppressionReason | undefined;
  }

  /** Of the given hashes, those that are suppressed: one query for a whole send batch. */
  async suppressedAmong(emailHashes: string[]): Promise<Set<string>> {
    if (emailHashes.length === 0) return new Set();
    const docs = await this.deps.models.suppressions.find({ emailHash: { $in: emailHashes } }, { emailHash: 1 }).lean();
    return new Set(docs.map((d) => d.emailHash));
  }

  /** Only the person's own fresh double opt-in lifts a suppression (invariant 2). */
  async liftForFreshConsent(emailHash: string): Promise<void> {
    await this.deps.models.suppressions.deleteOne({ emailHash });
  }
}
