// Composition root: the only place that builds the object graph. Everything else receives deps.
import { Redis } from 'ioredis';
import type { Connection } from 'mongoose';
import type { Config } from './config';
import { connectDatabase } from './data/connect';
import { createModels, syncIndexes, type Models } from './data/models';
import { AuditLog } from './domain/audit';
import { ConsentLedger } from './domain/consent-ledger';
import { Suppressions } from './domain/suppressions';
import { PageRenderer } from './http/pages';
import { EmailTemplates } from './mail/email-templates';
import { ListHeaderBuilder } from './mail/list-headers';
import { LinkTokenSigner } from './domain/link-token';
import { seedDefaults } from './domain/seed';
import { assertNoEviction } from './infra/redis-server';
import type { Logger } from './logger';
import { createMailer, type Mailer } from './mail/mailer';
import { closeQueues, createQueues, type Queues } from './queues/queues';

export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

export interface Container {
  config: Config;
  logger: Logger;
  clock: Clock;
  conn: Connection;
  models: Models;
  redis: Redis;
  queues: Queues;
  mailer: Mailer;
  signer: LinkTokenSigner;
  audit: AuditLog;
  ledger: ConsentLedger;
  suppressions: Suppressions;
  listHeaders: ListHeaderBuilder;
  emails: EmailTemplates;
  pages: PageRenderer;
  close(): Promise<void>;
}

export interface ContainerOptions {
  clock?: Clock;
}

export async function createContainer(config: Config, logger: Logger, opts: ContainerOptions = {}): Promise<Container> {
  if (!config.mongodbUri || !config.redisUrl || !config.smtpUrl) {
    throw new Error('MONGODB_URI, REDIS_URL and SMTP_URL must be resolved before the container is built (see src/embedded.ts)');
  }
  const clock = opts.clock ?? systemClock;
  const now = () => clock.now();

  const conn = await connectDatabase(config.mongodbUri);
  const models = createModels(conn);
  await syncIndexes(models);
  await seedDefaults(models);

  // BullMQ wants maxRetriesPerRequest: null on connections used by workers.
  const redis = new Redis(config.redisUrl, { maxRetriesPerRequest: null, lazyConnect: false });
  redis.on('error', (err) => logger.warn({ err: err.message, component: 'redis' }, 'redis connection error'));
  await assertNoEviction(redis);

  const queues = createQueues(redis, config.queuePrefix);
  const mailer = createMailer(config, config.smtpUrl);
  const signer = new LinkTokenSigner(config.linkSigningKeys);
  const audit = new AuditLog({ models, now });
  const ledger = new ConsentLedger({ models, now });
  const suppressions = new Suppressions({ models });
  const listHeaders = new ListHeaderBuilder({ signer, settings: config });
  const emails = new EmailTemplates();
  const pages = new PageRenderer();

  return {
    config,
    logger,
    clock,
    conn,
    models,
    redis,
    queues,
    mailer,
    signer,
    audit,
    ledger,
    suppressions,
    listHeaders,
    emails,
    pages,
    async close() {
      await closeQueues(queues);
      mailer.close();
      redis.disconnect();
      await conn.close();
    },
  };
}
