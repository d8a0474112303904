// The mailbox port the poller depends on, and its imapflow adapter. Each session is its own
// connection to one mailbox (never shared between mailboxes, the mistake of mautic#2405) and holds
// the folder's lock for as long as the poller works in it.
import { ImapFlow } from 'imapflow';
import type { Logger } from '../logger';

/** The default of MAILBOX_PROCESSED_FOLDER. */
export const PROCESSED_FOLDER = 'Processed';
export const REVIEW_FOLDER = 'Review';
/** Review, or the processed folder (MAILBOX_PROCESSED_FOLDER). */
export type TargetFolder = string;

/** Bigger sources are cut here: every signal the classifier reads sits near the start. */
export const MAX_SOURCE_BYTES = 25 * 1024 * 1024;

export interface WaitingMessage {
  uid: number;
  /** INTERNALDATE: when the server received it, for the age of the oldest unprocessed message. */
  receivedAt: Date;
}

export interface MailboxSession {
  /** Account, host and folder: what (mailbox, UIDVALIDITY, UID) is unique within. */
  readonly name: string;
  readonly uidValidity: string;
  /** Every message still in the folder (handled ones have been moved out), lowest UID first. */
  waiting(): Promise<WaitingMessage[]>;
  /** The raw message, or undefined when it has disappeared meanwhile. */
  source(uid: number): Promise<Buffer | undefined>;
  move(uid: number, folder: TargetFolder): Promise<void>;
}

export interface Mailbox {
  session<T>(work: (session: MailboxSession) => Promise<T>): Promise<T>;
}

export interface ImapSettings {
  host: string;
  port: number;
  secure: boolean;
  user: string;
  pass: string;
  folder: string;
}

/** `imaps://user:pass@host:993/INBOX` (TLS) or `imap://…:143/…` (STARTTLS when the server offers it). */
export function parseImapUrl(url: string): ImapSettings {
  const u = new URL(url);
  if (u.protocol !== 'imaps:' && u.protocol !== 'imap:') throw new Error('IMAP_URL must start with imaps:// or imap://');
  const secure = u.protocol === 'imaps:';
  const folder = decodeURIComponent(u.pathname.replace(/^\/+/, '')) || 'INBOX';
  return {
    host: u.hostname,
    port: u.port ? Number(u.port) : secure ? 993 : 143,
    secure,
    user: decodeURIComponent(u.username),
    pass: decodeURIComponent(u.password),
    folder,
  };
}

export class ImapMailbox implements Mailbox {
  constructor(private readonly deps: { settings: ImapSettings; logger: Logger; processedFolder?: string }) {}

  async session<T>(work: (session: MailboxSession) => Promise<T>): Promise<T> {
    const { settings, logger } = this.deps;
    const client = new ImapFlow({
      host: settings.host,
      port: settings.port,
      secure: settings.secure,
      auth: { user: settings.user, pass: settings.pass },
      logger: false,
      // The poller holds the lock and issues commands back to back; IDLE would only get in between.
      disableAutoIdle: true,
    });
    client.on('error', (err: Error) => logger.warn({ err: err.message }, 'imap connection error'));
    await client.connect();
    try {
      for (const folder of [this.deps.processedFolder ?? PROCESSED_FOLDER, REVIEW_FOLDER]) await client.mailboxCreate(folder);
      const lock = await client.getMailboxLock(settings.folder);
      try {
        const box = client.mailbox;
        if (!box) throw new Error(`mailbox ${settings.folder} is not open`);
        return await work(new ImapSession(client, `${settings.user}@${settings.host}/${settings.folder}`, String(box.uidValidity)));
      } finally {
        lock.release();
      }
    } finally {
      await client.logout().catch(() => client.close());
    }
  }
}

class ImapSession implements MailboxSession {
  constructor(
    private readonly client: ImapFlow,
    readonly name: string,
    readonly uidValidity: string,
  ) {}

  async waiting(): Promise<WaitingMessage[]> {
    if (!this.client.mailbox || this.client.mailbox.exists === 0) return [];
    // Collected before any other command: imapflow must not run commands inside a fetch loop.
    const messages = await this.client.fetchAll('1:*', { uid: true, internalDate: true });
    return messages
      .map((m) => ({ uid: m.uid, receivedAt: m.internalDate ? new Date(m.internalDate) : new Date() }))
      .sort((a, b) => a.uid - b.uid);
  }

  async source(uid: number): Promise<Buffer | undefined> {
    const message = await this.client.fetchOne(String(uid), { uid: true, source: { maxLength: MAX_SOURCE_BYTES } }, { uid: true });
    return message ? message.source : undefined;
  }

  async move(uid: number, folder: TargetFolder): Promise<void> {
    const moved = await this.client.messageMove(String(uid), folder, { uid: true });
    if (moved === false) throw new Error(`could not move UID ${uid} to ${folder}`);
  }
}
