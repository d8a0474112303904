// Withdrawing consent: every channel (one-click, unsubscribe page, mailbox, bounce, complaint,
// admin, data-subject requests) ends subscriptions through this one service, so each change is
// committed the same way and leaves exactly one consent event.
import { Types } from 'mongoose';
import type { ConsentChannel } from '../../data/consent-event.model';
import { GroupCommit } from '../../group-commit';
import { GroupedWithdrawals, type NamedWithdrawal, type WithdrawalDeps } from './grouped-withdrawals';
import type { SubscriptionState } from '../../data/subscription.model';
import type { SubscriptionSnapshot } from './subscription-state';
import { listQueries } from '../../data/list.queries';
import { subscriberQueries } from '../../data/subscriber.queries';
import { subscriptionQueries } from '../../data/subscription.queries';

export type UnsubscribeChannel = Extract<ConsentChannel, 'one-click' | 'unsubscribe-page' | 'mailbox' | 'bounce' | 'complaint' | 'admin'>;

export interface UnsubscribeInput {
  subscriberId: Types.ObjectId | string;
  lists: string[] | 'all';
  /** The subscription a newsletter's link names (see LinkClaims.subscription): found by _id. */
  subscriptionId?: string;
  channel: UnsubscribeChannel;
  ip?: string;
  userAgent?: string;
  campaignId?: Types.ObjectId | string;
  messageId?: string;
  actor?: string;
  /** When the request reached us (HTTP receipt, mail arrival): the ledger keeps the delay to commit. */
  receivedAt?: Date;
}

export interface Preferences {
  email: string;
  /** The language the person chose for mails; their pages speak it too. */
  locale: 'lv' | 'en';
  subscriptions: Array<{ list: string; name: { lv: string; en: string }; status: SubscriptionState }>;
}

type OpenSubscription = SubscriptionSnapshot;

// Two groups in flight: one's writes overlap the next one's reads; more only shrinks the groups.
const GROUPS = { concurrency: 2, max: 200 };

export class UnsubscribeService {
  private readonly grouped: GroupCommit<NamedWithdrawal, boolean>;

  constructor(private readonly deps: WithdrawalDeps) {
    const withdrawals = new GroupedWithdrawals({ ...deps, alone: async (input) => (await this.alone(input)).changed.length > 0 });
    this.grouped = new GroupCommit((requests) => withdrawals.commit(requests), GROUPS);
  }

  /** Idempotent: ends the pending or active subscriptions named; unknown or erased subscribers are a no-op. */
  async unsubscribe(input: UnsubscribeInput): Promise<{ changed: string[] }> {
    if (!Types.ObjectId.isValid(input.subscriberId)) return { changed: [] };
    if (Array.isArray(input.lists) && input.lists.length === 0) return { changed: [] };
    // A newsletter's link names its subscription: such requests are committed in groups.
    if (namesOneSubscription(input)) return { changed: (await this.grouped.submit(input)) ? input.lists : [] };
    return this.alone(input);
  }

  private async alone(input: UnsubscribeInput): Promise<{ changed: string[] }> {
    const { models } = this.deps;
    const [subscriber, named] = await Promise.all([
      subscriberQueries.hashOf(models, input.subscriberId).lean(),
      this.namedSubscription(input),
    ]);
    if (!subscriber) return { changed: [] };

    const open = named ?? (await this.openSubscriptions(subscriber._id, input.lists));
    const changed: string[] = [];
    for (const subscription of open) {
      if (await this.end(subscription, subscriber.emailHash, input)) changed.push(subscription.list);
    }
    return { changed };
  }

  /**
   * The one open subscription a newsletter's link names, if it is this person's on the one list asked
   * for: [] when it is no longer open, undefined when the link names none (or one not theirs).
   */
  private async namedSubscription(input: UnsubscribeInput): Promise<OpenSubscription[] | undefined> {
    if (!namesOneSubscription(input)) return undefined;
    const found = await subscriptionQueries.snapshot(this.deps.models, input.subscriptionId).lean();
    if (!found || !found.subscriberId.equals(input.subscriberId) || found.list !== input.lists[0]) return undefined;
    return found.status === 'pending' || found.status === 'active' ? [found] : [];
  }

  /** The person's open subscriptions on the lists asked for (by `subscriberId`, on its index). */
  private async openSubscriptions(subscriberId: Types.ObjectId, lists: string[] | 'all'): Promise<OpenSubscription[]> {
    return subscriptionQueries.openOf(this.deps.models, subscriberId, lists).lean();
  }

  /** What the unsubscribe page shows: the person's lists and their states; undefined if unknown or erased. */
  async preferences(subscriberId: string): Promise<Preferences | undefined> {
    const { models } = this.deps;
    if (!Types.ObjectId.isValid(subscriberId)) return undefined;
    const subscriber = await subscriberQueries.addresseeOf(models, subscriberId).lean();
    if (!subscriber) return undefined;
    const subscriptions = await subscriptionQueries.choicesOf(models, subscriber._id).lean();
    const lists = await listQueries.namesOf(models, subscriptions.map((s) => s.list)).lean();
    const names = new Map(lists.map((l) => [l.slug, l.name]));
    return {
      email: subscriber.email,
      locale: subscriber.locale === 'en' ? 'en' : 'lv',
      subscriptions: subscriptions.map((s) => ({
        list: s.list,
        // A list deleted since the mail was sent is still shown, under its slug.
        name: names.get(s.list) ?? { lv: s.list, en: s.list },
        status: s.status as SubscriptionState,
      })),
    };
  }

  /** The language of the person's mails and pages, chosen on their preferences page. */
  async setLocale(subscriberId: string, locale: 'lv' | 'en'): Promise<void> {
    if (!Types.ObjectId.isValid(subscriberId)) return;
    await subscriberQueries.setLocale(this.deps.models, new Types.ObjectId(subscriberId), locale);
  }

  private async end(subscription: OpenSubscription, emailHash: string, input: UnsubscribeInput): Promise<boolean> {
    const { states, optOuts, withdrawals, now } = this.deps;
    // The event goes first, under the subscription's version (subscription-state.ts): a crash after it
    // leaves a withdrawal that the next writer or the reconciliation job completes, never a state
    // change without its event; two concurrent requests record it once.
    const result = await states.change(
      subscription._id,
      (current) =>
        current.status === 'pending' || current.status === 'active'
          ? {
              subscriberId: input.subscriberId,
              emailHash,
              list: subscription.list,
              type: 'withdrawn' as const,
              channel: input.channel,
              ip: input.ip,
              userAgent: input.userAgent,
              campaignId: input.campaignId,
              messageId: input.messageId,
              actor: input.actor,
              effectDelayMs: input.receivedAt ? Math.max(0, now().getTime() - input.receivedAt.getTime()) : undefined,
            }
          : undefined,
      subscription,
      // The flag goes up before each attempt's commit, so no send that starts after the commit can
      // miss it; raised again after losing to a confirmation, it is newer than that confirmation.
      () => withdrawals.mark(emailHash, subscription.list),
    );
    // The "no" is remembered beyond this subscription and this person (invariant 11). Meanwhile a
    // mail to this person already handed to SMTP is let finish, so none arrives after we answer.
    await Promise.all([optOuts.record(emailHash, subscription.list), withdrawals.settle(emailHash, subscription.list)]);
    return result === 'applied' || result === 'completed';
  }
}

function namesOneSubscription(input: UnsubscribeInput): input is NamedWithdrawal {
  return !!input.subscriptionId && Types.ObjectId.isValid(input.subscriptionId) && Array.isArray(input.lists) && input.lists.length === 1;
}
