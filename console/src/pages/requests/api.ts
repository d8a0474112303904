// The requests desk's calls to /api/v1/admin/requests (shapes as in the OpenAPI document).
import { request } from '../../api';

export type RequestFilter = 'open' | 'overdue' | 'closed';
export type RequestType = 'access' | 'rectification' | 'erasure' | 'restriction' | 'withdrawal';
export type RequestStatus = 'awaiting-verification' | 'open' | 'done' | 'rejected';

export interface RequestAction {
  at: string;
  actor: string;
  action: string;
  note: string | null;
}

export interface DataSubjectRequest {
  id: string;
  number: string;
  type: RequestType;
  channel: 'mailbox' | 'admin' | 'letter' | 'web';
  status: RequestStatus;
  email: string | null;
  receivedAt: string;
  dueAt: string;
  overdue: boolean;
  urgent: boolean;
  extendedMonths: number;
  extensionReason: string | null;
  verifiedAt: string | null;
  closedAt: string | null;
  rejectionReason: string | null;
  note: string | null;
  inboundMessageId: string | null;
  actions: RequestAction[];
}

const one = (id: string) => `/requests/${encodeURIComponent(id)}`;

export const requestsApi = {
  list: (status: RequestFilter) => request<{ items: DataSubjectRequest[] }>('GET', `/requests?status=${status}&limit=200`).then((r) => r.items),
  get: (id: string) => request<DataSubjectRequest>('GET', one(id)),
  extend: (id: string, reason: string, months: number) => request<DataSubjectRequest>('POST', `${one(id)}/extend`, { reason, months }),
  reject: (id: string, reason: string) => request<DataSubjectRequest>('POST', `${one(id)}/reject`, { reason }),
  complete: (id: string, note: string) => request<DataSubjectRequest>('POST', `${one(id)}/complete`, note ? { note } : {}),
  resendVerification: (id: string) => request<DataSubjectRequest>('POST', `${one(id)}/resend-verification`, {}),
  retry: (id: string) => request<DataSubjectRequest>('POST', `${one(id)}/retry`, {}),
};

export const isOpen = (r: Pick<DataSubjectRequest, 'status'>) => r.status === 'open' || r.status === 'awaiting-verification';
