import { Router } from 'express';
import type { Container } from '../container';
import { caseSensitiveRouter } from './router';

export function healthRoutes(c: Pick<Container, 'conn' | 'redis'>): Router {
  const router = caseSensitiveRouter();
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.get('/readyz', async (_req, res) => {
    const [database, redis] = await Promise.all([
      c.conn.db!.admin().ping().then(() => true, () => false),
      c.redis.ping().then((r) => r === 'PONG', () => false),
    ]);
    res.status(database && redis ? 200 : 503).json({ status: database && redis ? 'ready' : 'unavailable', database, redis });
  });
  return router;
}
