// Audiences for the scenarios: active subscribers on a list, written in bulk through the
// driver (a thousand per round trip, not one), shaped as sign-up and confirmation leave them.
import { Types } from 'mongoose';
import type { Container } from '../src/container';
import { emailKey, hashEmail, normalizeEmail } from '../src/domain/email-address';

const CHUNK = 1000;

export interface Seeded {
  id: string;
  email: string;
  subscriptionId: string;
}

export async function seedActiveSubscribers(c: Container, opts: { count: number; prefix: string; list: string }): Promise<Seeded[]> {
  const { count, prefix, list } = opts;
  const now = new Date();
  const seeded: Seeded[] = [];
  for (let start = 0; start < count; start += CHUNK) {
    const subscribers = Array.from({ length: Math.min(CHUNK, count - start) }, (_, i) => {
      const email = normalizeEmail(`${prefix}${start + i}@example.lv`);
      return { _id: new Types.ObjectId(), email, emailKey: emailKey(email), emailHash: hashEmail(email, c.config.emailHashKey), name: `Lasītājs ${start + i}`, locale: 'lv', restricted: false, createdAt: now, updatedAt: now };
    });
    await c.models.subscribers.collection.insertMany(subscribers);
    const subscriptions = subscribers.map((s) => ({
      _id: new Types.ObjectId(),
      subscriberId: s._id,
      list,
      status: 'active',
      confirmedAt: now,
      policyVersion: 1,
      createdAt: now,
      updatedAt: now,
    }));
    await c.models.subscriptions.collection.insertMany(subscriptions);
    subscribers.forEach((s, i) => seeded.push({ id: String(s._id), email: s.email, subscriptionId: String(subscriptions[i]!._id) }));
  }
  return seeded;
}

/** The one-click link token a campaign mail on `list` carries for each of them. */
export function unsubscribeTokens(c: Container, people: Seeded[], list: string, campaignId = String(new Types.ObjectId())): string[] {
  return people.map((p) => c.listHeaders.unsubscribeToken({ subscriberId: p.id, subscriptionId: p.subscriptionId, list, campaignId }));
}
