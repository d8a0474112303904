// Embedded defaults: whatever of MongoDB, Redis and SMTP the environment does not name is started
// locally (FerretDB, redis-server, the .eml sink), and stopped again with us.
import path from 'node:path';
import type { Config } from './config';
import { startFerretDb } from './infra/ferretdb';
import { startRedisServer } from './infra/redis-server';
import { startSmtpSink } from './infra/smtp-sink';
import type { Logger } from './logger';

export interface EmbeddedServices {
  config: Config;
  stop(): Promise<void>;
}

export async function startEmbeddedServices(config: Config, logger: Logger): Promise<EmbeddedServices> {
  const log = logger.child({ component: 'embedded' });
  const stops: Array<() => Promise<void>> = [];
  const overrides: Partial<{ -readonly [K in keyof Config]: Config[K] }> = {};
  const dataDir = (name: string) => path.join(config.varDir, name);
  try {
    if (!config.mongodbUri) {
      const db = await startFerretDb({
        binDir: dataDir('bin'),
        dataDir: dataDir('ferretdb'),
        logFile: path.join(config.varDir, 'ferretdb.log'),
      });
      stops.push(() => db.stop());
      overrides.mongodbUri = db.uri;
      log.info({ uri: db.uri }, 'embedded FerretDB started');
    }
    if (!config.redisUrl) {
      const redis = await startRedisServer({ dataDir: dataDir('redis'), logFile: path.join(config.varDir, 'redis.log'), persist: true });
      stops.push(() => redis.stop());
      overrides.redisUrl = redis.url;
      log.info({ url: redis.url }, 'embedded redis-server started');
    }
    if (!config.smtpUrl) {
      const sink = await startSmtpSink({ dir: config.mailSinkDir });
      stops.push(() => sink.stop());
      overrides.smtpUrl = sink.url;
      log.info({ url: sink.url, dir: sink.dir }, 'SMTP sink started');
    }
  } catch (err) {
    await stopAll(stops);
    throw err;
  }
  return { config: Object.freeze({ ...config, ...overrides }), stop: () => stopAll(stops) };
}

async function stopAll(stops: Array<() => Promise<void>>): Promise<void> {
  for (const stop of stops.reverse()) await stop().catch(() => undefined);
}
