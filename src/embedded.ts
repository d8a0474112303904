// Embedded defaults: whatever of MongoDB, Redis and SMTP the environment does not name is started
// locally (FerretDB, redis-server, the .eml sink), and stopped again with us. When the mailbox is a
// Maildir, the sink delivers the mailbox's own addresses into it, as its MTA would.
import path from 'node:path';
import type { Config } from './config';
import { startFerretDb } from './infra/ferretdb';
import { startRedisServer } from './infra/redis-server';
import { startSmtpSink, type SinkInbox } from './infra/smtp-sink';
import type { Logger } from './logger';
import { mailboxRecipients } from './mailbox/mailbox-recipients';
import { deliverToMaildir } from './mailbox/maildir-mailbox';
import { maildirPathOf } from './mailbox/open-mailbox';

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
        log: (msg) => log.info(msg),
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
      const inbox = sinkInbox(config);
      const sink = await startSmtpSink({ dir: config.mailSinkDir, inbox });
      stops.push(() => sink.stop());
      overrides.smtpUrl = sink.url;
      log.info({ url: sink.url, dir: sink.dir, inbox: config.mailboxUrl && inbox ? config.mailboxUrl : undefined }, 'SMTP sink started');
    }
  } catch (err) {
    await stopAll(stops);
    throw err;
  }
  return { config: Object.freeze({ ...config, ...overrides }), stop: () => stopAll(stops) };
}

function sinkInbox(config: Config): SinkInbox | undefined {
  const root = config.mailboxUrl ? maildirPathOf(config.mailboxUrl) : undefined;
  if (!root) return undefined;
  const accepts = mailboxRecipients(config);
  return {
    accepts,
    deliver: async (raw) => {
      await deliverToMaildir(root, raw);
    },
  };
}

async function stopAll(stops: Array<() => Promise<void>>): Promise<void> {
  for (const stop of stops.reverse()) await stop().catch(() => undefined);
}
