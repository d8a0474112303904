// What a benchmark runs against: the embedded defaults of `npm run dev` (FerretDB on SQLite, a
// redis-server with AOF, the .eml sink), each in its own process, with the API and the workers as
// their own Node processes too. A stage is one scenario run: its own database and queue prefix,
// and a container in this process for seeding and for reading results through the models.
import { readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../src/config';
import { createContainer, type Container } from '../src/container';
import { issueAdminToken, type AdminRole } from '../src/domain/staff/admin-token';
import { startFerretDb, type EmbeddedDatabase } from '../src/infra/ferretdb';
import { freePort, waitForPort } from '../src/infra/free-port';
import { startRedisServer, type EmbeddedRedis } from '../src/infra/redis-server';
import { createLogger } from '../src/logger';
import { ROOT_DIR } from '../src/paths';
import { printed, startNodeChild, type NodeChild } from './node-child';
import type { SinkMessage } from './sink-process';

// The workers get the Node flags `npm run workers` gives them (package.json: its heap size).
const WORKERS_NODE_ARGS = nodeFlagsOf(JSON.parse(readFileSync(path.join(ROOT_DIR, 'package.json'), 'utf8')).scripts.workers);

/** `node --flag … --import tsx script` → the flags; any other command has none. */
function nodeFlagsOf(command: string): string[] {
  const words = command.split(/\s+/);
  return words[0] === 'node' ? words.slice(1, words.indexOf('--import')) : [];
}

export interface BenchSink {
  url: string;
  dir: string;
  /** Messages accepted since the sink started (the files may have been cleared since). */
  received(): Promise<number>;
  /** Deletes the .eml files (between runs: 20,000 messages a run add up). */
  clearMail(): Promise<void>;
  peakRssMb(): Promise<number>;
}

export interface ApiProcess {
  baseUrl: string;
  child: NodeChild;
}

export interface Stage {
  env: Record<string, string>;
  c: Container;
  baseUrl: string;
  token(role: AdminRole): string;
  startApi(extraEnv?: Record<string, string>, nodeArgs?: string[]): Promise<ApiProcess>;
  startWorkers(opts?: { env?: Record<string, string>; nodeArgs?: string[] }): Promise<NodeChild>;
  close(): Promise<void>;
}

export interface BenchServices {
  dir: string;
  sink: BenchSink;
  openStage(name: string, extraEnv?: Record<string, string>): Promise<Stage>;
  /** Stops Redis cleanly (AOF flushed) and starts it again on the same port and data. */
  restartRedis(): Promise<void>;
  stop(): Promise<void>;
}

export async function startBenchServices(): Promise<BenchServices> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'ejaunumi-bench-'));
  const logs = path.join(dir, 'logs');
  await mkdir(logs, { recursive: true });
  const stops: Array<() => Promise<void>> = [];
  try {
    // The FerretDB build is cached under var/bin, shared with dev and tests.
    const databaseUri = await benchDatabase(dir, logs, stops);
    // AOF on, as in production: jobs must survive the fault run's Redis restart.
    const redisOpts = { dataDir: path.join(dir, 'redis'), logFile: path.join(logs, 'redis.log'), persist: true };
    let redis: EmbeddedRedis = await startRedisServer(redisOpts);
    stops.push(() => redis.stop());
    const sink = await startSink(path.join(dir, 'mail'), path.join(logs, 'sink.log'));
    stops.push(() => sink.child.stop());
    let stages = 0;

    return {
      dir,
      sink: sink.api,
      async openStage(name, extraEnv = {}) {
        const port = await freePort();
        const env: Record<string, string> = {
          NODE_ENV: 'development',
          LOG_LEVEL: 'warn',
          VAR_DIR: dir,
          PORT: String(port),
          PUBLIC_BASE_URL: `http://127.0.0.1:${port}`,
          MONGODB_URI: databaseUri(`bench_${name.replace(/\W/g, '_')}_${++stages}`),
          REDIS_URL: redis.url,
          QUEUE_PREFIX: `bench${stages}`,
          SMTP_URL: sink.api.url,
          ...extraEnv,
        };
        return openStage(env, logs, name, sink.api);
      },
      async restartRedis() {
        await redis.stop();
        redis = await startRedisServer({ ...redisOpts, port: redis.port });
      },
      async stop() {
        for (const stop of stops.reverse()) await stop().catch(() => undefined);
        await rm(dir, { recursive: true, force: true });
      },
    };
  } catch (err) {
    for (const stop of stops.reverse()) await stop().catch(() => undefined);
    throw err;
  }
}

/**
 * The server the stages' databases live on: the embedded FerretDB, or the one MONGODB_URI names (a
 * MongoDB, to see production-like figures). Each stage gets a database of its own on it, dropped
 * when the stage closes. Returns how to name a database there.
 */
async function benchDatabase(dir: string, logs: string, stops: Array<() => Promise<void>>): Promise<(database: string) => string> {
  const external = process.env.MONGODB_URI;
  if (external) {
    const parts = /^(mongodb(?:\+srv)?:\/\/[^/?]+)(?:\/[^?]*)?(\?.*)?$/.exec(external);
    if (!parts) throw new Error('MONGODB_URI is not a mongodb:// or mongodb+srv:// URI');
    return (database) => `${parts[1]}/${database}${parts[2] ?? ''}`;
  }
  const db: EmbeddedDatabase = await startFerretDb({ binDir: path.join(ROOT_DIR, 'var', 'bin'), dataDir: path.join(dir, 'ferretdb'), logFile: path.join(logs, 'ferretdb.log') });
  stops.push(() => db.stop());
  const base = db.uri.slice(0, db.uri.lastIndexOf('/') + 1);
  return (database) => `${base}${database}`;
}

async function openStage(env: Record<string, string>, logs: string, name: string, sink: BenchSink): Promise<Stage> {
  const config = loadConfig(env);
  const c = await createContainer(config, createLogger('warn'));
  const baseUrl = env.PUBLIC_BASE_URL!;
  const children: NodeChild[] = [];
  let starts = 0;
  const logFile = (role: string) => path.join(logs, `${name}-${role}-${++starts}.log`);
  return {
    env,
    c,
    baseUrl,
    token: (role) => issueAdminToken(config.adminJwt, { sub: `bench-${role}@impro.lv`, role }, '8h'),
    async startApi(extraEnv = {}, nodeArgs) {
      const child = await startNodeChild({
        name: 'api',
        script: 'src/server.ts',
        env: { ...env, ...extraEnv },
        nodeArgs,
        logFile: logFile('api'),
        ready: () => waitForPort(Number(env.PORT), 60_000),
      });
      children.push(child);
      return { baseUrl, child };
    },
    async startWorkers(opts = {}) {
      const child = await startNodeChild({
        name: 'workers',
        script: 'workers/index.ts',
        // Info level only for the start line; the send path logs nothing per message.
        env: { ...env, LOG_LEVEL: 'info', ...opts.env },
        logFile: logFile('workers'),
        nodeArgs: [...WORKERS_NODE_ARGS, ...(opts.nodeArgs ?? [])],
        ready: printed('workers started'),
      });
      children.push(child);
      return child;
    },
    async close() {
      await Promise.all(children.map((child) => child.stop()));
      await c.conn.dropDatabase().catch(() => undefined);
      // The bench's own Redis: the next stage starts from an empty one (and a short AOF).
      await c.redis.flushdb();
      await c.close();
      await sink.clearMail();
    },
  };
}

async function startSink(dir: string, logFile: string): Promise<{ child: NodeChild; api: BenchSink }> {
  let port = 0;
  const waiting: Array<(n: number) => void> = [];
  const child = await startNodeChild({
    name: 'smtp-sink',
    script: 'bench/sink-process.ts',
    env: { BENCH_SINK_DIR: dir },
    logFile,
    ready: (self) =>
      new Promise<void>((resolve) => {
        self.process.on('message', (message: SinkMessage) => {
          if ('port' in message) {
            port = message.port;
            resolve();
          } else waiting.shift()?.(message.received);
        });
      }),
  });
  return {
    child,
    api: {
      url: `smtp://127.0.0.1:${port}`,
      dir,
      received: () =>
        new Promise<number>((resolve) => {
          waiting.push(resolve);
          child.process.send('count');
        }),
      async clearMail() {
        await rm(dir, { recursive: true, force: true });
        await mkdir(dir, { recursive: true });
      },
      peakRssMb: () => child.peakRssMb(),
    },
  };
}
