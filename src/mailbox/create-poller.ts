// Builds the mailbox poller from the container: the adapter for MAILBOX_URL (Maildir or IMAP), the classifier
// told our own addresses and how to read a List-Unsubscribe mailto token, and the effects.
import type { Container } from '../container';
import { classifyMessage } from './classify';
import type { ClassifyOptions } from './classification';
import { MailboxEffects } from './effects';
import type { Mailbox } from './imap-mailbox';
import { AckQuota, OwnAddresses } from './loop-guard';
import { MailboxReport } from './mailbox-report';
import { openMailbox } from './open-mailbox';
import { MailboxPoller } from './poller';
import { RedisPollLease } from './poll-lease';

const MAX_PER_POLL = 200;
/** A lease outlives any sane poll; a crashed holder blocks polling for at most this long. */
const LEASE_MS = 10 * 60_000;

export function mailboxReport(c: Pick<Container, 'models' | 'redis' | 'config' | 'clock'>): MailboxReport {
  return new MailboxReport({ models: c.models, redis: c.redis, prefix: c.config.queuePrefix, now: () => c.clock.now() });
}

export interface PollerOptions {
  /** Defaults to MAILBOX_URL (or IMAP_URL): imap(s):// or maildir:. */
  imapUrl?: string;
  /** Replaces the IMAP adapter (tests wrap it to cut the connection at a chosen step). */
  mailbox?: (real: Mailbox) => Mailbox;
}

export function createMailboxPoller(c: Container, opts: PollerOptions = {}): MailboxPoller {
  const url = opts.imapUrl ?? c.config.mailboxUrl;
  if (!url) throw new Error('MAILBOX_URL is not set: there is no mailbox to poll');
  const logger = c.logger.child({ component: 'mailbox' });
  const now = () => c.clock.now();
  const own = new OwnAddresses(c.config);
  const imap = openMailbox(url, logger);
  const classifyOptions: ClassifyOptions = {
    ownAddresses: own.list(),
    unsubscribeTokenFromAddress: (address) => unsubscribeToken(c, own, address),
  };
  const effects = new MailboxEffects({
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
    settings: {
      emailHashKey: c.config.emailHashKey,
      mailDomain: c.config.mailDomain,
      publicBaseUrl: c.config.publicBaseUrl,
      softBounceLimit: c.config.softBounceLimit,
      softBounceWindowMs: c.config.softBounceWindowMs,
      campaignCountMemoryMs: c.config.retention.deliveryDetailsMs,
    },
    now,
    logger,
  });
  return new MailboxPoller({
    models: c.models,
    mailbox: opts.mailbox ? opts.mailbox(imap) : imap,
    classify: (raw) => classifyMessage(raw, classifyOptions),
    effects,
    report: mailboxReport(c),
    lease: new RedisPollLease({ redis: c.redis, prefix: c.config.queuePrefix, ttlMs: LEASE_MS }),
    emailHashKey: c.config.emailHashKey,
    maxPerPoll: MAX_PER_POLL,
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
