// Shared set-up of the unsubscribe tests: a subscriber on two lists and a link for one of them.
import type { Container } from '../../src/container';
import { createSubscriber, DEFAULT_LIST } from '../helpers/factories';
import { uniqueName } from '../helpers/services';

export const SECOND_LIST = 'celojumi-pec-pieprasijuma';

export async function createSecondList(c: Container): Promise<void> {
  await c.models.lists.updateOne(
    { slug: SECOND_LIST },
    { $setOnInsert: { name: { lv: 'Ceļojumi pēc pieprasījuma', en: 'Tailor-made travel' }, public: true } },
    { upsert: true },
  );
}

/** A subscriber active on the default list and pending on the second, with a link for the default list. */
export async function subscriberWithLink(c: Container, opts: { allLists?: boolean; campaignId?: string } = {}) {
  const subscriber = await createSubscriber(c, {
    email: `${uniqueName('anna')}@example.lv`,
    name: 'Anna Bērziņa',
    lists: { [DEFAULT_LIST]: 'active', [SECOND_LIST]: 'pending' },
  });
  const subscriberId = String(subscriber._id);
  const token = c.listHeaders.unsubscribeToken({ subscriberId, list: opts.allLists ? undefined : DEFAULT_LIST, campaignId: opts.campaignId });
  return { subscriber, subscriberId, token };
}

export async function statesOf(c: Container, subscriberId: string): Promise<Record<string, string>> {
  const subs = await c.models.subscriptions.find({ subscriberId }).lean();
  return Object.fromEntries(subs.map((s) => [s.list, s.status]));
}

export function withdrawals(c: Container, subscriberId: string) {
  return c.models.consentEvents.find({ subscriberId, type: 'withdrawn' }).sort({ list: 1 }).lean();
}

export { DEFAULT_LIST };
