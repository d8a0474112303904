// `npm run dev`: API and workers in one process on embedded defaults (FerretDB, redis-server, the
// .eml sink, the Maildir inbox it delivers to); Ctrl-C stops everything it started.
import type { AddressInfo } from 'node:net';
import { startWorkers } from '../workers/start';
import { createApp } from './app';
import { boot } from './boot';
import { devAdminLink } from './domain/staff/dev-account';
import type { Config } from './config';
import { maildirPathOf } from './mailbox/open-mailbox';
import { onShutdown } from './shutdown';

const { baseConfig, logger, embedded, container } = await boot({ command: 'npm run dev', development: true });
const workers = await startWorkers(container);
const adminLink = baseConfig.env === 'development' ? await devAdminLink(container) : undefined;
const server = createApp(container).listen(baseConfig.port, () => {
  const port = (server.address() as AddressInfo).port;
  const base = embedded.config.publicBaseUrl;
  console.log(
    [
      '',
      'e-Jaunumi is running',
      `  Console:        ${base}/admin  (staff sign-in)`,
      `  Sign-up page:   ${base}/subscribe`,
      `  Health:         ${base}/healthz   Ready: ${base}/readyz`,
      `  Admin API:      ${base}/api/v1/admin  (docs: ${base}/admin/api; token: npm run cli -- admin-token --role admin --sub you@impro.lv)`,
      ...(adminLink
        ? [`  First sign-in:  admin@impro.lv: set its password once, within 24 h, at`, `                  ${adminLink.url}`]
        : []),
      '  Staff:          npm run cli -- staff add --email E --role marketer|dpo|admin (prints a set-password link)',
      `  Outgoing mail:  ${embedded.config.mailSinkDir}${embedded.config.smtpUrl && !baseConfig.smtpUrl ? ' (.eml files)' : ''}`,
      ...mailboxLines(embedded.config, !baseConfig.smtpUrl),
      `  Listening on port ${port}; Ctrl-C stops everything.`,
      '',
    ].join('\n'),
  );
});

/** Where the mailbox is and how mail gets there; an IMAP URL is shown without its credentials. */
function mailboxLines(config: Config, embeddedSink: boolean): string[] {
  const every = `polled every ${config.imapPollIntervalMs / 1000}s`;
  if (!config.mailboxUrl) return ['  Inbox:          none (MAILBOX_URL unset: nothing is polled)'];
  const root = maildirPathOf(config.mailboxUrl);
  if (!root) {
    const u = new URL(config.mailboxUrl);
    return [`  Inbox:          ${u.protocol}//${u.host}${u.pathname} (IMAP, ${every})`];
  }
  const domain = config.mailboxAddress.split('@')[1];
  return [
    `  Inbox:          ${root} (Maildir, ${every}; drop a mail in: npm run cli -- inbox FILE.eml)`,
    ...(embeddedSink
      ? [
          `                  the SMTP sink delivers mail to ${config.mailboxAddress}, ${config.unsubscribeMailtoLocal}+…@${domain} and ${config.bounceAddressLocal}+…@${domain} here`,
          '  Hard bounces:   the SMTP sink refuses every address @bounce.test with 550 5.1.1',
        ]
      : []),
  ];
}

onShutdown(logger, async () => {
  await new Promise((resolve) => server.close(resolve));
  await workers.close();
  await container.close();
  await embedded.stop();
});
