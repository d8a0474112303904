// The OpenAPI 3.1 document of the admin API, built from the route catalogue and its zod schemas
// (zod 4 writes JSON Schema 2020-12, which OpenAPI 3.1 speaks natively).
import { z } from 'zod';
import { API_ROUTES, type ApiRoute } from './api-catalogue';
import { CSRF_HEADER } from '../staff-session';

type JsonSchema = Record<string, unknown>;

function schemaOf(type: z.ZodType, io: 'input' | 'output' = 'input'): JsonSchema {
  // Input side for requests: what a client sends (before coercion and defaults); dates and the like as
  // `{}`. Output side for responses: what the server writes.
  const { $schema: _ignored, ...schema } = z.toJSONSchema(type, { io, unrepresentable: 'any' }) as JsonSchema;
  return schema;
}

function responseOf(response: ApiRoute['response']): JsonSchema {
  if (response.type) return { description: response.description, content: { [response.type]: { schema: { type: 'string' } } } };
  if (response.schema) return { description: response.description, content: { 'application/json': { schema: schemaOf(response.schema, 'output') } } };
  return { description: response.description };
}

function parameters(route: ApiRoute, where: 'path' | 'query'): JsonSchema[] {
  const source = where === 'path' ? route.params : route.query;
  if (!source) {
    if (where === 'path') return [...route.path.matchAll(/:(\w+)/g)].map((m) => ({ name: m[1], in: 'path', required: true, schema: { type: 'string' } }));
    return [];
  }
  const schema = schemaOf(source) as { properties?: Record<string, JsonSchema>; required?: string[] };
  return Object.entries(schema.properties ?? {}).map(([name, s]) => ({ name, in: where, required: where === 'path' || (schema.required ?? []).includes(name), schema: s }));
}

export function openApiPath(expressPath: string): string {
  return expressPath.replace(/:(\w+)/g, '{$1}');
}

function operation(route: ApiRoute): JsonSchema {
  const admitted = route.roles === 'public' ? 'anyone (no sign-in)' : route.roles === 'any' ? 'every signed-in role' : [...route.roles, 'admin'].join(', ');
  const op: JsonSchema = {
    tags: [route.tag],
    summary: route.summary,
    description: `Roles: ${admitted}.`,
    'x-roles': route.roles,
    parameters: [...parameters(route, 'path'), ...parameters(route, 'query')],
    responses: {
      [route.response.status]: responseOf(route.response),
      ...(route.roles === 'public' ? {} : { 401: { $ref: '#/components/responses/Unauthenticated' }, 403: { $ref: '#/components/responses/Forbidden' } }),
    },
  };
  if (route.roles === 'public' && !route.path.startsWith('/auth/')) op.security = [];
  if (route.body) op.requestBody = { required: true, content: { 'application/json': { schema: schemaOf(route.body) } } };
  else if (route.bodyType) op.requestBody = { required: true, content: { [route.bodyType]: { schema: { type: 'string' } } } };
  return op;
}

export function buildOpenApi(serverUrl: string): JsonSchema {
  const paths: Record<string, Record<string, JsonSchema>> = {};
  for (const route of API_ROUTES) (paths[openApiPath(route.path)] ??= {})[route.method] = operation(route);
  const error = { type: 'object', properties: { error: { type: 'object', properties: { code: { type: 'string' }, message: { type: 'string' }, details: {} }, required: ['code', 'message'] } } };
  return {
    openapi: '3.1.0',
    info: {
      title: 'e-Jaunumi admin API',
      version: '1',
      description:
        'The staff API behind the console. Authenticate with the console session cookie (signed in through /auth/login; ' +
        `every state-changing request repeats the session's csrfToken in the ${CSRF_HEADER} header and comes from this origin) ` +
        'or with `Authorization: Bearer <JWT>` from `npm run cli -- admin-token`. Errors: `{error: {code, message, details?}}`.',
    },
    servers: [{ url: `${serverUrl}/api/v1/admin` }],
    security: [{ bearer: [] }, { session: [], csrf: [] }],
    tags: [...new Set(API_ROUTES.map((r) => r.tag))].map((name) => ({ name })),
    paths,
    components: {
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' },
        session: { type: 'apiKey', in: 'cookie', name: 'ej_session', description: '`__Host-ej_session` when served over https' },
        csrf: { type: 'apiKey', in: 'header', name: CSRF_HEADER, description: 'required on POST, PATCH, DELETE with the session cookie' },
      },
      schemas: { Error: error },
      responses: {
        Unauthenticated: { description: 'no valid session or token', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } },
        Forbidden: { description: 'wrong role, or a cookie request without the CSRF token or from another origin', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } },
      },
    },
  };
}
