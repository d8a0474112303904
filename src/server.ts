// Web entry: container + createApp + listen. `npm start` (production: every service named by env).
import type { AddressInfo } from 'node:net';
import { createApp } from './app';
import { boot } from './boot';
import { onShutdown } from './shutdown';

const { baseConfig, logger, embedded, container } = await boot({ command: 'npm start' });
const server = createApp(container).listen(baseConfig.port, () => {
  logger.info({ port: (server.address() as AddressInfo).port }, 'listening');
});

onShutdown(logger, async () => {
  await new Promise((resolve) => server.close(resolve));
  await container.close();
  await embedded.stop();
});
