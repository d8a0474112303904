// Mailbox review's calls to /api/v1/admin/mailbox and /metrics/mailbox.
import { request } from '../../api';

export const REVIEW_KINDS = ['unsubscribe', 'access', 'rectification', 'erasure', 'restriction', 'withdrawal', 'bounce', 'complaint', 'nothing'] as const;
export type ReviewKind = (typeof REVIEW_KINDS)[number];

export interface Guess {
  kind: string;
  confidence: number | null;
  evidence: string | null;
  reason: string | null;
  recipient: string | null;
  status: string | null;
  permanent: boolean | null;
  timedOut: boolean;
}

export interface QueueItem {
  id: string;
  receivedAt: string;
  from?: string;
  subject?: string;
  kind?: string;
  outcome: string;
  note?: string;
  error?: string;
  guess: Guess | null;
}

export interface InboundMessage {
  id: string;
  receivedAt: string;
  from: string | null;
  to: string | null;
  date: string | null;
  subject: string | null;
  text: string | null;
  rawKept: boolean;
  outcome: string;
  note: string | null;
  error: string | null;
  guess: Guess | null;
  decision: { kind: string; actor: string; at: string } | null;
}

export interface Decision {
  id: string;
  kind: ReviewKind;
  outcome: 'applied' | 'ignored' | 'review';
  note: string | null;
  decidedBy: string | null;
  decidedAt: string | null;
  repeated: boolean;
}

export interface MailboxMetrics {
  /** Waiting for a decision (review, failed). */
  reviewSize: number;
  /** Left in the inbox for a person (listed in the queue too, marked so). */
  keptInInbox: number;
  oldestReviewAgeMs: number | null;
  byDay: Array<{ day: string; counts: Record<string, number> }>;
}

const one = (id: string) => `/mailbox/messages/${encodeURIComponent(id)}`;

export const mailboxApi = {
  queue: () => request<{ items: QueueItem[] }>('GET', '/mailbox/review?limit=200').then((r) => r.items),
  message: (id: string) => request<InboundMessage>('GET', one(id)),
  decide: (id: string, kind: ReviewKind) => request<Decision>('POST', `${one(id)}/decision`, { kind }),
  metrics: () => request<MailboxMetrics>('GET', '/metrics/mailbox'),
};
