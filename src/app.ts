// createApp(container): middleware, routers, error handler. Never listens (server.ts does).
import express, { type Express } from 'express';
import helmet from 'helmet';
import type { Container } from './container';
import { authenticate } from './http/admin-auth';
import { auditRoutes } from './http/admin/audit-routes';
import { errorHandler } from './http/error-handler';
import { errorPages } from './http/error-pages';
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
  // Public routes (forms, one-click POSTs, the JSON sign-up API): small bodies only.
  const publicRouter = express.Router();
  publicRouter.use(express.urlencoded({ extended: false, limit: BODY_LIMIT, parameterLimit: 50 }));
  publicRouter.use(express.json({ limit: BODY_LIMIT, strict: true }));
  app.use(publicRouter);

  const admin = express.Router();
  admin.use(express.json({ limit: '2mb', strict: true }));
  admin.use(authenticate(c.config.adminJwt));
  admin.use(auditRoutes(c));
  app.use('/api/v1/admin', admin);

  app.use((req, _res, next) => next(new NotFoundError(`${req.method} ${req.path}`)));
  app.use(errorHandler(log, errorPages(c.pages)));
  return app;
}
