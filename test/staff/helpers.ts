// Staff sign-in helpers: accounts made through the domain, a tiny cookie-keeping client that
// behaves like the console in a browser (Origin, X-CSRF-Token), a clock the tests move, TOTP codes.
import { Secret, TOTP } from 'otpauth';
import type { Clock } from '../../src/container';
import type { AdminRole } from '../../src/domain/staff/admin-token';
import { sealTotpSecret, totpSealingKey } from '../../src/domain/staff/totp-secrets';
import { createTestContext, type ContextOptions, type TestContext } from '../helpers/context';

export const OPERATOR = { sub: 'cli', role: 'admin' };
export const PASSWORD = 'Rīgas jūrmala vasarā';

export class MovableClock implements Clock {
  private offset = 0;
  now(): Date {
    return new Date(Date.now() + this.offset);
  }
  advance(ms: number): void {
    this.offset += ms;
  }
}

export function staffContext(env: Record<string, string> = {}, opts: ContextOptions = {}): Promise<TestContext> {
  // A cheaper scrypt than production keeps the suite quick; the parameters travel with each hash.
  return createTestContext({ ...opts, env: { STAFF_SCRYPT_COST: '14', ...env, ...opts.env } });
}

export interface TestStaff {
  id: string;
  email: string;
  role: AdminRole;
  password: string;
  totpSecret?: string;
}

let counter = 0;

export async function addStaff(t: TestContext, role: AdminRole, opts: { totp?: boolean; email?: string } = {}): Promise<TestStaff> {
  const email = opts.email ?? `${role}-${++counter}-${Date.now()}@impro.lv`;
  const { staff, link } = await t.c.staff.accounts.invite({ email, role, name: `Test ${role}` }, OPERATOR);
  await t.c.staff.accounts.setPassword(link.token, PASSWORD);
  let totpSecret: string | undefined;
  if (opts.totp) {
    totpSecret = new Secret({ size: 20 }).base32;
    await t.c.models.staff.updateOne({ _id: staff.id }, { $set: { totpSecret: sealTotpSecret(totpSecret, totpSealingKey(t.config.emailHashKey)), totpEnabledAt: new Date() } });
  }
  return { id: staff.id, email, role, password: PASSWORD, totpSecret };
}

export function totpCode(secret: string, at: Date = new Date()): string {
  return new TOTP({ secret: Secret.fromBase32(secret), algorithm: 'SHA1', digits: 6, period: 30 }).generate({ timestamp: at.getTime() });
}

export interface Sent {
  status: number;
  body: any;
  headers: Headers;
}

/** One browser: keeps the session cookie, sends our Origin and the CSRF token unless told otherwise. */
export class Browser {
  cookie?: string;
  csrfToken?: string;

  constructor(private readonly t: TestContext) {}

  async request(method: string, path: string, opts: { body?: unknown; origin?: string | null; referer?: string; csrf?: string | null; headers?: Record<string, string> } = {}): Promise<Sent> {
    const headers: Record<string, string> = { ...opts.headers };
    if (opts.body !== undefined) headers['content-type'] = 'application/json';
    if (opts.origin !== null) headers.origin = opts.origin ?? new URL(this.t.config.publicBaseUrl).origin;
    if (opts.referer) headers.referer = opts.referer;
    const csrf = opts.csrf === undefined ? this.csrfToken : opts.csrf;
    if (csrf) headers['x-csrf-token'] = csrf;
    if (this.cookie) headers.cookie = this.cookie;
    const res = await fetch(`${this.t.baseUrl}/api/v1/admin${path}`, { method, headers, body: opts.body === undefined ? undefined : JSON.stringify(opts.body) });
    const setCookie = res.headers.get('set-cookie');
    if (setCookie) {
      const [pair] = setCookie.split(';');
      this.cookie = /=$/.test(pair!) || /Expires=Thu, 01 Jan 1970/.test(setCookie) ? undefined : pair;
    }
    const text = await res.text();
    let body: any = text;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      /* HTML or empty */
    }
    if (body && typeof body === 'object' && typeof body.csrfToken === 'string') this.csrfToken = body.csrfToken;
    if (body?.me?.csrfToken) this.csrfToken = body.me.csrfToken;
    return { status: res.status, body, headers: res.headers };
  }

  get(path: string, opts = {}) {
    return this.request('GET', path, opts);
  }

  post(path: string, body: unknown = {}, opts: Parameters<Browser['request']>[2] = {}) {
    return this.request('POST', path, { ...opts, body });
  }

  login(staff: { email: string; password: string }) {
    return this.post('/auth/login', { email: staff.email, password: staff.password });
  }

  /** Password, then the TOTP code when one is asked for. */
  async signIn(staff: TestStaff, at?: Date): Promise<this> {
    const first = await this.login(staff);
    if (first.body?.status === 'totp-required') {
      const second = await this.post('/auth/totp', { code: totpCode(staff.totpSecret!, at) });
      if (second.body?.status !== 'signed-in') throw new Error(`TOTP step failed: ${JSON.stringify(second.body)}`);
    } else if (first.body?.status !== 'signed-in') {
      throw new Error(`sign-in failed: ${first.status} ${JSON.stringify(first.body)}`);
    }
    return this;
  }
}
