// The admin API's description: the OpenAPI document, a pointer to it at the API's root, and a page
// at /admin/api rendered on the server from the same document (no script, no CDN; one stylesheet).
import { Router } from 'express';
import type { Container } from '../container';
import { escapeHtml } from '../html';
import { buildOpenApi } from './admin/openapi';

const DOCS_PATH = '/admin/api';
const DOCUMENT_PATH = '/api/v1/admin/openapi.json';

/** Mounted inside the admin router, before authentication: the description holds no personal data. */
export function apiDocumentRoutes(c: Pick<Container, 'config'>): Router {
  const router = Router();
  const document = buildOpenApi(c.config.publicBaseUrl);
  router.get('/openapi.json', (_req, res) => {
    res.json(document);
  });
  router.get('/', (_req, res) => {
    res.json({ docs: `${c.config.publicBaseUrl}${DOCS_PATH}`, openapi: `${c.config.publicBaseUrl}${DOCUMENT_PATH}` });
  });
  return router;
}

type Operation = {
  tags: string[];
  summary: string;
  description: string;
  parameters: Array<{ name: string; in: string; required: boolean; schema: unknown }>;
  requestBody?: { content: Record<string, { schema: unknown }> };
  responses: Record<string, { description?: string; $ref?: string }>;
};

export function apiDocsPage(c: Pick<Container, 'config'>): Router {
  const router = Router();
  const document = buildOpenApi(c.config.publicBaseUrl) as { info: { title: string; description: string }; tags: Array<{ name: string }>; paths: Record<string, Record<string, Operation>> };
  const html = renderDocs(document);
  router.get(DOCS_PATH, (_req, res) => {
    res.type('html').set('Cache-Control', 'no-cache').send(html);
  });
  router.get(`${DOCS_PATH}.css`, (_req, res) => {
    res.type('css').set('Cache-Control', 'max-age=3600').send(STYLE);
  });
  return router;
}

function renderDocs(doc: { info: { title: string; description: string }; tags: Array<{ name: string }>; paths: Record<string, Record<string, Operation>> }): string {
  const operations = Object.entries(doc.paths).flatMap(([path, methods]) => Object.entries(methods).map(([method, op]) => ({ path, method, op })));
  const sections = doc.tags.map(({ name }) => {
    const ops = operations.filter((o) => o.op.tags.includes(name));
    return `<section id="${anchor(name)}"><h2>${escapeHtml(name)}</h2>${ops.map(renderOperation).join('')}</section>`;
  });
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex"><title>${escapeHtml(doc.info.title)}</title><link rel="stylesheet" href="${DOCS_PATH}.css"></head>
<body><header><h1>${escapeHtml(doc.info.title)}</h1><p>${escapeHtml(doc.info.description)}</p>
<p><a href="${DOCUMENT_PATH}">openapi.json</a></p>
<nav aria-label="Sections"><ul>${doc.tags.map(({ name }) => `<li><a href="#${anchor(name)}">${escapeHtml(name)}</a></li>`).join('')}</ul></nav></header>
<main>${sections.join('\n')}</main></body></html>`;
}

function renderOperation({ path, method, op }: { path: string; method: string; op: Operation }): string {
  const params = op.parameters.length
    ? `<table><thead><tr><th scope="col">Parameter</th><th scope="col">In</th><th scope="col">Schema</th></tr></thead><tbody>${op.parameters
        .map((p) => `<tr><td><code>${escapeHtml(p.name)}</code>${p.required ? ' (required)' : ''}</td><td>${escapeHtml(p.in)}</td><td><code>${escapeHtml(JSON.stringify(p.schema))}</code></td></tr>`)
        .join('')}</tbody></table>`
    : '';
  const body = op.requestBody
    ? Object.entries(op.requestBody.content)
        .map(([type, { schema }]) => `<h4>Request body (${escapeHtml(type)})</h4><pre>${escapeHtml(JSON.stringify(schema, null, 2))}</pre>`)
        .join('')
    : '';
  const responses = Object.entries(op.responses)
    .map(([status, r]) => `<li><strong>${escapeHtml(status)}</strong> ${escapeHtml(r.description ?? (r.$ref ?? '').split('/').pop())}</li>`)
    .join('');
  return `<article><h3><span class="method ${escapeHtml(method)}">${escapeHtml(method.toUpperCase())}</span> <code>${escapeHtml(path)}</code></h3>
<p>${escapeHtml(op.summary)}. ${escapeHtml(op.description)}</p>${params}${body}<h4>Responses</h4><ul>${responses}</ul></article>`;
}

function anchor(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]+/g, '-');
}

const STYLE = `body{font:16px/1.5 system-ui,sans-serif;margin:0;color:#1a1a1a;background:#fafafa}
header,main{max-width:60rem;margin:0 auto;padding:1rem}
nav ul{display:flex;flex-wrap:wrap;gap:.5rem 1rem;list-style:none;padding:0}
article{background:#fff;border:1px solid #ddd;border-radius:6px;padding:.5rem 1rem;margin:1rem 0}
h3{font-size:1.05rem;overflow-wrap:anywhere}
.method{display:inline-block;min-width:4.5rem;text-align:center;border-radius:4px;padding:0 .4rem;color:#fff;background:#555}
.get{background:#1f6feb}.post{background:#1a7f37}.patch{background:#9a6700}.delete{background:#cf222e}
pre{background:#f3f3f3;padding:.5rem;overflow:auto}
table{border-collapse:collapse;width:100%}td,th{border-top:1px solid #eee;padding:.25rem;text-align:left;vertical-align:top}
td code{overflow-wrap:anywhere}
a{color:#0b57d0}`;
