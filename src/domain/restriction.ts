// GDPR art. 18 restriction as its own state: the data stays, nothing is mailed (senders skip
// restricted subscribers), and only the DPO lifts it. Each change leaves one consent event.
import { Types } from 'mongoose';
import type { ConsentChannel } from '../data/consent-event.model';
import type { Models } from '../data/models';
import { NotFoundError } from '../errors';
import { claimOnce } from './claims';
import type { ConsentLedger } from './consent-ledger';

export interface RestrictionChange {
  channel: Extract<ConsentChannel, 'admin' | 'mailbox'>;
  actor?: string;
  /** The data-subject request behind the change (its number). */
  requestRef?: string;
}

// Long enough to outlive any race between two requests that read the same subscriber state.
const CLAIM_LIFETIME_MS = 24 * 3_600_000;

export class Restrictions {
  constructor(private readonly deps: { models: Models; ledger: ConsentLedger; now: () => Date }) {}

  /** Returns whether the state changed; restricting a restricted subscriber is a no-op. */
  restrict(subscriberId: Types.ObjectId | string, change: RestrictionChange): Promise<boolean> {
    return this.set(subscriberId, true, change);
  }

  lift(subscriberId: Types.ObjectId | string, change: RestrictionChange): Promise<boolean> {
    return this.set(subscriberId, false, change);
  }

  private async set(subscriberId: Types.ObjectId | string, restricted: boolean, change: RestrictionChange): Promise<boolean> {
    const { models, ledger, now } = this.deps;
    if (!Types.ObjectId.isValid(subscriberId)) throw new NotFoundError('subscriber');
    const subscriber = await models.subscribers.findById(subscriberId, { emailHash: 1, restricted: 1, updatedAt: 1 }).lean();
    if (!subscriber) throw new NotFoundError('subscriber');
    if (Boolean(subscriber.restricted) === restricted) return false;
    await models.subscribers.updateOne({ _id: subscriber._id }, { $set: { restricted } });
    // FerretDB updates without isolation: of two concurrent changes from the same state, the one
    // that claims that state writes the consent event.
    const at = now();
    const key = `restriction:${subscriber._id}:${restricted}:${subscriber.updatedAt?.getTime() ?? 0}`;
    if (!(await claimOnce(models, key, new Date(at.getTime() + CLAIM_LIFETIME_MS)))) return false;
    await ledger.record({
      subscriberId: subscriber._id,
      emailHash: subscriber.emailHash,
      type: restricted ? 'restricted' : 'restriction-lifted',
      channel: change.channel,
      actor: change.actor,
      requestRef: change.requestRef,
    });
    return true;
  }
}
