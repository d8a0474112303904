// Shared steps of the sign-up tests: post a sign-up, find the confirmation link in the sink.
import type { SinkMail, TestContext } from '../helpers/context';
import type { Clock } from '../../src/container';

// Both answer once the accepted sign-up has run (the `signup` queue drained), so a test can look at
// what it changed; a test of the answer alone calls fetch itself.
export async function signUpJson(t: TestContext, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  const res = await fetch(`${t.baseUrl}/api/v1/subscriptions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  await t.signupsDone();
  return res;
}

export async function signUpForm(t: TestContext, fields: Record<string, string | string[]>, query = ''): Promise<Response> {
  const body = new URLSearchParams();
  for (const [k, v] of Object.entries(fields)) for (const value of [v].flat()) body.append(k, value);
  const res = await fetch(`${t.baseUrl}/subscribe${query}`, { method: 'POST', body, headers: { 'user-agent': 'signup-test/1.0' } });
  await t.signupsDone();
  return res;
}

/** Mails to an address; the local part keeps the case it was signed up with, so compare without case. */
export const to = (address: string) => (m: SinkMail) => m.to.some((r) => r.toLowerCase() === address.toLowerCase());

/** The confirmation URL of a mail (its text part carries it on a line of its own). */
export function confirmUrlOf(mail: SinkMail): string {
  const match = /(https?:\/\/\S+\/confirm\/[A-Za-z0-9_.-]+(?:\?lang=en)?)/.exec(mail.parsed.text ?? '');
  if (!match) throw new Error('no confirmation link in the mail');
  return match[1]!;
}

/** A clock the test moves forward by hand. */
export function manualClock(): Clock & { advance(ms: number): void; jumpTo(at: Date): void } {
  let offset = 0;
  return {
    now: () => new Date(Date.now() + offset),
    advance: (ms) => void (offset += ms),
    jumpTo: (at) => void (offset = at.getTime() - Date.now()),
  };
}

/** Waits until the transactional queue has nothing left to do, so "no mail" can be asserted. */
export async function drainTransactional(t: TestContext, timeoutMs = 10_000): Promise<void> {
  await t.signupsDone(timeoutMs);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const counts = await t.c.queues.transactional.getJobCounts('waiting', 'active', 'delayed', 'prioritized');
    if (Object.values(counts).every((n) => n === 0)) return;
    if (Date.now() > deadline) throw new Error(`transactional queue not drained: ${JSON.stringify(counts)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export const MINUTE = 60_000;
export const DAY = 86_400_000;

/** A header's raw value as sent (mailparser turns List-* headers into objects). */
export function rawHeader(mail: SinkMail, name: string): string {
  const line = mail.parsed.headerLines.find((h) => h.key === name.toLowerCase());
  return line ? line.line.slice(line.line.indexOf(':') + 1).replace(/\r?\n[ \t]+/g, ' ').trim() : '';
}

/** The https (here http) URL of a mail's List-Unsubscribe header. */
export function oneClickUrlOf(mail: SinkMail): string {
  const match = /<(https?:[^>]+)>/.exec(rawHeader(mail, 'list-unsubscribe'));
  if (!match) throw new Error('no List-Unsubscribe URL in the mail');
  return match[1]!;
}
