// Every admin route, declared once for the OpenAPI document: method, path, who may call it, and the
// very zod schemas the route validates with (imported from the route files), and the schema of the
// JSON it answers with (declared beside its handler). A test compares this list with the router, so
// a route cannot exist undocumented; the test clients check every admin answer against its schema.
import { z } from 'zod';
import type { AdminRole } from '../../domain/staff/admin-token';
import * as audit from './audit-routes';
import * as report from './campaign-report-routes';
import * as campaigns from './campaign-routes';
import * as dashboard from './dashboard-routes';
import * as imports from './import-routes';
import * as ledger from './ledger-routes';
import * as lists from './list-routes';
import * as mailbox from './mailbox-routes';
import * as policies from './policy-routes';
import * as reConsent from './re-consent-routes';
import * as requests from './request-routes';
import * as retention from './retention-routes';
import * as auth from './staff-auth-routes';
import * as staff from './staff-routes';
import * as subscribers from './subscriber-routes';
import * as suppressions from './suppression-routes';
import * as unsubscribeMetrics from './unsubscribe-metrics-routes';

export interface ApiRoute {
  method: 'get' | 'post' | 'patch' | 'delete';
  /** Express pattern under /api/v1/admin. */
  path: string;
  tag: string;
  summary: string;
  /** Roles admitted besides admin; `public`: before signing in; `any`: every signed-in role. */
  roles: AdminRole[] | 'public' | 'any';
  params?: z.ZodType;
  query?: z.ZodType;
  body?: z.ZodType;
  /** Only for bodies that are not JSON. */
  bodyType?: string;
  /** `schema`: the JSON body of that status, as the handler writes it (dates as ISO strings). */
  response: { status: number; description: string; type?: string; schema?: z.ZodType };
}

const MARKETER: AdminRole[] = ['marketer'];
const DPO: AdminRole[] = ['dpo'];
const ADMIN: AdminRole[] = ['admin'];
const json = (status: number, description: string, schema?: z.ZodType) => ({ status, description, ...(schema ? { schema } : {}) });

// The documentation routes' answers, here rather than beside them: api-docs.ts builds its document
// from this catalogue.
const rootResponse = z.strictObject({ docs: z.url(), openapi: z.url() });
// Loose on purpose: the OpenAPI document is open-ended JSON Schema; only its frame is checked here.
const documentResponse = z.looseObject({ openapi: z.literal('3.1.0'), info: z.looseObject({ title: z.string() }), paths: z.record(z.string(), z.unknown()) });

export const API_ROUTES: ApiRoute[] = [
  { method: 'get', path: '/', tag: 'Documentation', summary: 'Where the API is described', roles: 'public', response: json(200, '{docs, openapi}: the URLs of this document and its page', rootResponse) },
  { method: 'get', path: '/openapi.json', tag: 'Documentation', summary: 'This OpenAPI document', roles: 'public', response: json(200, 'OpenAPI 3.1 document', documentResponse) },

  { method: 'post', path: '/auth/login', tag: 'Sign-in', summary: 'Sign in with email and password', roles: 'public', body: auth.loginBody, response: json(200, '{status: "signed-in", me} | {status: "totp-required" | "totp-enrolment-required", csrfToken}; sets the session cookie. 401 wrong email or password (the same for an unknown address), 429 with Retry-After while throttled', auth.signInResponse) },
  { method: 'post', path: '/auth/totp', tag: 'Sign-in', summary: 'Second step: a TOTP code', roles: 'public', body: auth.totpBody, response: json(200, '{status: "signed-in", me}; a new session cookie. 401 wrong or used code, 429 throttled', auth.signInResponse) },
  { method: 'post', path: '/auth/totp/enrol', tag: 'Sign-in', summary: 'Start TOTP enrolment: a new secret and its QR code', roles: 'public', body: auth.emptyBody, response: json(200, '{secret, otpauthUri, qrCode}: qrCode is a data:image/svg+xml URL', auth.enrolResponse) },
  { method: 'post', path: '/auth/totp/enrol/confirm', tag: 'Sign-in', summary: 'Confirm enrolment with a code from the new secret', roles: 'public', body: auth.totpBody, response: json(200, '{status: "signed-in", me}; a new session cookie', auth.signInResponse) },
  { method: 'post', path: '/auth/logout', tag: 'Sign-in', summary: 'Sign out: the session ends', roles: 'public', response: json(204, 'signed out; the cookie is cleared') },
  { method: 'post', path: '/auth/password', tag: 'Sign-in', summary: 'Set a password with a one-time link token', roles: 'public', body: auth.setPasswordBody, response: json(200, '{email, status, totpRequired}; every session of the account ends. 400 weak password, 410 used or expired link', auth.setPasswordResponse) },
  { method: 'post', path: '/auth/password/change', tag: 'Sign-in', summary: 'Change one’s own password (session only)', roles: 'public', body: auth.changePasswordBody, response: json(200, '{status: "signed-in", me}; every other session of the account ends, this browser gets a new cookie. 401 wrong current password, 400 weak new password', auth.signInResponse) },
  { method: 'get', path: '/auth/me', tag: 'Sign-in', summary: 'Who is signed in', roles: 'any', response: json(200, '{email, name, role, csrfToken, totpEnabled, via: "session" | "bearer"}', auth.meResponse) },

  { method: 'get', path: '/staff', tag: 'Staff', summary: 'List staff accounts', roles: ADMIN, response: json(200, '{items: [{id, email, name, role, status, totpEnabled, failedAttempts, lastLoginAt, createdAt}]}', staff.staffListResponse) },
  { method: 'post', path: '/staff', tag: 'Staff', summary: 'Invite a staff member (mails a one-time set-password link)', roles: ADMIN, body: staff.inviteBody, response: json(201, 'the account, with linkExpiresAt and linkMailed', staff.staffWithLinkResponse) },
  { method: 'get', path: '/staff/:id', tag: 'Staff', summary: 'One staff account', roles: ADMIN, params: staff.staffIdParam, response: json(200, 'the account', staff.staffResponse) },
  { method: 'patch', path: '/staff/:id', tag: 'Staff', summary: 'Change the role (ends the member’s sessions)', roles: ADMIN, params: staff.staffIdParam, body: staff.roleBody, response: json(200, 'the account', staff.staffResponse) },
  { method: 'post', path: '/staff/:id/deactivate', tag: 'Staff', summary: 'Deactivate (ends the member’s sessions)', roles: ADMIN, params: staff.staffIdParam, response: json(200, 'the account', staff.staffResponse) },
  { method: 'post', path: '/staff/:id/totp/reset', tag: 'Staff', summary: 'Remove the second factor; the member enrols again', roles: ADMIN, params: staff.staffIdParam, response: json(200, 'the account', staff.staffResponse) },
  { method: 'post', path: '/staff/:id/password-link', tag: 'Staff', summary: 'Mail a new one-time set-password link', roles: ADMIN, params: staff.staffIdParam, response: json(200, 'the account, with linkExpiresAt and linkMailed', staff.staffWithLinkResponse) },

  { method: 'get', path: '/campaigns', tag: 'Campaigns', summary: 'List campaigns', roles: MARKETER, query: campaigns.listQuery, response: json(200, '{items: [campaign]}', campaigns.campaignListResponse) },
  { method: 'post', path: '/campaigns', tag: 'Campaigns', summary: 'Create a draft (Latvian, and optionally English as `en`)', roles: MARKETER, body: campaigns.createBody, response: json(201, '{id, status: "draft", en?, …}; 400 invalid_mjml with line numbers (each problem of the English version has lang: "en")', campaigns.campaignSummaryResponse) },
  { method: 'post', path: '/campaigns/preview', tag: 'Campaigns', summary: 'Render unsaved MJML (nothing is stored)', roles: MARKETER, body: campaigns.previewBody, response: json(200, '{subject, html, nameWithoutFallback}: the preview with sample merge values and the footer in `lang`; nameWithoutFallback says {{name}} is written without a fallback somewhere; 400 invalid_mjml with line numbers. Show the HTML only in a sandboxed iframe without scripts', campaigns.previewResponse) },
  { method: 'get', path: '/campaigns/nameless', tag: 'Campaigns', summary: 'How many active subscribers of a list have no name', roles: MARKETER, query: campaigns.namelessQuery, response: json(200, '{list, recipients, checked, nameless, complete}: of the first `checked` active subscribers (all unless complete is false), `nameless` have no name', campaigns.namelessResponse) },
  { method: 'get', path: '/campaigns/:id', tag: 'Campaigns', summary: 'One campaign with its counters', roles: MARKETER, params: campaigns.idParam, response: json(200, '{id, status, stats: {queued, sent, skipped, failed}, …}', campaigns.campaignResponse) },
  { method: 'patch', path: '/campaigns/:id', tag: 'Campaigns', summary: 'Edit a draft (`en: null` removes the English version)', roles: MARKETER, params: campaigns.idParam, body: campaigns.updateBody, response: json(200, 'the campaign', campaigns.campaignResponse) },
  { method: 'delete', path: '/campaigns/:id', tag: 'Campaigns', summary: 'Delete a draft', roles: MARKETER, params: campaigns.idParam, response: json(204, 'deleted; 409 for a campaign that is not a draft') },
  { method: 'post', path: '/campaigns/:id/duplicate', tag: 'Campaigns', summary: 'Copy a campaign into a new draft (both versions)', roles: MARKETER, params: campaigns.idParam, body: campaigns.duplicateBody, response: json(201, 'the new draft', campaigns.campaignSummaryResponse) },
  { method: 'get', path: '/campaigns/:id/preview', tag: 'Campaigns', summary: 'The rendered HTML of one version', roles: MARKETER, params: campaigns.idParam, query: campaigns.previewQuery, response: { status: 200, description: 'HTML under a CSP that runs no script; 400 for lang=en without an English version', type: 'text/html' } },
  { method: 'get', path: '/campaigns/:id/report', tag: 'Campaigns', summary: 'Progress and report: outcomes, skip reasons, rate, time left, bounces, complaints, unsubscribes from this campaign (no open or click tracking)', roles: MARKETER, params: campaigns.idParam, response: json(200, '{id, status, stats: {queued, sent, skipped, failed, ambiguous, remaining, skipReasons}, ratePerMinute, secondsLeft, feedback: {hardBounces, softBounces, complaints}, unsubscribes: {events, people, byChannel, byList, effectDelay}, tracking: {opens: false, clicks: false}}', report.reportResponse) },
  { method: 'get', path: '/campaigns/:id/audience', tag: 'Campaigns', summary: 'Who a send now would reach', roles: MARKETER, params: campaigns.idParam, response: json(200, '{list, recipients}: the list and its active subscriptions', campaigns.audienceResponse) },
  { method: 'post', path: '/campaigns/:id/test', tag: 'Campaigns', summary: 'Send a test to the given addresses: one copy per version (or the `langs` chosen)', roles: MARKETER, params: campaigns.idParam, body: campaigns.testBody, response: json(202, '{results: [{to, lang, status: "sent" | "failed", error?}]}', campaigns.testSendResponse) },
  { method: 'post', path: '/campaigns/:id/send', tag: 'Campaigns', summary: 'Send now, or schedule with `at` (Riga time unless timeZone)', roles: MARKETER, params: campaigns.idParam, body: campaigns.sendBody, response: json(202, 'the campaign, sending or scheduled', campaigns.campaignResponse) },
  ...(['pause', 'resume', 'cancel'] as const).map(
    (action): ApiRoute => ({ method: 'post', path: `/campaigns/:id/${action}`, tag: 'Campaigns', summary: `${action[0]!.toUpperCase()}${action.slice(1)} a send`, roles: MARKETER, params: campaigns.idParam, response: json(200, 'the campaign', campaigns.campaignResponse) }),
  ),

  { method: 'get', path: '/lists', tag: 'Lists', summary: 'All lists', roles: MARKETER, response: json(200, '{items: [list]}', lists.listListResponse) },
  { method: 'post', path: '/lists', tag: 'Lists', summary: 'Create a list', roles: MARKETER, body: lists.createBody, response: json(201, 'the list', lists.listResponse) },
  { method: 'get', path: '/lists/:slug', tag: 'Lists', summary: 'One list', roles: MARKETER, params: lists.slugParam, response: json(200, 'the list', lists.listResponse) },
  { method: 'patch', path: '/lists/:slug', tag: 'Lists', summary: 'Rename, describe, show or hide a list', roles: MARKETER, params: lists.slugParam, body: lists.updateBody, response: json(200, 'the list', lists.listResponse) },

  { method: 'get', path: '/dashboard/activity', tag: 'Dashboard', summary: 'Sign-ups, confirmations and unsubscribes per Riga day, last 30 or 90 days', roles: MARKETER, query: dashboard.activityQuery, response: json(200, '{days: [{day: "YYYY-MM-DD", signups, confirmations, unsubscribes}]}, oldest first', dashboard.activityResponse) },

  { method: 'get', path: '/subscribers', tag: 'People', summary: 'Find people: by the whole address (email), a part of it (address), a part of the name, a list and state; paged by `after` (audited)', roles: DPO, query: subscribers.searchQuery, response: json(200, '{items: [{id, email, name, locale, restricted, lists: {<list>: state}}], next: id | null (pass as `after`)}', subscribers.searchResponse) },
  { method: 'get', path: '/subscribers/lists', tag: 'People', summary: 'The lists to filter people by: slug and name', roles: DPO, response: json(200, '{items: [{slug, name: {lv, en}}]}', subscribers.listNamesResponse) },
  { method: 'get', path: '/subscribers/:id', tag: 'People', summary: 'A person: lists and states, restriction, suppressions with evidence, consent timeline, requests, inbound mail (audited)', roles: DPO, params: subscribers.personParam, response: json(200, '{id, email, name, locale, restricted, lists: [{list, name, status, …}], suppressions, timeline: [{type, list, channel, at, policyVersion, consentText, ip, userAgent, campaign, messageId, …}], requests, inbound: [{id, receivedAt, from, subject, kind, outcome, via}]}', subscribers.personResponse) },
  { method: 'patch', path: '/subscribers/:id', tag: 'People', summary: 'Rectify name or language (GDPR art. 16); in the ledger and audited', roles: DPO, params: subscribers.personParam, body: requests.rectifyBody, response: json(200, '{id, changed: [field]}', subscribers.rectifyResponse) },
  { method: 'post', path: '/subscribers/:id/erasure', tag: 'People', summary: 'Erase at once on a signed paper letter the DPO checked (the reason is audited); otherwise use POST /requests and the verification link', roles: DPO, params: subscribers.personParam, body: subscribers.erasureBody, response: json(201, 'the erasure request, done', requests.requestResponse) },

  { method: 'get', path: '/subscribers/:id/consent', tag: 'People', summary: 'The consent history of a subscriber (audited)', roles: DPO, params: requests.idParam, response: json(200, '{events: [{type, list, channel, at, policyVersion, …}]}', subscribers.consentHistoryResponse) },
  { method: 'get', path: '/subscribers/:id/ledger', tag: 'People', summary: 'Whether the person’s consent chain verifies, and up to which anchored day (audited)', roles: DPO, params: ledger.subscriberIdParam, response: json(200, '{verified, events, head?: {seq, hash}, broken?: {eventId, seq, reason}, verifiedUpTo?: "YYYY-MM-DD", anchor?: {date, root, seq}}; 404 unknown subscriber', ledger.ledgerStatusResponse) },
  { method: 'post', path: '/subscribers/:id/restriction', tag: 'People', summary: 'Restrict processing (GDPR art. 18)', roles: DPO, params: requests.idParam, body: requests.restrictionBody, response: json(200, '{id, restricted: true, changed}', requests.restrictionResponse) },
  { method: 'delete', path: '/subscribers/:id/restriction', tag: 'People', summary: 'Lift a restriction', roles: DPO, params: requests.idParam, response: json(200, '{id, restricted: false, changed}', requests.restrictionResponse) },
  { method: 'post', path: '/import', tag: 'People', summary: 'Import subscribers from CSV (text/csv body)', roles: DPO, query: subscribers.importQuery, bodyType: 'text/csv', response: json(200, '{added, skipped, …}: the import report', imports.importRunResponse) },
  { method: 'get', path: '/suppressions', tag: 'People', summary: 'Suppressions of an address', roles: DPO, query: suppressions.searchQuery, response: json(200, '{items: [suppression]}', suppressions.suppressionListResponse) },
  { method: 'delete', path: '/suppressions/:id', tag: 'People', summary: 'Lift a suppression, with a reason', roles: DPO, params: suppressions.idParam, body: suppressions.liftBody, response: json(200, '{id, lifted: true, reason}', suppressions.liftResponse) },

  { method: 'post', path: '/requests', tag: 'Requests', summary: 'Record a data-subject request', roles: DPO, body: requests.newRequest, response: json(201, '{id, status, dueAt, …}', requests.requestResponse) },
  { method: 'get', path: '/requests', tag: 'Requests', summary: 'Requests by status', roles: DPO, query: requests.listQuery, response: json(200, '{items: [request]}', requests.requestListResponse) },
  { method: 'get', path: '/requests/:id', tag: 'Requests', summary: 'One request', roles: DPO, params: requests.idParam, response: json(200, 'the request', requests.requestResponse) },
  { method: 'post', path: '/requests/:id/extend', tag: 'Requests', summary: 'Extend the deadline (art. 12(3)), with a reason', roles: DPO, params: requests.idParam, body: requests.extendBody, response: json(200, 'the request', requests.requestResponse) },
  { method: 'post', path: '/requests/:id/reject', tag: 'Requests', summary: 'Reject, with a reason', roles: DPO, params: requests.idParam, body: requests.rejectBody, response: json(200, 'the request', requests.requestResponse) },
  { method: 'post', path: '/requests/:id/complete', tag: 'Requests', summary: 'Mark done', roles: DPO, params: requests.idParam, body: requests.completeBody, response: json(200, 'the request', requests.requestResponse) },
  { method: 'post', path: '/requests/:id/rectify', tag: 'Requests', summary: 'Rectify name or locale', roles: DPO, params: requests.idParam, body: requests.rectifyBody, response: json(200, 'the request', requests.requestResponse) },
  { method: 'post', path: '/requests/:id/confirm-erasure', tag: 'Requests', summary: 'Confirm a paper letter’s erasure request in place of the verification link (the reason is audited)', roles: DPO, params: requests.idParam, body: requests.confirmErasureBody, response: json(200, 'the request, erased and done; 409 for any other type or channel', requests.requestResponse) },
  { method: 'post', path: '/requests/:id/resend-verification', tag: 'Requests', summary: 'Mail the verification link again', roles: DPO, params: requests.idParam, response: json(200, 'the request', requests.requestResponse) },
  { method: 'post', path: '/requests/:id/retry', tag: 'Requests', summary: 'Retry a failed fulfilment', roles: DPO, params: requests.idParam, response: json(200, 'the request', requests.requestResponse) },

  { method: 'get', path: '/audit', tag: 'Audit', summary: 'The audit trail, newest first, filtered by actor, action, target and time (at most 366 days); reading it is audited', roles: DPO, query: audit.query, response: json(200, '{items: [{id, actor, role, action, target, ip, at, details}], next: {before, beforeId} | null}: pass next as the query for the following page', audit.auditPageResponse) },
  { method: 'get', path: '/audit.csv', tag: 'Audit', summary: 'The filtered audit trail as CSV (at most 10,000 entries; audited)', roles: DPO, query: audit.filterQuery, response: { status: 200, description: 'CSV with a header line; cells a spreadsheet would run as a formula start with an apostrophe. X-Export-Truncated: true when the cap was reached', type: 'text/csv' } },
  { method: 'get', path: '/retention/runs', tag: 'Audit', summary: 'The last retention sweep runs', roles: DPO, query: retention.runsQuery, response: json(200, '{items: [{id, sweep, periodDays, startedAt, finishedAt, status, counts, error}]}', retention.runsResponse) },

  { method: 'post', path: '/imports/preview', tag: 'Import', summary: 'The header and first rows of a CSV, with the mapping its headers suggest (audited; nothing kept)', roles: DPO, bodyType: 'text/csv', response: json(200, '{columns, rows, mapping: {email?, name?, locale?, consent_date?, source?}}', imports.previewResponse) },
  { method: 'post', path: '/imports/dry-run', tag: 'Import', summary: 'What an import would add and skip, with reasons; writes nothing (audited)', roles: DPO, query: imports.runQuery, bodyType: 'text/csv', response: json(200, '{rows, added, skipped, reasons, skippedRows: [{line, reason, email}], dryRun: true}', imports.importReportResponse) },
  { method: 'post', path: '/imports', tag: 'Import', summary: 'Queue an import; col_<field>=<header> maps the columns', roles: DPO, query: imports.runQuery, bodyType: 'text/csv', response: json(202, 'the import record, status queued; poll GET /imports/:id', imports.importRecordResponse) },
  { method: 'get', path: '/imports', tag: 'Import', summary: 'The kept import reports, newest first', roles: DPO, query: imports.listQuery, response: json(200, '{items: [{id, actor, fileName, list, source, status, expectedRows, rows, added, skipped, reasons, createdAt, finishedAt, …}]}', imports.importListResponse) },
  { method: 'get', path: '/imports/:id', tag: 'Import', summary: 'One import: progress, and when done its report with the skipped rows (audited when they name addresses)', roles: DPO, params: imports.idParam, response: json(200, 'the import record with skippedRows: [{line, reason, email}]', imports.importWithRowsResponse) },
  { method: 'get', path: '/mailbox/review', tag: 'Mailbox', summary: 'Messages the poller did not act on: to decide (review, failed) or left in the inbox for a person (kept)', roles: DPO, query: mailbox.reviewQuery, response: json(200, '{items: [message]}', mailbox.reviewQueueResponse) },
  { method: 'get', path: '/mailbox/messages/:id', tag: 'Mailbox', summary: 'One inbound message as plain text (HTML turned into text on the server; audited)', roles: DPO, params: mailbox.messageIdParam, response: json(200, '{id, receivedAt, from, to, date, subject, text, rawKept, outcome, note, error, guess: {kind, confidence, evidence, …}, decision}', mailbox.messageResponse) },
  { method: 'post', path: '/mailbox/messages/:id/decision', tag: 'Mailbox', summary: 'Apply a kind to a message in the review queue: the poller’s own effects, once, in the DPO’s name', roles: DPO, params: mailbox.messageIdParam, body: mailbox.decisionBody, response: json(200, '{id, kind, outcome: "applied" | "ignored" | "review", note, decidedBy, decidedAt, repeated}: "review" when the effects refused (an unproven bounce or complaint, an address not subscribed), with why; 409 when the poller acted on it or another decision is running', mailbox.decisionResponse) },
  { method: 'get', path: '/policy-versions', tag: 'Policy', summary: 'Privacy-policy versions', roles: DPO, response: json(200, '{items: [version]}', policies.policyVersionListResponse) },
  { method: 'post', path: '/policy-versions', tag: 'Policy', summary: 'Register a new version', roles: DPO, body: policies.newVersion, response: json(201, 'the version', policies.policyVersionResponse) },
  { method: 'patch', path: '/policy-versions/:version', tag: 'Policy', summary: 'Mark a version material (or not), with what changed (audited)', roles: DPO, params: policies.versionParam, body: policies.materialBody, response: json(200, 'the version', policies.policyVersionResponse) },
  { method: 'get', path: '/consent-coverage', tag: 'Policy', summary: 'Active consents per policy version', roles: DPO, response: json(200, 'coverage per version', policies.coverageResponse) },
  { method: 'get', path: '/consent-coverage/history', tag: 'Policy', summary: 'Active consents per policy version, day by day (from the ledger)', roles: DPO, query: policies.historyQuery, response: json(200, '{points: [{day, byVersion: {<version>: n}}]}', policies.coverageHistoryResponse) },
  { method: 'get', path: '/re-consent', tag: 'Policy', summary: 'Re-consent campaigns with their progress', roles: DPO, response: json(200, '{items: [{id, policyVersion, status, deadline, progress: {asked, confirmed, waiting, lapsed, reminded}}]}', reConsent.reConsentListResponse) },
  { method: 'get', path: '/re-consent/:id', tag: 'Policy', summary: 'One re-consent campaign', roles: DPO, params: reConsent.campaignParam, response: json(200, 'the campaign with its progress', reConsent.reConsentResponse) },
  { method: 'post', path: '/re-consent', tag: 'Policy', summary: 'Ask everyone whose consent names an older version to consent under this material one (audited)', roles: DPO, body: reConsent.startBody, response: json(201, 'the campaign', reConsent.reConsentResponse) },
  { method: 'post', path: '/re-consent/:id/remind', tag: 'Policy', summary: 'The one reminder to those who have not answered (audited)', roles: DPO, params: reConsent.campaignParam, response: json(202, 'the campaign', reConsent.reConsentResponse) },
  { method: 'get', path: '/metrics/requests', tag: 'Metrics', summary: 'Data-subject request counts and deadlines', roles: DPO, response: json(200, '{awaitingVerification, open, dueWithin7Days, overdue, done, rejected, nearestDue: {id, number, dueAt} | null}', requests.requestMetricsResponse) },
  { method: 'get', path: '/metrics/mailbox', tag: 'Metrics', summary: 'Mailbox poller counts', roles: DPO, response: json(200, 'mailbox metrics', mailbox.mailboxMetricsResponse) },
  { method: 'get', path: '/metrics/unsubscribe', tag: 'Metrics', summary: 'Unsubscribe-to-suppression delays', roles: DPO, response: json(200, 'unsubscribe metrics', unsubscribeMetrics.unsubscribeMetricsResponse) },
];
