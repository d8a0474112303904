// `npm run dev`: API and workers in one process on embedded defaults (FerretDB, redis-server, the
// .eml sink); Ctrl-C stops everything it started.
import type { AddressInfo } from 'node:net';
import { startWorkers } from '../workers/start';
import { createApp } from './app';
import { boot } from './boot';
import { onShutdown } from './shutdown';

const { baseConfig, logger, embedded, container } = await boot({ development: true });
const workers = await startWorkers(container);
const server = createApp(container).listen(baseConfig.port, () => {
  const port = (server.address() as AddressInfo).port;
  const base = embedded.config.publicBaseUrl;
  console.log(
    [
      '',
      'e-Jaunumi is running',
      `  Sign-up page:   ${base}/subscribe`,
      `  Health:         ${base}/healthz   Ready: ${base}/readyz`,
      `  Admin API:      ${base}/api/v1/admin  (token: npm run cli -- admin-token --role admin --sub you@impro.lv)`,
      `  Outgoing mail:  ${embedded.config.mailSinkDir}${embedded.config.smtpUrl && !baseConfig.smtpUrl ? ' (.eml files)' : ''}`,
      `  Listening on port ${port}; Ctrl-C stops everything.`,
      '',
    ].join('\n'),
  );
});

onShutdown(logger, async () => {
  await new Promise((resolve) => server.close(resolve));
  await workers.close();
  await container.close();
  await embedded.stop();
});
