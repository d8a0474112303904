// Every JSON answer of the admin API that a test receives is checked against the response schema its
// catalogue entry declares, whichever client the test uses: the check wraps fetch once for the whole
// run, so a handler that drifts from the OpenAPI document fails the test that called it.
import type { z } from 'zod';
import { API_ROUTES, type ApiRoute } from '../../src/http/admin/api-catalogue';

const PREFIX = '/api/v1/admin';

interface Pattern {
  route: ApiRoute;
  regex: RegExp;
  params: number;
}

const patterns: Pattern[] = API_ROUTES.map((route) => ({
  route,
  regex: new RegExp(`^${route.path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/:(\w+)/g, '[^/]+')}/?$`),
  params: (route.path.match(/:\w+/g) ?? []).length,
}))
  // Literal segments win over parameters, as in the router (/campaigns/nameless before /campaigns/:id).
  .sort((a, b) => a.params - b.params);

/** The catalogue entry that serves this method and path (under the admin prefix), if any. */
export function routeFor(method: string, path: string): ApiRoute | undefined {
  const m = method.toLowerCase();
  return patterns.find((p) => p.route.method === m && p.regex.test(path))?.route;
}

/** Why a body does not fit the route's declared response, or undefined when it does (or nothing is declared). */
export function responseMismatch(method: string, path: string, status: number, body: unknown): string | undefined {
  const route = routeFor(method, path);
  if (!route || status < 200 || status > 299 || route.response.type || !route.response.schema) return undefined;
  const where = `${method.toUpperCase()} ${route.path}`;
  if (status !== route.response.status) return `${where} answered ${status}; the catalogue declares ${route.response.status}`;
  const result = (route.response.schema as z.ZodType).safeParse(body);
  if (result.success) return undefined;
  const issues = result.error.issues.map((i) => `  at ${i.path.length ? i.path.join('.') : '(body)'}: ${i.message}`).join('\n');
  return `${where} answered ${status} with a body its response schema rejects:\n${issues}`;
}

const unreported: string[] = [];

/** Mismatches seen since the last call (a test may have swallowed the rejected fetch). */
export function takeResponseMismatches(): string[] {
  return unreported.splice(0);
}

export function installResponseContract(): void {
  const original = globalThis.fetch;
  if ((original as { contract?: boolean }).contract) return;
  const checked: typeof fetch = async (input, init) => {
    const res = await original(input, init);
    const url = new URL(input instanceof Request ? input.url : String(input));
    const method = init?.method ?? (input instanceof Request ? input.method : 'GET');
    if (!url.pathname.startsWith(PREFIX) || !res.headers.get('content-type')?.includes('json')) return res;
    const text = await res.clone().text();
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      return res; // not JSON after all: the test sees that itself
    }
    const mismatch = responseMismatch(method, url.pathname.slice(PREFIX.length) || '/', res.status, body);
    if (mismatch) {
      unreported.push(mismatch);
      throw new Error(`response contract: ${mismatch}`);
    }
    return res;
  };
  (checked as { contract?: boolean }).contract = true;
  globalThis.fetch = checked;
}
