// Shared by the data-subject request tests: admin API calls, verification links out of mails, form posts.
import type { AdminRole } from '../../src/domain/staff/admin-token';
import type { SinkMail, TestContext } from '../helpers/context';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = any;

export async function api(t: TestContext, role: AdminRole | null, method: string, path: string, body?: unknown): Promise<{ status: number; body: Json }> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (role) headers.authorization = `Bearer ${t.token(role)}`;
  const res = await fetch(`${t.baseUrl}/api/v1/admin${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

export function verifyTokenIn(mail: SinkMail): string {
  const match = /\/r\/([A-Za-z0-9_.-]+)/.exec(mail.parsed.text ?? '');
  if (!match) throw new Error('no /r/ link in the mail');
  return match[1]!;
}

export async function postForm(t: TestContext, path: string, fields: Record<string, string> = {}): Promise<{ status: number; html: string }> {
  const res = await fetch(`${t.baseUrl}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' },
    body: new URLSearchParams(fields).toString(),
  });
  return { status: res.status, html: await res.text() };
}
