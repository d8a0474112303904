// Chooses the mailbox adapter by the scheme of MAILBOX_URL: a local Maildir or an IMAP server.
// Both serve the same port, so the poller never knows which one it reads.
import type { Logger } from '../logger';
import { ImapMailbox, parseImapUrl, type Mailbox } from './imap-mailbox';
import { MaildirMailbox } from './maildir-mailbox';

/** The directory of a `maildir:PATH` URL (relative paths from the working directory), or undefined for IMAP. */
export function maildirPathOf(url: string): string | undefined {
  if (!url.startsWith('maildir:')) return undefined;
  const rest = url.slice('maildir:'.length).replace(/^\/\/(?=\/)/, '');
  if (!rest) throw new Error('a maildir: URL needs a path, e.g. maildir:./var/inbox');
  return rest;
}

export function openMailbox(url: string, logger: Logger, processedFolder?: string): Mailbox {
  const root = maildirPathOf(url);
  return root ? new MaildirMailbox({ root, logger }) : new ImapMailbox({ settings: parseImapUrl(url), logger, processedFolder });
}
