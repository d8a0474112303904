// The admin API's description: every route the router has is in the OpenAPI document (with the
// roles the route really admits), the schemas are those the routes validate with, the page renders
// it without script, and the API's root points at it.
import { expect } from 'chai';
import { createApp } from '../../src/app';
import { createBody as campaignCreateBody } from '../../src/http/admin/campaign-routes';
import { API_ROUTES } from '../../src/http/admin/api-catalogue';
import { openApiPath } from '../../src/http/admin/openapi';
import { responseMismatch, routeFor } from '../helpers/response-contract';
import type { TestContext } from '../helpers/context';
import { adminRoutes } from './admin-routes';
import { staffContext } from './helpers';

// JSON routes whose answer has no schema yet: the list only shrinks. A route added to the catalogue
// without a response schema fails the test below until it gets one (or is named here).
const WITHOUT_RESPONSE_SCHEMA: string[] = [];

type Doc = { openapi: string; paths: Record<string, Record<string, { 'x-roles': unknown; requestBody?: { content: Record<string, { schema: any }> }; parameters: any[] }>> };

describe('admin API documentation', () => {
  let t: TestContext;
  let doc: Doc;
  before(async () => {
    t = await staffContext();
    doc = (await (await fetch(`${t.baseUrl}/api/v1/admin/openapi.json`)).json()) as Doc;
  });
  after(async () => t.close());

  it('documents every route the router has, and nothing it lacks', () => {
    const mounted = adminRoutes(createApp(t.c)).map((r) => `${r.method} ${openApiPath(r.path)}`);
    const documented = Object.entries(doc.paths).flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`));
    expect(doc.openapi).to.equal('3.1.0');
    expect(mounted.filter((r) => !documented.includes(r)), 'routes missing from openapi.json').to.deep.equal([]);
    expect(documented.filter((r) => !mounted.includes(r)), 'documented routes that do not exist').to.deep.equal([]);
  });

  it('uses the schemas the routes validate with', () => {
    const body = doc.paths['/campaigns']!.post!.requestBody!.content['application/json']!.schema;
    expect(body.required).to.have.members(['name', 'list', 'subject', 'mjml']);
    expect(body.properties.mjml.maxLength).to.equal(500_000);
    expect(body.additionalProperties).to.equal(false);
    // A schema change shows up in the document (the same object, not a copy).
    expect(Object.keys(campaignCreateBody.shape)).to.have.members(Object.keys(body.properties));
    const params = doc.paths['/staff/{id}']!.patch!.parameters;
    expect(params[0]).to.include({ name: 'id', in: 'path', required: true });
    expect(doc.paths['/staff']!.get!['x-roles']).to.deep.equal(['admin']);
    expect(doc.paths['/lists']!.get!['x-roles']).to.deep.equal(['marketer']);
  });

  it('answers the API root with where the document is, instead of a 404', async () => {
    const res = await fetch(`${t.baseUrl}/api/v1/admin`);
    expect(res.status).to.equal(200);
    expect(await res.json()).to.deep.equal({ docs: `${t.baseUrl}/admin/api`, openapi: `${t.baseUrl}/api/v1/admin/openapi.json` });
  });

  it('renders /admin/api from the document under a CSP without inline script', async () => {
    const res = await fetch(`${t.baseUrl}/admin/api`);
    expect(res.status).to.equal(200);
    const csp = res.headers.get('content-security-policy')!;
    expect(csp).to.contain("default-src 'self'");
    expect(csp).not.to.match(/script-src[^;]*'unsafe-inline'/);
    const html = await res.text();
    expect(html).not.to.match(/<script/i);
    expect(html).not.to.match(/https?:\/\/(?!127\.0\.0\.1)/); // no CDN
    expect(html).to.contain('/campaigns/{id}/send').and.contain('/auth/login').and.contain('X-CSRF-Token');
    const css = await fetch(`${t.baseUrl}/admin/api.css`);
    expect(css.headers.get('content-type')).to.match(/text\/css/);
  });

  it('declares the JSON answer of every route, but for the allow-list', () => {
    const lacking = API_ROUTES.filter((r) => !r.response.type && r.response.status !== 204 && !r.response.schema).map((r) => `${r.method.toUpperCase()} ${r.path}`);
    expect(lacking, 'routes without a response schema (add one, or name the route in WITHOUT_RESPONSE_SCHEMA)').to.deep.equal(WITHOUT_RESPONSE_SCHEMA);
    const campaign = (doc.paths['/campaigns/{id}']!.get as any).responses[200].content['application/json'].schema;
    expect(campaign.required, 'the response schema is in the document').to.include.members(['id', 'status', 'stats', 'mjml']);
    expect(campaign.properties.createdAt).to.include({ type: 'string', format: 'date-time' });
    expect(campaign.additionalProperties, 'a field the handler adds must be declared first').to.equal(false);
  });

  it('finds the route of an answer by method and path, literal segments first', () => {
    expect(routeFor('GET', '/campaigns/nameless')?.path).to.equal('/campaigns/nameless');
    expect(routeFor('GET', '/campaigns/0123456789abcdef01234567')?.path).to.equal('/campaigns/:id');
    expect(routeFor('POST', '/campaigns/0123456789abcdef01234567/pause')?.path).to.equal('/campaigns/:id/pause');
    expect(routeFor('GET', '/audit.csv')?.path).to.equal('/audit.csv');
    expect(routeFor('PUT', '/campaigns')).to.equal(undefined);
  });

  it('names the route, status and field of an answer that does not fit its schema', () => {
    expect(responseMismatch('GET', '/auth/me', 200, { email: 'a@impro.lv' })).to.match(/^GET \/auth\/me answered 200 .*\n {2}at role: /s);
    expect(responseMismatch('GET', '/auth/me', 201, {})).to.equal('GET /auth/me answered 201; the catalogue declares 200');
    expect(responseMismatch('GET', '/auth/me', 401, { error: { code: 'unauthenticated' } }), 'errors are not checked here').to.equal(undefined);
  });
});
