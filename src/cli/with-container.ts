// Commands that read or change data run against the same services as the API: those named by the
// environment, or the embedded services `npm run dev` (or `npm start`, `npm run workers`) runs on
// this data directory, or, when none runs, embedded services of their own for the command's run.
import { loadConfig } from '../config';
import { createContainer, type Container } from '../container';
import { startEmbeddedServices } from '../embedded';
import { createLogger } from '../logger';

export async function withContainer<T>(fn: (c: Container) => Promise<T>, command = 'npm run cli'): Promise<T> {
  const baseConfig = loadConfig();
  // The command's own output goes to stdout; only warnings of the machinery join it.
  const logger = createLogger(baseConfig.logLevel === 'info' ? 'warn' : baseConfig.logLevel, baseConfig.logFormat);
  const embedded = await startEmbeddedServices(baseConfig, logger, { command, shared: false });
  try {
    const container = await createContainer(embedded.config, logger);
    try {
      return await fn(container);
    } finally {
      await container.close();
    }
  } finally {
    await embedded.stop();
  }
}
