// Embedded defaults: whatever of MongoDB, Redis and SMTP the environment does not name is started
// locally (FerretDB, redis-server, the .eml sink), and stopped again with us. When the mailbox is a
// Maildir, the sink delivers the mailbox's own addresses into it, as its MTA would. One process per
// data directory starts them; the others reuse them while it runs (infra/service-lease.ts), so a CLI
// command queues its work in the Redis that `npm run dev`'s workers read.
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { Config } from './config';
import { startFerretDb } from './infra/ferretdb';
import { startRedisServer } from './infra/redis-server';
import { leaseServices, type ServiceRecord } from './infra/service-lease';
import { startSmtpSink, type SinkInbox } from './infra/smtp-sink';
import type { Logger } from './logger';
import { mailboxRecipients } from './mailbox/mailbox-recipients';
import { deliverToMaildir } from './mailbox/maildir-mailbox';
import { maildirPathOf } from './mailbox/open-mailbox';

export interface EmbeddedServices {
  config: Config;
  /** Set when another process runs the services and this one uses them. */
  reusedFrom?: ServiceRecord;
  stop(): Promise<void>;
}

export interface EmbeddedOptions {
  /** How this process was started, shown to others that find its services (`npm run dev`). */
  command: string;
  /** Long-running entries share their services; a CLI command holds them only for its own run. */
  shared: boolean;
}

const NOTHING_TO_STOP = async () => undefined;

export async function startEmbeddedServices(
  config: Config,
  logger: Logger,
  opts: EmbeddedOptions = { command: 'e-Jaunumi', shared: false },
): Promise<EmbeddedServices> {
  const log = logger.child({ component: 'embedded' });
  const wanted = { mongodbUri: !config.mongodbUri, redisUrl: !config.redisUrl, smtpUrl: !config.smtpUrl };
  if (!wanted.mongodbUri && !wanted.redisUrl && !wanted.smtpUrl) return { config, stop: NOTHING_TO_STOP };
  await mkdir(config.varDir, { recursive: true });
  const lease = await leaseServices({ varDir: config.varDir, ...opts });
  if (lease.kind === 'guest') {
    const owner = lease.owner;
    const missing = (Object.keys(wanted) as Array<keyof typeof wanted>).filter((key) => wanted[key] && !owner[key]);
    if (missing.length > 0) {
      throw new Error(`${owner.command} (pid ${owner.pid}) runs the embedded services without ${missing.join(', ')}; name them in the environment as it does`);
    }
    log.info({ owner: owner.command, pid: owner.pid }, 'using the embedded services already running');
    const urls = { mongodbUri: config.mongodbUri || owner.mongodbUri, redisUrl: config.redisUrl || owner.redisUrl, smtpUrl: config.smtpUrl || owner.smtpUrl };
    return { config: Object.freeze({ ...config, ...urls }), reusedFrom: owner, stop: NOTHING_TO_STOP };
  }
  const stops: Array<() => Promise<void>> = [lease.release];
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
    await lease.publish(overrides);
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
