// Every admin route, declared once for the OpenAPI document: method, path, who may call it, and the
// very zod schemas the route validates with (imported from the route files). A test compares this
// list with the router, so a route cannot exist undocumented.
import { z } from 'zod';
import type { AdminRole } from '../../domain/staff/admin-token';
import * as audit from './audit-routes';
import * as campaigns from './campaign-routes';
import * as ledger from './ledger-routes';
import * as lists from './list-routes';
import * as mailbox from './mailbox-routes';
import * as policies from './policy-routes';
import * as requests from './request-routes';
import * as auth from './staff-auth-routes';
import * as staff from './staff-routes';
import * as subscribers from './subscriber-routes';
import * as suppressions from './suppression-routes';

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
  response: { status: number; description: string; type?: string };
}

const MARKETER: AdminRole[] = ['marketer'];
const DPO: AdminRole[] = ['dpo'];
const ADMIN: AdminRole[] = ['admin'];
const json = (status: number, description: string) => ({ status, description });

export const API_ROUTES: ApiRoute[] = [
  { method: 'get', path: '/', tag: 'Documentation', summary: 'Where the API is described', roles: 'public', response: json(200, '{docs, openapi}: the URLs of this document and its page') },
  { method: 'get', path: '/openapi.json', tag: 'Documentation', summary: 'This OpenAPI document', roles: 'public', response: json(200, 'OpenAPI 3.1 document') },

  { method: 'post', path: '/auth/login', tag: 'Sign-in', summary: 'Sign in with email and password', roles: 'public', body: auth.loginBody, response: json(200, '{status: "signed-in", me} | {status: "totp-required" | "totp-enrolment-required", csrfToken}; sets the session cookie. 401 wrong email or password (the same for an unknown address), 429 with Retry-After while throttled') },
  { method: 'post', path: '/auth/totp', tag: 'Sign-in', summary: 'Second step: a TOTP code', roles: 'public', body: auth.totpBody, response: json(200, '{status: "signed-in", me}; a new session cookie. 401 wrong or used code, 429 throttled') },
  { method: 'post', path: '/auth/totp/enrol', tag: 'Sign-in', summary: 'Start TOTP enrolment: a new secret and its QR code', roles: 'public', body: auth.emptyBody, response: json(200, '{secret, otpauthUri, qrCode}: qrCode is a data:image/svg+xml URL') },
  { method: 'post', path: '/auth/totp/enrol/confirm', tag: 'Sign-in', summary: 'Confirm enrolment with a code from the new secret', roles: 'public', body: auth.totpBody, response: json(200, '{status: "signed-in", me}; a new session cookie') },
  { method: 'post', path: '/auth/logout', tag: 'Sign-in', summary: 'Sign out: the session ends', roles: 'public', response: json(204, 'signed out; the cookie is cleared') },
  { method: 'post', path: '/auth/password', tag: 'Sign-in', summary: 'Set a password with a one-time link token', roles: 'public', body: auth.setPasswordBody, response: json(200, '{email, status, totpRequired}; every session of the account ends. 400 weak password, 410 used or expired link') },
  { method: 'post', path: '/auth/password/change', tag: 'Sign-in', summary: 'Change one’s own password (session only)', roles: 'public', body: auth.changePasswordBody, response: json(200, '{status: "signed-in", me}; every other session of the account ends, this browser gets a new cookie. 401 wrong current password, 400 weak new password') },
  { method: 'get', path: '/auth/me', tag: 'Sign-in', summary: 'Who is signed in', roles: 'any', response: json(200, '{email, name, role, csrfToken, totpEnabled, via: "session" | "bearer"}') },

  { method: 'get', path: '/staff', tag: 'Staff', summary: 'List staff accounts', roles: ADMIN, response: json(200, '{items: [{id, email, name, role, status, totpEnabled, failedAttempts, lastLoginAt, createdAt}]}') },
  { method: 'post', path: '/staff', tag: 'Staff', summary: 'Invite a staff member (mails a one-time set-password link)', roles: ADMIN, body: staff.inviteBody, response: json(201, 'the account, with linkExpiresAt and linkMailed') },
  { method: 'get', path: '/staff/:id', tag: 'Staff', summary: 'One staff account', roles: ADMIN, params: staff.staffIdParam, response: json(200, 'the account') },
  { method: 'patch', path: '/staff/:id', tag: 'Staff', summary: 'Change the role (ends the member’s sessions)', roles: ADMIN, params: staff.staffIdParam, body: staff.roleBody, response: json(200, 'the account') },
  { method: 'post', path: '/staff/:id/deactivate', tag: 'Staff', summary: 'Deactivate (ends the member’s sessions)', roles: ADMIN, params: staff.staffIdParam, response: json(200, 'the account') },
  { method: 'post', path: '/staff/:id/totp/reset', tag: 'Staff', summary: 'Remove the second factor; the member enrols again', roles: ADMIN, params: staff.staffIdParam, response: json(200, 'the account') },
  { method: 'post', path: '/staff/:id/password-link', tag: 'Staff', summary: 'Mail a new one-time set-password link', roles: ADMIN, params: staff.staffIdParam, response: json(200, 'the account, with linkExpiresAt and linkMailed') },

  { method: 'get', path: '/campaigns', tag: 'Campaigns', summary: 'List campaigns', roles: MARKETER, query: campaigns.listQuery, response: json(200, '{items: [campaign]}') },
  { method: 'post', path: '/campaigns', tag: 'Campaigns', summary: 'Create a draft', roles: MARKETER, body: campaigns.createBody, response: json(201, '{id, status: "draft", …}; 400 invalid_mjml with line numbers') },
  { method: 'post', path: '/campaigns/preview', tag: 'Campaigns', summary: 'Render unsaved MJML (nothing is stored)', roles: MARKETER, body: campaigns.previewBody, response: json(200, '{subject, html}: the preview with sample merge values; 400 invalid_mjml with line numbers. Show the HTML only in a sandboxed iframe without scripts') },
  { method: 'get', path: '/campaigns/:id', tag: 'Campaigns', summary: 'One campaign with its counters', roles: MARKETER, params: campaigns.idParam, response: json(200, '{id, status, stats: {queued, sent, skipped, failed}, …}') },
  { method: 'patch', path: '/campaigns/:id', tag: 'Campaigns', summary: 'Edit a draft', roles: MARKETER, params: campaigns.idParam, body: campaigns.updateBody, response: json(200, 'the campaign') },
  { method: 'get', path: '/campaigns/:id/preview', tag: 'Campaigns', summary: 'The rendered HTML', roles: MARKETER, params: campaigns.idParam, response: { status: 200, description: 'HTML under a CSP that runs no script', type: 'text/html' } },
  { method: 'get', path: '/campaigns/:id/audience', tag: 'Campaigns', summary: 'Who a send now would reach', roles: MARKETER, params: campaigns.idParam, response: json(200, '{list, recipients}: the list and its active subscriptions') },
  { method: 'post', path: '/campaigns/:id/test', tag: 'Campaigns', summary: 'Send a test to the given addresses', roles: MARKETER, params: campaigns.idParam, body: campaigns.testBody, response: json(202, '{results: [{to, ok, error?}]}') },
  { method: 'post', path: '/campaigns/:id/send', tag: 'Campaigns', summary: 'Send now, or schedule with `at` (Riga time unless timeZone)', roles: MARKETER, params: campaigns.idParam, body: campaigns.sendBody, response: json(202, 'the campaign, sending or scheduled') },
  ...(['pause', 'resume', 'cancel'] as const).map(
    (action): ApiRoute => ({ method: 'post', path: `/campaigns/:id/${action}`, tag: 'Campaigns', summary: `${action[0]!.toUpperCase()}${action.slice(1)} a send`, roles: MARKETER, params: campaigns.idParam, response: json(200, 'the campaign') }),
  ),

  { method: 'get', path: '/lists', tag: 'Lists', summary: 'All lists', roles: MARKETER, response: json(200, '{items: [list]}') },
  { method: 'post', path: '/lists', tag: 'Lists', summary: 'Create a list', roles: MARKETER, body: lists.createBody, response: json(201, 'the list') },
  { method: 'get', path: '/lists/:slug', tag: 'Lists', summary: 'One list', roles: MARKETER, params: lists.slugParam, response: json(200, 'the list') },
  { method: 'patch', path: '/lists/:slug', tag: 'Lists', summary: 'Rename, describe, show or hide a list', roles: MARKETER, params: lists.slugParam, body: lists.updateBody, response: json(200, 'the list') },

  { method: 'get', path: '/subscribers', tag: 'People', summary: 'Find a subscriber by address (audited)', roles: DPO, query: subscribers.searchQuery, response: json(200, '{items: [{id, email, name, locale, restricted, lists: {<list>: state}}]}') },
  { method: 'get', path: '/subscribers/:id/consent', tag: 'People', summary: 'The consent history of a subscriber (audited)', roles: DPO, params: requests.idParam, response: json(200, '{events: [{type, list, channel, at, policyVersion, …}]}') },
  { method: 'get', path: '/subscribers/:id/ledger', tag: 'People', summary: 'Whether the person’s consent chain verifies, and up to which anchored day (audited)', roles: DPO, params: ledger.subscriberIdParam, response: json(200, '{verified, events, head?: {seq, hash}, broken?: {eventId, seq, reason}, verifiedUpTo?: "YYYY-MM-DD", anchor?: {date, root, seq}}; 404 unknown subscriber') },
  { method: 'post', path: '/subscribers/:id/restriction', tag: 'People', summary: 'Restrict processing (GDPR art. 18)', roles: DPO, params: requests.idParam, body: requests.restrictionBody, response: json(200, '{id, restricted: true, changed}') },
  { method: 'delete', path: '/subscribers/:id/restriction', tag: 'People', summary: 'Lift a restriction', roles: DPO, params: requests.idParam, response: json(200, '{id, restricted: false, changed}') },
  { method: 'post', path: '/import', tag: 'People', summary: 'Import subscribers from CSV (text/csv body)', roles: DPO, query: subscribers.importQuery, bodyType: 'text/csv', response: json(200, '{added, skipped, …}: the import report') },
  { method: 'get', path: '/suppressions', tag: 'People', summary: 'Suppressions of an address', roles: DPO, query: suppressions.searchQuery, response: json(200, '{items: [suppression]}') },
  { method: 'delete', path: '/suppressions/:id', tag: 'People', summary: 'Lift a suppression, with a reason', roles: DPO, params: suppressions.idParam, body: suppressions.liftBody, response: json(200, '{id, lifted: true, reason}') },

  { method: 'post', path: '/requests', tag: 'Requests', summary: 'Record a data-subject request', roles: DPO, body: requests.newRequest, response: json(201, '{id, status, dueAt, …}') },
  { method: 'get', path: '/requests', tag: 'Requests', summary: 'Requests by status', roles: DPO, query: requests.listQuery, response: json(200, '{items: [request]}') },
  { method: 'get', path: '/requests/:id', tag: 'Requests', summary: 'One request', roles: DPO, params: requests.idParam, response: json(200, 'the request') },
  { method: 'post', path: '/requests/:id/extend', tag: 'Requests', summary: 'Extend the deadline (art. 12(3)), with a reason', roles: DPO, params: requests.idParam, body: requests.extendBody, response: json(200, 'the request') },
  { method: 'post', path: '/requests/:id/reject', tag: 'Requests', summary: 'Reject, with a reason', roles: DPO, params: requests.idParam, body: requests.rejectBody, response: json(200, 'the request') },
  { method: 'post', path: '/requests/:id/complete', tag: 'Requests', summary: 'Mark done', roles: DPO, params: requests.idParam, body: requests.completeBody, response: json(200, 'the request') },
  { method: 'post', path: '/requests/:id/rectify', tag: 'Requests', summary: 'Rectify name or locale', roles: DPO, params: requests.idParam, body: requests.rectifyBody, response: json(200, 'the request') },
  { method: 'post', path: '/requests/:id/resend-verification', tag: 'Requests', summary: 'Mail the verification link again', roles: DPO, params: requests.idParam, response: json(200, 'the request') },
  { method: 'post', path: '/requests/:id/retry', tag: 'Requests', summary: 'Retry a failed fulfilment', roles: DPO, params: requests.idParam, response: json(200, 'the request') },

  { method: 'get', path: '/audit', tag: 'Audit', summary: 'The audit trail, newest first (reading it is audited)', roles: DPO, query: audit.query, response: json(200, '{items: [{id, actor, role, action, target, ip, at, details}]}') },
  { method: 'get', path: '/mailbox/review', tag: 'Mailbox', summary: 'Messages the poller did not act on: to decide (review, failed) or left in the inbox for a person (kept)', roles: DPO, query: mailbox.reviewQuery, response: json(200, '{items: [message]}') },
  { method: 'get', path: '/policy-versions', tag: 'Policy', summary: 'Privacy-policy versions', roles: DPO, response: json(200, '{items: [version]}') },
  { method: 'post', path: '/policy-versions', tag: 'Policy', summary: 'Register a new version', roles: DPO, body: policies.newVersion, response: json(201, 'the version') },
  { method: 'get', path: '/consent-coverage', tag: 'Policy', summary: 'Active consents per policy version', roles: DPO, response: json(200, 'coverage per version') },
  { method: 'get', path: '/metrics/requests', tag: 'Metrics', summary: 'Data-subject request counts and deadlines', roles: DPO, response: json(200, 'request metrics') },
  { method: 'get', path: '/metrics/mailbox', tag: 'Metrics', summary: 'Mailbox poller counts', roles: DPO, response: json(200, 'mailbox metrics') },
  { method: 'get', path: '/metrics/unsubscribe', tag: 'Metrics', summary: 'Unsubscribe-to-suppression delays', roles: DPO, response: json(200, 'unsubscribe metrics') },
];
