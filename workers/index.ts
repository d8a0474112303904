// Worker process entry: `npm run workers`. Needs MONGODB_URI, REDIS_URL and SMTP_URL, or starts the
// embedded services like `npm run dev` does.
import { boot } from '../src/boot';
import { onShutdown } from '../src/shutdown';
import { startWorkers } from './start';

const { logger, embedded, container } = await boot({ command: 'npm run workers' });
const workers = await startWorkers(container);
logger.info({ workers: workers.workers.map((w) => w.name) }, 'workers started');

onShutdown(logger, async () => {
  await workers.close();
  await container.close();
  await embedded.stop();
});
