// What every process entry does first: read config (exit 78 with the message when it is wrong, or
// when it would serve on the public development secrets without NODE_ENV saying so),
// start whatever embedded services the environment leaves unnamed, build the container.
import { loadConfig, refuseDevelopmentSecrets, type Config } from './config';
import { createContainer, type Container } from './container';
import { startEmbeddedServices, type EmbeddedServices } from './embedded';
import { createLogger, type Logger } from './logger';

export interface Booted {
  /** The configuration as given, before embedded services filled in their URLs. */
  baseConfig: Config;
  logger: Logger;
  embedded: EmbeddedServices;
  container: Container;
}

export interface BootOptions {
  /** How the process was started (`npm run dev`), shown to a CLI command that reuses its services. */
  command: string;
  /** `npm run dev`: NODE_ENV is development unless set otherwise. */
  development?: boolean;
}

export async function boot(opts: BootOptions): Promise<Booted> {
  let baseConfig: Config;
  try {
    baseConfig = loadConfig(opts.development ? { NODE_ENV: 'development', ...process.env } : process.env);
    refuseDevelopmentSecrets(baseConfig);
  } catch (err) {
    console.error((err as Error).message);
    process.exit(78);
  }
  const logger = createLogger(baseConfig.logLevel, baseConfig.logFormat);
  const embedded = await startEmbeddedServices(baseConfig, logger, { command: opts.command, shared: true });
  const container = await createContainer(embedded.config, logger);
  return { baseConfig, logger, embedded, container };
}
