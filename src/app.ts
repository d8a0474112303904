// createApp(container): middleware, routers, error handler. Never listens (server.ts does).
import express, { type Express } from 'express';
import helmet from 'helmet';
import type { Container } from './container';
import { authenticate } from './http/admin-auth';
import { auditRoutes } from './http/admin/audit-routes';
import { importRoutes } from './http/admin/import-routes';
import { retentionRoutes } from './http/admin/retention-routes';
import { campaignRoutes } from './http/admin/campaign-routes';
import { campaignReportRoutes } from './http/admin/campaign-report-routes';
import { dashboardRoutes } from './http/admin/dashboard-routes';
import { listRoutes } from './http/admin/list-routes';
import { mailboxRoutes } from './http/admin/mailbox-routes';
import { policyRoutes } from './http/admin/policy-routes';
import { reConsentRoutes } from './http/admin/re-consent-routes';
import { requestRoutes } from './http/admin/request-routes';
import { staffAuthRoutes } from './http/admin/staff-auth-routes';
import { staffRoutes } from './http/admin/staff-routes';
import { subscriberRoutes } from './http/admin/subscriber-routes';
import { ledgerRoutes } from './http/admin/ledger-routes';
import { unsubscribeMetricsRoutes } from './http/admin/unsubscribe-metrics-routes';
import { apiDocsPage, apiDocumentRoutes } from './http/api-docs';
import { consoleRoutes } from './http/console-app';
import { errorHandler } from './http/error-handler';
import { errorPages } from './http/error-pages';
import { healthRoutes } from './http/health-routes';
import { multipartFields } from './http/multipart-form';
import { unsubscribeRoutes } from './http/public/unsubscribe-routes';
import { privacyRoutes } from './http/public/privacy-routes';
import { reConsentPublicRoutes } from './http/public/re-consent-routes';
import { signupRoutes } from './http/public/signup-routes';
import { verifyRoutes } from './http/public/verify-routes';
import { requestLog } from './http/request-log';
import { caseSensitiveRouter } from './http/router';
import { NotFoundError } from './errors';

export const BODY_LIMIT = '10kb';

export function createApp(c: Container): Express {
  const app = express();
  const log = c.logger.child({ component: 'http' });
  app.disable('x-powered-by');
  app.set('case sensitive routing', true);
  app.set('trust proxy', c.config.trustProxy);
  app.use(
    helmet({
      contentSecurityPolicy: { directives: { defaultSrc: ["'self'"], styleSrc: ["'self'", "'unsafe-inline'"], imgSrc: ["'self'", 'data:'] } },
    }),
  );
  app.use(requestLog(log));
  app.use(healthRoutes(c));

  // Admin first: its own 2 MB JSON limit (campaign MJML) must parse before the public 10 kB one,
  // and only for a caller who is signed in: nobody unauthenticated makes us read 2 MB.
  const admin = caseSensitiveRouter();
  admin.use(apiDocumentRoutes(c));
  // Console sign-in (its own small body limit); from here on a session cookie authenticates too
  // (with CSRF and Origin checks).
  admin.use(staffAuthRoutes(c));
  admin.use(authenticate(c.config.adminJwt));
  admin.use(express.json({ limit: '2mb', strict: true }));
  admin.use(staffRoutes(c));
  admin.use(auditRoutes(c));
  admin.use(campaignRoutes(c));
  admin.use(campaignReportRoutes(c));
  admin.use(listRoutes(c));
  admin.use(dashboardRoutes(c));
  admin.use(mailboxRoutes(c));
  admin.use(requestRoutes(c));
  admin.use(subscriberRoutes(c));
  admin.use(importRoutes(c));
  admin.use(retentionRoutes(c));
  admin.use(ledgerRoutes(c));
  admin.use(policyRoutes(c));
  admin.use(reConsentRoutes(c));
  admin.use(unsubscribeMetricsRoutes(c));
  app.use('/api/v1/admin', admin);
  app.use(apiDocsPage(c));
  app.use(consoleRoutes());

  // Public routes (forms, one-click POSTs, the JSON sign-up API): small bodies only.
  const publicRouter = caseSensitiveRouter();
  publicRouter.use(express.urlencoded({ extended: false, limit: BODY_LIMIT, parameterLimit: 50 }));
  publicRouter.use(express.json({ limit: BODY_LIMIT, strict: true }));
  // RFC 8058 allows one-click bodies as multipart/form-data too.
  publicRouter.use(multipartFields(BODY_LIMIT));
  publicRouter.use(unsubscribeRoutes(c));
  publicRouter.use(signupRoutes(c));
  publicRouter.use(verifyRoutes(c));
  publicRouter.use(privacyRoutes(c));
  publicRouter.use(reConsentPublicRoutes(c));
  app.use(publicRouter);

  app.use((req, _res, next) => next(new NotFoundError(`${req.method} ${req.path}`)));
  app.use(errorHandler(log, errorPages(c.pages)));
  return app;
}
