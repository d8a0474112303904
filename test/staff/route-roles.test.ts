// Role checks on every admin route (marketer: campaigns and lists; dpo: subscribers, requests,
// audit, suppressions, mailbox and the rest of personal data; admin: everything, staff alone).
// The routes come from the router, so a new one fails here until its area is named below.
import { expect } from 'chai';
import { createApp } from '../../src/app';
import type { AdminRole } from '../../src/domain/staff/admin-token';
import type { TestContext } from '../helpers/context';
import { API_ROUTES } from '../../src/http/admin/api-catalogue';
import { adminRoutes } from './admin-routes';
import { addStaff, Browser, staffContext } from './helpers';

const AREAS: Record<string, AdminRole> = {
  campaigns: 'marketer',
  lists: 'marketer',
  dashboard: 'marketer',
  subscribers: 'dpo',
  requests: 'dpo',
  audit: 'dpo',
  suppressions: 'dpo',
  mailbox: 'dpo',
  metrics: 'dpo',
  'policy-versions': 'dpo',
  'consent-coverage': 'dpo',
  're-consent': 'dpo',
  import: 'dpo',
  imports: 'dpo',
  'audit.csv': 'dpo',
  retention: 'dpo',
  staff: 'admin',
};
/** Reached before signing in, by design. */
const PUBLIC = new Set(['GET /', 'GET /openapi.json', 'POST /auth/login', 'POST /auth/password', 'POST /auth/totp', 'POST /auth/totp/enrol', 'POST /auth/totp/enrol/confirm', 'POST /auth/logout', 'POST /auth/password/change']);
/** Any signed-in role. */
const ANY_ROLE = new Set(['GET /auth/me']);
const ROLES: AdminRole[] = ['marketer', 'dpo', 'admin'];

describe('admin API roles, route by route', function () {
  this.timeout(120_000);
  let t: TestContext;
  before(async () => {
    t = await staffContext();
  });
  after(async () => t.close());

  const concrete = (path: string) => path.replace(/:id\b/g, '0123456789abcdef01234567').replace(/:slug\b/g, 'nav-tads').replace(/:\w+/g, 'x');

  it('finds the routes in the router', () => {
    const routes = adminRoutes(createApp(t.c));
    expect(routes.length).to.be.greaterThan(30);
    expect(routes).to.deep.include({ method: 'GET', path: '/campaigns/:id' });
    expect(routes).to.deep.include({ method: 'POST', path: '/staff/:id/deactivate' });
  });

  it('admits each route only to its role (and admin), by Bearer and by cookie alike', async () => {
    const routes = adminRoutes(createApp(t.c));
    const browsers = { marketer: await new Browser(t).signIn(await addStaff(t, 'marketer')) };
    const problems: string[] = [];
    for (const { method, path } of routes) {
      const key = `${method} ${path}`;
      if (PUBLIC.has(key)) continue;
      const area = path.split('/')[1]!;
      const allowed: AdminRole[] = ANY_ROLE.has(key) ? ROLES : AREAS[area] ? [AREAS[area]!, 'admin'] : [];
      if (!allowed.length) {
        problems.push(`${key}: no role rule for /${area} (add it to AREAS or PUBLIC)`);
        continue;
      }
      const url = `${t.baseUrl}/api/v1/admin${concrete(path)}`;
      const send = (headers: Record<string, string>) =>
        fetch(url, { method, headers: { 'content-type': 'application/json', ...headers }, body: method === 'GET' ? undefined : '{}' });
      const anonymous = await send({});
      if (anonymous.status !== 401) problems.push(`${key}: ${anonymous.status} without credentials`);
      for (const role of ROLES) {
        const status = (await send({ authorization: `Bearer ${t.token(role)}` })).status;
        const ok = allowed.includes(role) ? status !== 401 && status !== 403 : status === 403;
        if (!ok) problems.push(`${key}: ${status} for ${role} by Bearer`);
      }
      const cookie = await browsers.marketer.request(method, concrete(path), { body: method === 'GET' ? undefined : {} });
      const okCookie = allowed.includes('marketer') ? cookie.status !== 401 && cookie.status !== 403 : cookie.status === 403;
      if (!okCookie) problems.push(`${key}: ${cookie.status} for a marketer's session`);
    }
    expect(problems).to.deep.equal([]);
  });

  it('documents for each route the roles the rules above admit', () => {
    const wrong = API_ROUTES.filter((r) => {
      const key = `${r.method.toUpperCase()} ${r.path}`;
      if (PUBLIC.has(key)) return r.roles !== 'public';
      if (ANY_ROLE.has(key)) return r.roles !== 'any';
      const area = AREAS[r.path.split('/')[1]!];
      return !Array.isArray(r.roles) || r.roles.join() !== (area === 'admin' ? 'admin' : area);
    });
    expect(wrong.map((r) => `${r.method} ${r.path}`)).to.deep.equal([]);
  });
});
