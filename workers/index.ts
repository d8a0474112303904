// Worker process entry: `npm run workers`. Needs MONGODB_URI, REDIS_URL and SMTP_URL, or starts the
// embedded services like `npm run dev` does.
import { loadConfig } from '../src/config';
import { createContainer } from '../src/container';
import { startEmbeddedServices } from '../src/embedded';
import { createLogger } from '../src/logger';
import { onShutdown } from '../src/shutdown';
import { startWorkers } from './start';

const baseConfig = loadConfigOrExit();
const logger = createLogger(baseConfig.logLevel);
const embedded = await startEmbeddedServices(baseConfig, logger);
const container = await createContainer(embedded.config, logger);
const workers = await startWorkers(container);
logger.info({ workers: workers.workers.map((w) => w.name) }, 'workers started');

onShutdown(logger, async () => {
  await workers.close();
  await container.close();
  await embedded.stop();
});

function loadConfigOrExit() {
  try {
    return loadConfig();
  } catch (err) {
    console.error((err as Error).message);
    process.exit(78);
  }
}
