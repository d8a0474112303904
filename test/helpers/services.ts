// The real services every integration test talks to, started once per test run by the root hooks:
// FerretDB (or MONGODB_URI), a redis-server (or REDIS_URL). SMTP sinks are per test context.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { startFerretDb, type EmbeddedDatabase } from '../../src/infra/ferretdb';
import { startRedisServer, type EmbeddedRedis } from '../../src/infra/redis-server';
import { ROOT_DIR } from '../../src/paths';

interface Services {
  tmpDir: string;
  /** Base URI without a database name; each context picks its own database. */
  mongoBase: string;
  mongoQuery: string;
  redisUrl: string;
  stop(): Promise<void>;
}

let services: Services | undefined;

export async function startServices(): Promise<Services> {
  const tmpDir = await mkdtemp(path.join(os.tmpdir(), 'ejaunumi-test-'));
  let db: EmbeddedDatabase | undefined;
  let redis: EmbeddedRedis | undefined;
  const external = process.env.MONGODB_URI;
  if (!external) {
    db = await startFerretDb({
      binDir: path.join(ROOT_DIR, 'var', 'bin'),
      dataDir: path.join(tmpDir, 'ferretdb'),
      logFile: path.join(tmpDir, 'ferretdb.log'),
      log: announceOnce(),
    });
  }
  const redisUrl = process.env.REDIS_URL ?? (redis = await startRedisServer({ dataDir: path.join(tmpDir, 'redis'), logFile: path.join(tmpDir, 'redis.log'), persist: false })).url;
  const uri = new URL(external ?? db!.uri);
  const mongoQuery = uri.search;
  uri.pathname = '/';
  uri.search = '';
  services = {
    tmpDir,
    mongoBase: uri.toString(),
    mongoQuery,
    redisUrl,
    async stop() {
      await redis?.stop();
      await db?.stop();
      await rm(tmpDir, { recursive: true, force: true });
    },
  };
  return services;
}

/** A build says once why the first test waits; a cached binary says nothing. */
function announceOnce(): (msg: string) => void {
  let said = false;
  return (msg) => {
    if (said) return;
    said = true;
    process.stderr.write(`test services: ${msg}\n`);
  };
}

export function getServices(): Services {
  if (!services) throw new Error('test services are not started (the root hooks start them)');
  return services;
}

let counter = 0;
/** A name unique in this run, for databases, queue prefixes and addresses. */
export function uniqueName(prefix: string): string {
  return `${prefix}${process.pid}x${Date.now().toString(36)}x${++counter}`;
}
