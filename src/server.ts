// Web entry: container + createApp + listen. `npm start` (production: every service named by env).
import type { AddressInfo } from 'node:net';
import { createApp } from './app';
import { loadConfig } from './config';
import { createContainer } from './container';
import { startEmbeddedServices } from './embedded';
import { createLogger } from './logger';
import { onShutdown } from './shutdown';

let baseConfig;
try {
  baseConfig = loadConfig();
} catch (err) {
  console.error((err as Error).message);
  process.exit(78);
}
const logger = createLogger(baseConfig.logLevel);
const embedded = await startEmbeddedServices(baseConfig, logger);
const container = await createContainer(embedded.config, logger);
const server = createApp(container).listen(baseConfig.port, () => {
  logger.info({ port: (server.address() as AddressInfo).port }, 'listening');
});

onShutdown(logger, async () => {
  await new Promise((resolve) => server.close(resolve));
  await container.close();
  await embedded.stop();
});
