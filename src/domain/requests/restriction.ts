// GDPR art. 18 restriction as its own state: the data stays, nothing is mailed (senders skip
// restricted subscribers), and only the DPO lifts it. Each change leaves one consent event.
import { Types } from 'mongoose';
import type { ConsentChannel } from '../../data/consent-event.model';
import type { Models } from '../../data/models';
import { NotFoundError } from '../../errors';
import type { ConsentLedger } from '../consent/consent-ledger';
import type { RecentWithdrawals } from '../consent/recent-withdrawals';
import { subscriberQueries } from '../../data/subscriber.queries';
import { subscriptionQueries } from '../../data/subscription.queries';

export interface RestrictionChange {
  channel: Extract<ConsentChannel, 'admin' | 'mailbox'>;
  actor?: string;
  /** The data-subject request behind the change (its number). */
  requestRef?: string;
}

export class Restrictions {
  constructor(private readonly deps: { models: Models; ledger: ConsentLedger; withdrawals: RecentWithdrawals; now: () => Date }) {}

  /** Returns whether the state changed; restricting a restricted subscriber is a no-op. */
  restrict(subscriberId: Types.ObjectId | string, change: RestrictionChange): Promise<boolean> {
    return this.set(subscriberId, true, change);
  }

  lift(subscriberId: Types.ObjectId | string, change: RestrictionChange): Promise<boolean> {
    return this.set(subscriberId, false, change);
  }

  private async set(subscriberId: Types.ObjectId | string, restricted: boolean, change: RestrictionChange): Promise<boolean> {
    const { models, ledger, withdrawals } = this.deps;
    if (!Types.ObjectId.isValid(subscriberId)) throw new NotFoundError('subscriber');
    const subscriber = await subscriberQueries.recordOf(models, subscriberId).lean();
    if (!subscriber) throw new NotFoundError('subscriber');
    if (Boolean(subscriber.restricted) === restricted) return false;
    // A restriction stops mail through the withdrawal gate: flag before the commit, settle after.
    if (restricted) await withdrawals.markEveryList(subscriber.emailHash);
    // The event first, keyed by the state it changes (FerretDB updates without isolation: of two
    // concurrent changes from the same state, one records it); the update is idempotent, so a rerun
    // after a crash between the two completes the change.
    const key = `restriction:${subscriber._id}:${restricted}:${subscriber.updatedAt?.getTime() ?? 0}`;
    const recorded = await ledger.recordOnce(key, {
      subscriberId: subscriber._id,
      emailHash: subscriber.emailHash,
      type: restricted ? 'restricted' : 'restriction-lifted',
      channel: change.channel,
      actor: change.actor,
      requestRef: change.requestRef,
    });
    await subscriberQueries.setRestricted(models, subscriber._id, restricted);
    if (restricted) {
      const lists = (await subscriptionQueries.statesOf(models, subscriber._id).lean()).map((s) => s.list);
      await withdrawals.settleAll(subscriber.emailHash, lists);
    } else {
      await withdrawals.clearEveryList(subscriber.emailHash);
    }
    return recorded;
  }
}
