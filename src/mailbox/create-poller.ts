// Builds the mailbox poller from the container: the adapter for MAILBOX_URL (Maildir or IMAP), the
// classifier told our own addresses and how to read a List-Unsubscribe mailto token, the proof that a
// report concerns our mail, and the effects.
import type { Container } from '../container';
import { ComplaintRateGuard } from '../domain/campaigns/complaint-rate-guard';
import { BudgetedClassifier } from './classify-budget';
import type { ClassifyOptions } from './classification';
import { MailboxEffects } from './effects';
import type { Logger } from '../logger';
import type { Mailbox } from './imap-mailbox';
import { AckQuota, OwnAddresses } from './loop-guard';
import { MailboxReport } from './mailbox-report';
import { openMailbox } from './open-mailbox';
import { MailboxPoller, type Classify } from './poller';
import { ReportProof } from './report-proof';
import { RedisPollLease } from './poll-lease';

const MAX_PER_POLL = 200;
/** A lease outlives any sane poll; a crashed holder blocks polling for at most this long. */
const LEASE_MS = 10 * 60_000;
/** How long the poller waits for one classification (the classifier's own budget is far shorter). */
const CLASSIFY_TIMEOUT_MS = 60_000;

export function mailboxReport(c: Pick<Container, 'models' | 'redis' | 'config' | 'clock'>): MailboxReport {
  return new MailboxReport({ models: c.models, redis: c.redis, prefix: c.config.queuePrefix, now: () => c.clock.now() });
}

export interface PollerOptions {
  /** Defaults to MAILBOX_URL (or IMAP_URL): imap(s):// or maildir:. */
  imapUrl?: string;
  /** Defaults to BOUNCE_IMAP_URL (only when imapUrl is not given either). */
  bounceImapUrl?: string;
  /** Replaces the IMAP adapter (tests wrap it to cut the connection at a chosen step). */
  mailbox?: (real: Mailbox) => Mailbox;
  /** Replaces the classifier (tests make it hang or throw on a chosen message). */
  classify?: (real: Classify) => Classify;
  classifyTimeoutMs?: number;
}

export function createMailboxPoller(c: Container, opts: PollerOptions = {}): MailboxPoller {
  const url = opts.imapUrl ?? c.config.mailboxUrl;
  if (!url) throw new Error('MAILBOX_URL is not set: there is no mailbox to poll');
  const logger = c.logger.child({ component: 'mailbox' });
  const now = () => c.clock.now();
  const own = new OwnAddresses(c.config);
  const bounceUrl = opts.bounceImapUrl ?? (opts.imapUrl ? undefined : c.config.bounceImapUrl);
  const imap = openMailbox(url, logger, c.config.processedFolder);
  const classifyOptions: ClassifyOptions = {
    ownAddresses: own.list(),
    unsubscribeTokenFromAddress: (address) => unsubscribeToken(c, own, address),
  };
  // In a worker thread with a time budget: one crafted message cannot stall the poll.
  const budgeted = new BudgetedClassifier();
  const classify: Classify = (raw) => budgeted.classify(raw, classifyOptions);
  const effects = createMailboxEffects(c, logger, own);
  return new MailboxPoller({
    models: c.models,
    mailbox: opts.mailbox ? opts.mailbox(imap) : imap,
    bounceMailbox: bounceUrl ? openMailbox(bounceUrl, logger, c.config.processedFolder) : undefined,
    classify: opts.classify ? opts.classify(classify) : classify,
    effects,
    report: mailboxReport(c),
    lease: new RedisPollLease({ redis: c.redis, prefix: c.config.queuePrefix, ttlMs: LEASE_MS }),
    emailHashKey: c.config.emailHashKey,
    maxPerPoll: MAX_PER_POLL,
    processedFolder: c.config.processedFolder,
    classifyTimeoutMs: opts.classifyTimeoutMs ?? CLASSIFY_TIMEOUT_MS,
    now,
    logger,
  });
}

/**
 * The effects of a classified message, as the poller applies them; the DPO's decisions in the review
 * queue run the very same ones (mailbox-review.ts).
 */
export function createMailboxEffects(c: Container, logger: Logger, own: OwnAddresses = new OwnAddresses(c.config)): MailboxEffects {
  const now = () => c.clock.now();
  return new MailboxEffects({
    models: c.models,
    unsubscribes: c.unsubscribes,
    requests: c.requests,
    suppressions: c.suppressions,
    ledger: c.ledger,
    signer: c.signer,
    listHeaders: c.listHeaders,
    emails: c.emails,
    mailer: c.mailer,
    ackQuota: new AckQuota({ models: c.models, now }),
    own,
    proof: new ReportProof({ models: c.models, signer: c.signer, settings: c.config, now }),
    complaintGuard: new ComplaintRateGuard({ models: c.models, campaigns: c.campaigns, audit: c.audit, settings: c.config, logger }),
    settings: {
      emailHashKey: c.config.emailHashKey,
      mailDomain: c.config.mailDomain,
      publicBaseUrl: c.config.publicBaseUrl,
      softBounceLimit: c.config.softBounceLimit,
      softBounceWindowMs: c.config.softBounceWindowMs,
      softBounceSuppressionMs: c.config.softBounceSuppressionMs,
      campaignCountMemoryMs: c.config.retention.deliveryDetailsMs,
    },
    now,
    logger,
  });
}

/** unsubscribe+TOKEN@<mailbox domain> with a token we signed, or null. */
function unsubscribeToken(c: Pick<Container, 'config' | 'signer'>, own: OwnAddresses, address: string): string | null {
  const token = /^[^+@]+\+([^@]+)@/.exec(address)?.[1];
  if (!token || !own.has(address)) return null;
  try {
    c.signer.verify(token, 'unsubscribe');
    return token;
  } catch {
    return null;
  }
}
