// createApp(container): middleware, routers, error handler. Never listens (server.ts does).
import express, { type Express } from 'express';
import helmet from 'helmet';
import type { Container } from './container';
import { authenticate } from './http/admin-auth';
import { auditRoutes } from './http/admin/audit-routes';
import { errorHandler } from './http/error-handler';
import { healthRoutes } from './http/health-routes';
import { requestLog } from './http/request-log';
import { NotFoundError } from './errors';

export const BODY_LIMIT = '10kb';

export function createApp(c: Container): Express {
  const app = express();
  const log = c.logger.child({ component: 'http' });
  app.disable('x-powered-by');
  app.set('trust proxy', c.config.trustProxy);
  app.use(
    helmet({
      contentSecurityPolicy: { directives: { defaultSrc: ["'self'"], styleSrc: ["'self'", "'unsafe-inline'"], imgSrc: ["'self'", 'data:'] } },
    }),
  );
  app.use(requestLog(log));
  app.use(healthRoutes(c));

  const admin = express.Router();
  admin.use(express.json({ limit: '2mb', strict: true }));
  admin.use(authenticate(c.config.adminJwt));
  admin.use(auditRoutes(c));
  app.use('/api/v1/admin', admin);

  app.use((req, _res, next) => next(new NotFoundError(`${req.method} ${req.path}`)));
  app.use(errorHandler(log));
  return app;
}
