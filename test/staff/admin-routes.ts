// Every route of the admin API, read from the Express router itself, so a route added tomorrow is
// covered by the role and documentation tests without anyone listing it.
import type { Express } from 'express';

export interface MountedRoute {
  method: string;
  /** Express pattern relative to /api/v1/admin, e.g. /campaigns/:id. */
  path: string;
}

interface Layer {
  rawPath?: unknown;
  route?: { path: string; methods: Record<string, boolean> };
  handle?: { stack?: Layer[] };
}

export function adminRoutes(app: Express): MountedRoute[] {
  const top = (app as unknown as { router: { stack: Layer[] } }).router.stack;
  const admin = top.find((l) => l.rawPath === '/api/v1/admin' && l.handle?.stack);
  if (!admin) throw new Error('no router mounted at /api/v1/admin');
  const found: MountedRoute[] = [];
  const walk = (stack: Layer[], prefix: string) => {
    for (const layer of stack) {
      if (layer.route) {
        for (const [method, on] of Object.entries(layer.route.methods)) if (on && method !== '_all') found.push({ method: method.toUpperCase(), path: prefix + layer.route.path });
      } else if (layer.handle?.stack) {
        const at = typeof layer.rawPath === 'string' && layer.rawPath !== '/' ? layer.rawPath : '';
        walk(layer.handle.stack, prefix + at);
      }
    }
  };
  walk(admin.handle!.stack!, '');
  const seen = new Set<string>();
  return found.filter((r) => !seen.has(`${r.method} ${r.path}`) && seen.add(`${r.method} ${r.path}`));
}
