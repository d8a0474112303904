// Core of `npm run cli -- inbox FILE.eml...`: puts messages into the mailbox the poller reads, as if
// they had arrived. A Maildir gets a standard delivery (tmp/ then new/); an IMAP mailbox an APPEND
// to the polled folder. One result per file, in order; a file that cannot be read gets an error.
import { readFile } from 'node:fs/promises';
import { ImapFlow } from 'imapflow';
import { MAX_SOURCE_BYTES, parseImapUrl } from './imap-mailbox';
import { deliverToMaildir } from './maildir-mailbox';
import { maildirPathOf } from './open-mailbox';

export interface DroppedFile {
  file: string;
  /** The file in the Maildir, or `imap://host/FOLDER UID n`. */
  deliveredTo?: string;
  error?: string;
}

export async function dropIntoInbox(files: string[], mailboxUrl: string): Promise<DroppedFile[]> {
  const root = maildirPathOf(mailboxUrl);
  const put = root ? maildirPut(root) : await imapPut(mailboxUrl);
  const out: DroppedFile[] = [];
  try {
    for (const file of files) {
      try {
        const raw = await readFile(file);
        if (raw.length === 0) throw new Error('the file is empty');
        if (raw.length > MAX_SOURCE_BYTES) throw new Error(`larger than ${MAX_SOURCE_BYTES} bytes`);
        out.push({ file, deliveredTo: await put.deliver(raw) });
      } catch (err) {
        out.push({ file, error: (err as Error).message });
      }
    }
  } finally {
    await put.close();
  }
  return out;
}

interface Put {
  deliver(raw: Buffer): Promise<string>;
  close(): Promise<void>;
}

function maildirPut(root: string): Put {
  return { deliver: (raw) => deliverToMaildir(root, raw), close: async () => undefined };
}

async function imapPut(url: string): Promise<Put> {
  const s = parseImapUrl(url);
  const client = new ImapFlow({ host: s.host, port: s.port, secure: s.secure, auth: { user: s.user, pass: s.pass }, logger: false });
  client.on('error', () => undefined);
  await client.connect();
  return {
    async deliver(raw) {
      const appended = await client.append(s.folder, raw);
      if (!appended) throw new Error(`the server refused the APPEND to ${s.folder}`);
      return `imap://${s.host}:${s.port}/${s.folder}${appended.uid ? ` UID ${appended.uid}` : ''}`;
    },
    close: () => client.logout().catch(() => client.close()),
  };
}
