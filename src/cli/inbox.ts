import { ConfigError, loadConfig } from '../config';
import { dropIntoInbox } from '../mailbox/drop-into-inbox';
import { parseOptions, type CliCommand } from './command';

const HELP = `usage: npm run cli -- inbox FILE.eml... [--mailbox URL]

Puts each message into the mailbox the poller reads, as if it had arrived; the next poll
(IMAP_POLL_INTERVAL) handles it. Prints one line per file; exits 1 if any file failed.

options:
  --mailbox URL   maildir:PATH, imap://… or imaps://… (default: MAILBOX_URL, or IMAP_URL;
                  in development maildir:$VAR_DIR/inbox)
  --help          this text`;

export const inboxCommand: CliCommand = {
  summary: 'inbox FILE.eml... [--mailbox URL]: drop messages into the polled mailbox (Maildir, or APPEND over IMAP)',
  help: HELP,
  async run(args) {
    const { values, positionals } = parseOptions(args, { mailbox: { type: 'string' }, help: { type: 'boolean', default: false } });
    if (values.help) {
      console.log(HELP);
      return 0;
    }
    if (positionals.length === 0) throw new Error(`give at least one .eml file\n\n${HELP}`);
    const url = values.mailbox ?? configuredMailbox();
    let failed = 0;
    for (const r of await dropIntoInbox(positionals, url)) {
      if (r.error) failed++;
      console.log(r.error ? `${r.file}: not delivered: ${r.error}` : `${r.file} -> ${r.deliveredTo}`);
    }
    return failed > 0 ? 1 : 0;
  },
};

function configuredMailbox(): string {
  let url: string | undefined;
  try {
    url = loadConfig().mailboxUrl;
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    throw new Error(`the configuration is not valid, name the mailbox with --mailbox:\n${err.message}`);
  }
  if (!url) throw new Error('no mailbox is configured (MAILBOX_URL): name one with --mailbox maildir:PATH');
  return url;
}
