// The staff console: the single-page app built into console/dist (npm run build:console), served at
// /admin. Every /admin/* page the app routes itself gets index.html; /admin/api stays the docs page
// (mounted before this router). Its own CSP: scripts only from this origin, never inline. Inline
// styles stay allowed because a campaign preview (srcdoc iframe, sandboxed without scripts) inherits
// this policy and e-mail HTML is styled inline.
import { existsSync } from 'node:fs';
import path from 'node:path';
import express, { Router, type Response } from 'express';
import { NotFoundError } from '../errors';
import { ROOT_DIR } from '../paths';

export const CONSOLE_DIST = path.join(ROOT_DIR, 'console', 'dist');
export const CONSOLE_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: https:",
  "font-src 'self'",
  "connect-src 'self'",
  "frame-src 'self'",
  "frame-ancestors 'none'",
  "form-action 'self'",
  "base-uri 'none'",
  "object-src 'none'",
].join('; ');

export function consoleRoutes(dist = CONSOLE_DIST): Router {
  const router = Router({ caseSensitive: true });
  const index = path.join(dist, 'index.html');
  const secure = (res: Response) => res.set({ 'Content-Security-Policy': CONSOLE_CSP, 'X-Frame-Options': 'DENY', 'Referrer-Policy': 'same-origin' });

  // Hashed file names: cache for good.
  router.use('/admin/assets', express.static(path.join(dist, 'assets'), { immutable: true, maxAge: '365d', index: false }));
  router.use('/admin/assets', (req, _res, next) => next(new NotFoundError(`asset ${req.path}`)));
  router.get(['/admin', '/admin/{*page}'], (_req, res, next) => {
    if (!existsSync(index)) {
      res.status(503).type('text').send('The console is not built: run `npm run build:console`.\n');
      return;
    }
    secure(res).set('Cache-Control', 'no-cache');
    res.sendFile(index, (err) => err && next(err));
  });
  return router;
}
