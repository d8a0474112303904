// The admin API's description: every route the router has is in the OpenAPI document (with the
// roles the route really admits), the schemas are those the routes validate with, the page renders
// it without script, and the API's root points at it.
import { expect } from 'chai';
import { createApp } from '../../src/app';
import { createBody as campaignCreateBody } from '../../src/http/admin/campaign-routes';
import { openApiPath } from '../../src/http/admin/openapi';
import type { TestContext } from '../helpers/context';
import { adminRoutes } from './admin-routes';
import { staffContext } from './helpers';

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
});
