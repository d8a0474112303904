// The people pages' calls to the admin API (GET/PATCH /subscribers…, restriction, suppressions,
// requests). Types mirror /api/v1/admin/openapi.json.
import { request } from '../../api';

export type SubscriptionState = 'pending' | 'active' | 'unsubscribed' | 'lapsed';
export type RequestType = 'access' | 'rectification' | 'erasure' | 'restriction' | 'withdrawal';
export type RequestChannel = 'admin' | 'letter' | 'mailbox' | 'web';
export interface Localized {
  lv: string;
  en: string;
}

export interface PersonRow {
  id: string;
  email: string;
  name: string;
  locale: 'lv' | 'en';
  restricted: boolean;
  lists: Record<string, SubscriptionState>;
}
export interface SearchResult {
  items: PersonRow[];
  next: string | null;
}
export interface ListName {
  slug: string;
  name: Localized;
}
export interface PersonQuery {
  email?: string;
  address?: string;
  name?: string;
  list?: string;
  state?: string;
  after?: string;
}

export interface Suppression {
  id: string;
  reason: string;
  detail: string | null;
  evidence: { inboundMessageId?: string; status?: string; diagnostic?: string; matchedBy?: string } | null;
  since: string;
  expiresAt: string | null;
  active: boolean;
}
export interface ConsentEvent {
  id: string;
  type: string;
  list?: string;
  channel: string;
  at: string;
  policyVersion?: number;
  consentText?: string;
  ip?: string;
  userAgent?: string;
  requestRef?: string;
  messageId?: string;
  consentedAt?: string;
  source?: string;
  actor?: string;
  note?: string;
  campaign: { id: string; name: string; subject: string } | null;
}
export interface DataSubjectRequest {
  id: string;
  number: string;
  type: RequestType;
  channel: RequestChannel;
  status: 'awaiting-verification' | 'open' | 'done' | 'rejected';
  receivedAt: string;
  dueAt: string;
  overdue: boolean;
  urgent: boolean;
}
export interface InboundMessage {
  id: string;
  receivedAt: string;
  from: string | null;
  subject: string | null;
  kind: string | null;
  outcome: string;
  via: Array<'sender' | 'request' | 'suppression' | 'consent'>;
}
export interface Person {
  id: string;
  email: string;
  name: string;
  locale: 'lv' | 'en';
  restricted: boolean;
  createdAt: string;
  lists: Array<{ list: string; name: Localized | null; status: SubscriptionState; confirmedAt: string | null; unsubscribedAt: string | null; policyVersion: number | null }>;
  suppressions: Suppression[];
  timeline: ConsentEvent[];
  requests: DataSubjectRequest[];
  inbound: InboundMessage[];
}
export interface NewRequest {
  type: RequestType;
  email: string;
  channel: 'admin' | 'letter';
  note?: string;
  receivedAt?: string;
}

/** The tamper-evident ledger's word on a person's chain (GET /subscribers/:id/ledger). */
export interface LedgerStatus {
  verified: boolean;
  events: number;
  verifiedUpTo?: string;
  /** eventId is absent when what is missing is the event itself. */
  broken?: { eventId?: string; seq?: number; reason: string };
}

const person = (id: string) => `/subscribers/${encodeURIComponent(id)}`;

export const peopleApi = {
  search: (q: PersonQuery) => {
    const params = new URLSearchParams(Object.entries(q).filter((e): e is [string, string] => typeof e[1] === 'string' && e[1] !== ''));
    return request<SearchResult>('GET', `/subscribers?${params.toString()}`);
  },
  lists: () => request<{ items: ListName[] }>('GET', '/subscribers/lists').then((r) => r.items),
  suppressionsOf: (email: string) => request<{ items: Suppression[] }>('GET', `/suppressions?email=${encodeURIComponent(email)}`).then((r) => r.items),
  person: (id: string) => request<Person>('GET', person(id)),
  ledger: (id: string) => request<LedgerStatus>('GET', `${person(id)}/ledger`),
  rectify: (id: string, changes: { name?: string; locale?: 'lv' | 'en' }) => request<{ changed: string[] }>('PATCH', person(id), changes),
  restrict: (id: string) => request<{ changed: boolean }>('POST', `${person(id)}/restriction`, {}),
  lift: (id: string) => request<{ changed: boolean }>('DELETE', `${person(id)}/restriction`),
  eraseOnLetter: (id: string, body: { reason: string; receivedAt?: string }) => request<DataSubjectRequest>('POST', `${person(id)}/erasure`, body),
  createRequest: (body: NewRequest) => request<DataSubjectRequest>('POST', '/requests', body),
  liftSuppression: (id: string, reason: string) => request<{ lifted: boolean }>('DELETE', `/suppressions/${encodeURIComponent(id)}`, { reason }),
};
