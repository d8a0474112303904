// Shared steps of the campaign tests: admin API calls as a marketer, a seeded audience, waiting.
import { expect } from 'chai';
import type { Container } from '../../src/container';
import type { SubscriptionState } from '../../src/data/subscription.model';
import type { BatchRecipient } from '../../src/queues/campaign-jobs';
import { emailKey, hashEmail, normalizeEmail } from '../../src/domain/email-address';
import type { TestContext } from '../helpers/context';
import { SendPacer } from '../../src/mail/send-pacer';

export const NEWSLETTER = `<mj-section>
  <mj-column>
    <mj-text>Labdien, {{name}}!</mj-text>
    <mj-text>Vasaras ceļojumi uz Itāliju.</mj-text>
  </mj-column>
</mj-section>`;

export async function api(t: TestContext, method: string, path: string, body?: unknown, role: 'marketer' | 'dpo' | 'admin' = 'marketer') {
  const res = await fetch(`${t.baseUrl}/api/v1/admin${path}`, {
    method,
    headers: { authorization: `Bearer ${t.token(role)}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  const json = res.headers.get('content-type')?.includes('json') ? JSON.parse(text) : undefined;
  return { status: res.status, json, text, headers: res.headers };
}

export async function createCampaign(t: TestContext, fields: Record<string, unknown> = {}): Promise<string> {
  const res = await api(t, 'POST', '/campaigns', { name: 'Vasara', list: 'e-jaunumi', subject: 'Sveiki, {{name}}!', mjml: NEWSLETTER, ...fields });
  expect(res.status, res.text).to.equal(201);
  return res.json.id as string;
}

/** Many subscribers at once, straight through the driver (the factories insert one by one). */
export async function seedAudience(
  c: Container,
  count: number,
  opts: { prefix?: string; list?: string; status?: SubscriptionState; name?: (i: number) => string } = {},
): Promise<Array<{ id: string; email: string; subscriptionId: string }>> {
  const prefix = opts.prefix ?? 'reader';
  const people = Array.from({ length: count }, (_, i) => {
    const email = normalizeEmail(`${prefix}${i}@example.lv`);
    return { email, emailKey: emailKey(email), emailHash: hashEmail(email, c.config.emailHashKey), name: opts.name?.(i) ?? `Lasītājs ${i}`, locale: 'lv', restricted: false };
  });
  const inserted = await c.models.subscribers.insertMany(people);
  const subscriptions = await c.models.subscriptions.insertMany(
    inserted.map((s) => ({ subscriberId: s._id, list: opts.list ?? 'e-jaunumi', status: opts.status ?? 'active', confirmedAt: new Date(), policyVersion: 1 })),
  );
  return inserted.map((s, i) => ({ id: String(s._id), email: s.email, subscriptionId: String(subscriptions[i]!._id) }));
}

export async function waitForStatus(t: TestContext, id: string, status: string, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const res = await api(t, 'GET', `/campaigns/${id}`);
    if (res.json?.status === status) return res.json;
    if (Date.now() > deadline) throw new Error(`campaign ${id} is ${res.json?.status}, expected ${status}: ${res.text}`);
    await new Promise((r) => setTimeout(r, 150));
  }
}

/** Recipients (envelope) of the campaign mails in the sink, with how often each got one. */
export function copiesPerRecipient(mails: Array<{ to: string[]; parsed: { headers: Map<string, unknown> } }>, campaignId: string) {
  const copies = new Map<string, number>();
  for (const mail of mails) {
    if (mail.parsed.headers.get('x-ejaunumi-campaign') !== campaignId || mail.parsed.headers.get('x-ejaunumi-test')) continue;
    for (const to of mail.to) copies.set(to, (copies.get(to) ?? 0) + 1);
  }
  return copies;
}

/** A header as written on the wire, unfolded (mailparser turns some headers into objects). */
export function rawHeader(raw: string, name: string): string | undefined {
  const head = raw.split(/\r?\n\r?\n/)[0]!.replace(/\r?\n[ \t]+/g, ' ');
  return new RegExp(`^${name}: (.*)$`, 'im').exec(head)?.[1]?.trim();
}

/** A send batch of these people, as the fan-out would queue it. */
export function batchOf(people: Array<{ id: string; subscriptionId: string }>): BatchRecipient[] {
  return people.map((p) => [p.subscriptionId, p.id]);
}

/** Claims ten at a time and runs `beforeChunk` before each chunk, where a real pacer would wait. */
export class HookedPacer extends SendPacer {
  private chunks = 0;
  constructor(private readonly beforeChunk: (chunk: number) => Promise<void>) {
    super(0);
  }
  override chunkSize(): number {
    return 10;
  }
  override async take(): Promise<void> {
    await this.beforeChunk(++this.chunks);
  }
}
