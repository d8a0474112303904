// The console's only door to the server: every call goes through `api`, which sends the session
// cookie, the CSRF token on state-changing requests, and turns the server's error codes into one
// sentence in the console's language (ApiError.message). Types mirror /api/v1/admin/openapi.json.
import { translate, type MessageKey } from './i18n';

const BASE = '/api/v1/admin';

export type Role = 'marketer' | 'dpo' | 'admin';
export interface Me {
  email: string;
  name: string;
  role: Role;
  csrfToken: string;
  totpEnabled: boolean;
  via: 'session' | 'bearer';
}
export type LoginResult = { status: 'signed-in'; me: Me } | { status: 'totp-required' | 'totp-enrolment-required'; csrfToken: string };
export interface Enrolment {
  secret: string;
  otpauthUri: string;
  qrCode: string;
}
export type CampaignStatus = 'draft' | 'scheduled' | 'sending' | 'paused' | 'sent' | 'cancelled' | 'failed';
export interface CampaignStats {
  queued: number;
  sent: number;
  skipped: number;
  failed: number;
  [more: string]: unknown;
}
export interface Campaign {
  id: string;
  name: string;
  list: string;
  subject: string;
  preheader: string;
  status: CampaignStatus;
  mjml?: string;
  en?: { subject: string; preheader: string; mjml?: string };
  stats?: CampaignStats;
  scheduledAt?: string;
  startedAt?: string;
  finishedAt?: string;
  createdAt?: string;
}
/** The languages a campaign can be written in: Latvian always, English optionally. */
export type CampaignLang = 'lv' | 'en';
export interface CampaignVersion {
  subject: string;
  preheader: string;
  mjml: string;
}
export interface CampaignDraft extends CampaignVersion {
  name: string;
  list: string;
  /** null: no English version (an update removes it). */
  en: CampaignVersion | null;
}
export interface NamelessCount {
  list: string;
  recipients: number;
  checked: number;
  nameless: number;
  complete: boolean;
}
export interface List {
  slug: string;
  name: { lv: string; en: string };
  description: { lv: string; en: string };
  public: boolean;
  subscriptions: { pending: number; active: number; unsubscribed: number };
}
export interface CampaignReport {
  id: string;
  status: CampaignStatus;
  startedAt: string | null;
  finishedAt: string | null;
  stats: CampaignStats & { ambiguous: number; remaining: number; skipReasons: Record<string, number> };
  ratePerMinute: number | null;
  secondsLeft: number | null;
  feedback: { hardBounces: number; softBounces: number; complaints: number };
  unsubscribes: {
    events: number;
    people: number;
    byChannel: Record<string, number>;
    byList: Record<string, number>;
    effectDelay: { count: number; medianMs: number; maxMs: number } | null;
  };
  tracking: { opens: false; clicks: false };
}
export interface DayActivity {
  day: string;
  signups: number;
  confirmations: number;
  unsubscribes: number;
}
export interface RequestMetrics {
  awaitingVerification: number;
  open: number;
  dueWithin7Days: number;
  overdue: number;
  /** The open request whose deadline comes first. */
  nearestDue: { id: string; number: string; dueAt: string } | null;
}
export type ListInput = Pick<List, 'slug' | 'name' | 'description' | 'public'>;
export interface StaffMember {
  id: string;
  email: string;
  name: string;
  role: Role;
  status: 'invited' | 'active' | 'deactivated';
  totpEnabled: boolean;
  failedAttempts: number;
  lastLoginAt: string | null;
  createdAt: string | null;
}
export type StaffWithLink = StaffMember & { linkExpiresAt: string; linkMailed: boolean };
export interface MjmlProblem {
  line: number;
  message: string;
  /** Set for a problem of the English version. */
  lang?: CampaignLang;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
  }
  /** MJML problems with the marketer's line numbers, when the server found some. */
  get mjmlProblems(): MjmlProblem[] {
    const errors = this.details.errors;
    return this.code === 'invalid_mjml' && Array.isArray(errors) ? (errors as MjmlProblem[]) : [];
  }
}

let csrfToken: string | undefined;
/** Called whenever a sign-in step or /auth/me hands us the session's token. */
export function rememberCsrf(token: string | undefined): void {
  csrfToken = token;
}

/** Whoever wants to hear that the session is gone (the shell sends the user to sign-in). */
let onSessionEnded: (() => void) | undefined;
export function whenSessionEnds(handler: () => void): void {
  onSessionEnded = handler;
}

/** One call to the admin API (feature folders build theirs on it); a `csv` body goes as text/csv, any other as JSON. */
export async function request<T>(method: string, path: string, body?: unknown, opts: { quietAuth?: boolean; csv?: boolean } = {}): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = opts.csv ? 'text/csv' : 'application/json';
  if (method !== 'GET' && csrfToken) headers['X-CSRF-Token'] = csrfToken;
  let res: Response;
  try {
    res = await fetch(`${BASE}${path}`, { method, headers, credentials: 'same-origin', body: body === undefined ? undefined : opts.csv ? String(body) : JSON.stringify(body) });
  } catch {
    throw new ApiError(0, 'network', translate('error.network'));
  }
  const text = await res.text();
  const data = text && (res.headers.get('content-type') ?? '').includes('json') ? JSON.parse(text) : undefined;
  if (!res.ok) {
    const error = (data?.error ?? {}) as { code?: string; message?: string; details?: Record<string, unknown> };
    const apiError = new ApiError(res.status, error.code ?? 'http_' + res.status, messageFor(res.status, path, error), error.details ?? {});
    if (res.status === 401 && !opts.quietAuth && !path.startsWith('/auth/')) onSessionEnded?.();
    throw apiError;
  }
  const token = (data as { csrfToken?: string; me?: { csrfToken?: string } } | undefined)?.me?.csrfToken ?? (data as { csrfToken?: string } | undefined)?.csrfToken;
  if (token) rememberCsrf(token);
  return data as T;
}

/** One sentence in the console's language; the server's own message only where it says something specific. */
function messageFor(status: number, path: string, error: { code?: string; message?: string; details?: Record<string, unknown> }): string {
  const details = error.details ?? {};
  const key = ((): MessageKey | undefined => {
    switch (error.code) {
      case 'unauthenticated':
        if (path === '/auth/totp' || path === '/auth/totp/enrol/confirm') return 'error.totp';
        return path === '/auth/login' ? 'error.unauthenticated' : 'error.sessionEnded';
      case 'forbidden':
        return details.reason === 'origin' || details.reason === 'csrf' ? 'error.crossSite' : 'error.forbidden';
      case 'rate_limited':
        return 'error.rateLimited';
      case 'validation_failed':
        if (details.reason === 'too_short') return 'error.tooShort';
        if (details.reason === 'too_long') return 'error.tooLong';
        if (details.reason === 'common') return 'error.common';
        return 'error.validation';
      case 'invalid_token':
      case 'expired_token':
      case 'used_token':
        return 'error.linkGone';
      case 'invalid_mjml':
        return 'error.invalidMjml';
      case 'not_found':
        return 'error.notFound';
      case 'conflict':
        if (details.reason === 'last_admin') return 'staff.error.lastAdmin';
        if (details.reason === 'self') return 'staff.error.self';
        if (details.reason === 'busy') return 'staff.error.busy';
        return 'error.conflict';
      case 'duplicate':
        if (path === '/staff') return 'staff.error.duplicate';
        if (path === '/lists') return 'lists.duplicate';
        return 'error.conflict';
      case 'invalid_state':
        return 'error.conflict';
    }
    if (status === 403) return 'error.forbidden';
    if (status === 410) return 'error.linkGone';
    return undefined;
  })();
  if (key) return translate(key, { seconds: Number(details.retryAfterSeconds ?? 60), message: error.message ?? '' });
  return translate('error.server');
}

export const api = {
  login: (email: string, password: string) => request<LoginResult>('POST', '/auth/login', { email, password }),
  totp: (code: string) => request<{ status: 'signed-in'; me: Me }>('POST', '/auth/totp', { code }),
  enrol: () => request<Enrolment>('POST', '/auth/totp/enrol', {}),
  confirmEnrolment: (code: string) => request<{ status: 'signed-in'; me: Me }>('POST', '/auth/totp/enrol/confirm', { code }),
  logout: () => request<void>('POST', '/auth/logout'),
  setPassword: (token: string, password: string) => request<{ email: string }>('POST', '/auth/password', { token, password }),
  me: () => request<Me>('GET', '/auth/me', undefined, { quietAuth: true }),

  campaigns: () => request<{ items: Campaign[] }>('GET', '/campaigns?limit=100').then((r) => r.items),
  campaign: (id: string) => request<Campaign>('GET', `/campaigns/${encodeURIComponent(id)}`),
  createCampaign: ({ en, ...draft }: CampaignDraft) => request<Campaign>('POST', '/campaigns', en ? { ...draft, en } : draft),
  updateCampaign: (id: string, draft: Partial<CampaignDraft>) => request<Campaign>('PATCH', `/campaigns/${encodeURIComponent(id)}`, draft),
  duplicateCampaign: (id: string, name: string) => request<Campaign>('POST', `/campaigns/${encodeURIComponent(id)}/duplicate`, { name }),
  deleteCampaign: (id: string) => request<void>('DELETE', `/campaigns/${encodeURIComponent(id)}`),
  previewSource: (source: CampaignVersion, lang: CampaignLang) =>
    request<{ subject: string; html: string; nameWithoutFallback: boolean }>('POST', '/campaigns/preview', { ...source, lang }),
  nameless: (list: string) => request<NamelessCount>('GET', `/campaigns/nameless?list=${encodeURIComponent(list)}`),
  audience: (id: string) => request<{ list: string; recipients: number }>('GET', `/campaigns/${encodeURIComponent(id)}/audience`),
  sendTest: (id: string, to: string[], langs?: CampaignLang[]) =>
    request<{ results: Array<{ to: string; lang: CampaignLang; status: 'sent' | 'failed'; error?: string }> }>('POST', `/campaigns/${encodeURIComponent(id)}/test`, langs ? { to, langs } : { to }),
  /** Now, or at a Riga wall-clock time (`2026-03-10T10:00`): the server settles summer time. */
  send: (id: string, at?: string) => request<Campaign>('POST', `/campaigns/${encodeURIComponent(id)}/send`, at ? { at, timeZone: 'Europe/Riga' } : {}),
  report: (id: string) => request<CampaignReport>('GET', `/campaigns/${encodeURIComponent(id)}/report`),
  control: (id: string, action: 'pause' | 'resume' | 'cancel') => request<Campaign>('POST', `/campaigns/${encodeURIComponent(id)}/${action}`, {}),

  lists: () => request<{ items: List[] }>('GET', '/lists').then((r) => r.items),
  createList: (list: ListInput) => request<List>('POST', '/lists', list),
  updateList: (slug: string, patch: Omit<ListInput, 'slug'>) => request<List>('PATCH', `/lists/${encodeURIComponent(slug)}`, patch),

  activity: (days: 30 | 90) => request<{ days: DayActivity[] }>('GET', `/dashboard/activity?days=${days}`).then((r) => r.days),
  requestMetrics: () => request<RequestMetrics>('GET', '/metrics/requests'),
  mailboxMetrics: () => request<{ reviewSize: number }>('GET', '/metrics/mailbox'),

  staff: () => request<{ items: StaffMember[] }>('GET', '/staff').then((r) => r.items),
  inviteStaff: (invite: { email: string; role: Role; name?: string }) => request<StaffWithLink>('POST', '/staff', invite),
  changeStaffRole: (id: string, role: Role) => request<StaffMember>('PATCH', `/staff/${encodeURIComponent(id)}`, { role }),
  deactivateStaff: (id: string) => request<StaffMember>('POST', `/staff/${encodeURIComponent(id)}/deactivate`, {}),
  resetStaffTotp: (id: string) => request<StaffMember>('POST', `/staff/${encodeURIComponent(id)}/totp/reset`, {}),
  resendStaffLink: (id: string) => request<StaffWithLink>('POST', `/staff/${encodeURIComponent(id)}/password-link`, {}),
};
