// Addresses that are never mailed, whatever their subscription says (invariant 2). A soft-bounce
// suppression lasts SOFT_BOUNCE_SUPPRESSION and is then ignored wherever suppressions are read
// (no TTL index: FerretDB v1 has none); every other reason stays until lifted.
import { Types } from 'mongoose';
import type { Models } from '../../data/models';
import { suppressionQueries } from '../../data/suppression.queries';
import type { SuppressionReason } from '../../data/suppression.model';
import { InvalidStateError, NotFoundError, isDuplicateKeyError } from '../../errors';
import type { ConsentLedger } from './consent-ledger';
import type { RecentWithdrawals } from './recent-withdrawals';
import { subscriberQueries } from '../../data/subscriber.queries';
import { subscriptionQueries } from '../../data/subscription.queries';

export interface SuppressionEvidence {
  inboundMessageId?: string;
  status?: string;
  diagnostic?: string;
  matchedBy?: string;
}

export interface SuppressOptions {
  evidence?: SuppressionEvidence;
  /** Absent: until lifted. */
  expiresAt?: Date;
}

interface Stored {
  _id: Types.ObjectId;
  emailHash: string;
  reason: string;
  expiresAt?: Date | null;
}

export class Suppressions {
  constructor(private readonly deps: { models: Models; now?: () => Date; withdrawals?: RecentWithdrawals }) {}

  private now(): Date {
    return this.deps.now ? this.deps.now() : new Date();
  }

  private active(doc: { expiresAt?: Date | null } | null | undefined): boolean {
    return !!doc && (!doc.expiresAt || doc.expiresAt.getTime() > this.now().getTime());
  }

  /**
   * Idempotent; true when this call made the address suppressed (or made it permanent). An erasure
   * tombstone replaces a weaker reason and nothing replaces a tombstone; an expired soft bounce is
   * replaced by the new reason, a soft bounce by a permanent one. Goes through the withdrawal gate:
   * a send batch that read the person as mailable sees the flag.
   */
  async suppress(emailHash: string, reason: SuppressionReason, detail?: string, campaignId?: string, opts: SuppressOptions = {}): Promise<boolean> {
    await this.deps.withdrawals?.markEveryList(emailHash);
    const changed = await this.commit(emailHash, reason, detail, campaignId, opts);
    await this.settle(emailHash);
    return changed;
  }

  /** Returns once no mail to the address is with SMTP on any of its lists. */
  private async settle(emailHash: string): Promise<void> {
    const { models, withdrawals } = this.deps;
    if (!withdrawals) return;
    const subscriber = await subscriberQueries.refOfHash(models, emailHash).lean();
    if (!subscriber) return;
    const lists = (await subscriptionQueries.statesOf(models, subscriber._id).lean()).map((s) => s.list);
    await withdrawals.settleAll(emailHash, lists);
  }

  private async commit(emailHash: string, reason: SuppressionReason, detail: string | undefined, campaignId: string | undefined, opts: SuppressOptions): Promise<boolean> {
    const { models } = this.deps;
    const fields = { reason, detail, campaignId, evidence: opts.evidence };
    try {
      await models.suppressions.create({ emailHash, ...fields, expiresAt: opts.expiresAt });
      return true;
    } catch (err) {
      if (!isDuplicateKeyError(err)) throw err;
    }
    const existing = await suppressionQueries.ofAddress(models, emailHash).lean<Stored>();
    if (!existing || existing.reason === 'erasure') return false;
    const replace = reason === 'erasure' || !this.active(existing) || (existing.expiresAt && !opts.expiresAt);
    if (!replace) return false;
    const expiry = opts.expiresAt ? { $set: { ...fields, expiresAt: opts.expiresAt } } : { $set: fields, $unset: { expiresAt: 1 } };
    await suppressionQueries.replace(models, emailHash, expiry);
    return existing.reason !== reason || !this.active(existing);
  }

  async isSuppressed(emailHash: string): Promise<boolean> {
    return this.active(await suppressionQueries.ofAddress(this.deps.models, emailHash).lean<Stored>());
  }

  async reasonFor(emailHash: string): Promise<SuppressionReason | undefined> {
    const doc = await suppressionQueries.ofAddress(this.deps.models, emailHash).lean<Stored>();
    return this.active(doc) ? (doc!.reason as SuppressionReason) : undefined;
  }

  /** Of the given hashes, those that are suppressed: one query for a whole send batch. */
  async suppressedAmong(emailHashes: string[]): Promise<Set<string>> {
    if (emailHashes.length === 0) return new Set();
    const docs = await suppressionQueries.amongAddresses(this.deps.models, emailHashes).lean<Stored[]>();
    return new Set(docs.filter((d) => this.active(d)).map((d) => d.emailHash));
  }

  /** Only the person's own fresh double opt-in lifts a suppression (invariant 2). */
  async liftForFreshConsent(emailHash: string): Promise<void> {
    await suppressionQueries.lift(this.deps.models, emailHash);
  }

  /** The DPO's view of one address (expired soft bounces included, marked). */
  async forAddress(emailHash: string) {
    const docs = await suppressionQueries.documentsOfAddress(this.deps.models, emailHash).lean();
    return docs.map((d) => ({
      id: String(d._id),
      reason: d.reason,
      detail: d.detail ?? null,
      campaignId: d.campaignId ?? null,
      evidence: (d.evidence as SuppressionEvidence | undefined) ?? null,
      since: d.createdAt,
      expiresAt: d.expiresAt ?? null,
      active: this.active(d),
    }));
  }

  /**
   * The DPO lifts a wrong suppression (a forged or misread bounce), with a reason, in the ledger.
   * An erasure tombstone is not theirs to lift: only the person's own new consent does that.
   */
  async lift(id: string, input: { reason: string; actor: string }, ledger: Pick<ConsentLedger, 'record'>) {
    if (!/^[0-9a-f]{24}$/i.test(id)) throw new NotFoundError('suppression');
    const { models } = this.deps;
    const doc = await suppressionQueries.byId(models, id).lean();
    if (!doc) throw new NotFoundError('suppression');
    if (doc.reason === 'erasure') throw new InvalidStateError('an erasure tombstone is lifted only by the person\'s own new double opt-in');
    const removed = await suppressionQueries.removeById(models, doc._id);
    if (removed.deletedCount === 0) throw new NotFoundError('suppression');
    const subscriber = await subscriberQueries.refOfHash(models, doc.emailHash).lean();
    await ledger.record({
      subscriberId: subscriber?._id,
      emailHash: doc.emailHash,
      type: 'suppression-lifted',
      channel: 'admin',
      actor: input.actor,
      note: `${doc.reason} lifted: ${input.reason}`.slice(0, 500),
    });
    return { id, reason: doc.reason, emailHash: doc.emailHash };
  }
}
