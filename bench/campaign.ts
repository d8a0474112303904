// Campaign steps shared by the send and fault scenarios, through the admin API as a marketer would.
import { DEFAULT_LIST } from '../src/data/list.model';
import type { Container } from '../src/container';
import type { Stage } from './services';

// A typical e-Jaunumi issue: greeting with the merge field, two offers, a button; the layout adds
// IMPRO's header and the footer with the unsubscribe and preferences links.
export const NEWSLETTER_MJML = `<mj-section background-color="#ffffff" padding="24px">
  <mj-column>
    <mj-text font-size="20px" font-weight="bold">Labdien, {{name}}!</mj-text>
    <mj-text>Vasaras ceļojumi uz Itāliju un Horvātiju: agrās rezervācijas cenas līdz 31. martam.</mj-text>
    <mj-text>Toskānas pilsētas, 8 dienas, no 699 EUR. Dalmācijas piekraste ar kuģīti, 10 dienas, no 1 149 EUR.
      Cenā iekļauts lidojums, viesnīcas ar brokastīm un latviešu grupas vadītājs.</mj-text>
    <mj-button href="https://www.impro.lv/celojumi/vasara">Skatīt ceļojumus</mj-button>
    <mj-text font-size="14px" color="#5b6776">Jautājumi? Rakstiet uz impro@impro.lv vai zvaniet 67 22 11 11.</mj-text>
  </mj-column>
</mj-section>`;

/** A list of its own per scenario, so one scenario's audience never joins another's campaign. */
export async function createBenchList(c: Container, slug: string): Promise<string> {
  if (slug === DEFAULT_LIST) return slug;
  await c.models.lists.create({ slug, name: { lv: slug, en: slug }, public: false });
  return slug;
}

export async function adminApi<T = Record<string, unknown>>(stage: Stage, method: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(`${stage.baseUrl}/api/v1/admin${path}`, {
    method,
    headers: { authorization: `Bearer ${stage.token('marketer')}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (res.status >= 400) throw new Error(`${method} ${path} answered ${res.status}: ${text.slice(0, 500)}`);
  return JSON.parse(text) as T;
}

export async function createCampaign(stage: Stage, list: string, name: string): Promise<string> {
  const campaign = await adminApi<{ id: string }>(stage, 'POST', '/campaigns', { name, list, subject: 'Vasara 2027, {{name}}', mjml: NEWSLETTER_MJML });
  return campaign.id;
}

/**
 * Polls a counter until it reaches `target`; fails when it has not moved for `stallMs` (a stuck
 * campaign should end the run with a clear message, not after an arbitrary long timeout).
 */
export async function untilCount(read: () => Promise<number>, target: number, stallMs: number, what: string): Promise<void> {
  let last = -1;
  let movedAt = Date.now();
  for (;;) {
    const now = await read();
    if (now >= target) return;
    if (now !== last) [last, movedAt] = [now, Date.now()];
    if (Date.now() - movedAt > stallMs) throw new Error(`${what}: stuck at ${now} of ${target} for ${stallMs / 1000} s`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Polls until `done` or the timeout; returns the time it became true. */
export async function until(done: () => Promise<boolean>, timeoutMs: number, what: string, everyMs = 100): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await done()) return Date.now();
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
