// Test data written through the models, the way the domain would.
import type { Container } from '../../src/container';
import { DEFAULT_LIST } from '../../src/data/list.model';
import type { SubscriptionState } from '../../src/data/subscription.model';
import { emailKey, hashEmail, normalizeEmail } from '../../src/domain/email-address';

export async function createSubscriber(
  c: Container,
  opts: { email: string; name?: string; locale?: 'lv' | 'en'; restricted?: boolean; lists?: Record<string, SubscriptionState> },
) {
  const email = normalizeEmail(opts.email);
  const subscriber = await c.models.subscribers.create({
    email,
    emailKey: emailKey(email),
    emailHash: hashEmail(email, c.config.emailHashKey),
    name: opts.name ?? '',
    locale: opts.locale ?? 'lv',
    restricted: opts.restricted ?? false,
  });
  for (const [list, status] of Object.entries(opts.lists ?? {})) {
    await c.models.subscriptions.create({
      subscriberId: subscriber._id,
      list,
      status,
      confirmedAt: status === 'active' ? new Date() : undefined,
      policyVersion: 1,
    });
  }
  return subscriber;
}

export { DEFAULT_LIST };
