// A test context: its own database, queue prefix and SMTP sink on the shared real services, the app
// listening on port 0, and optionally the workers. Tests assert through HTTP, the sink and models.
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo, Server } from 'node:net';
import path from 'node:path';
import type { Queue } from 'bullmq';
import { simpleParser, type ParsedMail } from 'mailparser';
import { signupWorker } from '../../workers/signup.worker';
import { startWorkers, type RunningWorkers } from '../../workers/start';
import { createApp } from '../../src/app';
import { loadConfig, type Config } from '../../src/config';
import { createContainer, type Clock, type Container } from '../../src/container';
import { issueAdminToken, type AdminRole } from '../../src/domain/staff/admin-token';
import { createLogger } from '../../src/logger';
import { startSmtpSink, type SinkResponder, type SmtpSink } from '../../src/infra/smtp-sink';
import { getServices, uniqueName } from './services';

export interface SinkMail {
  file: string;
  raw: string;
  parsed: ParsedMail;
  to: string[];
}

export interface TestContext {
  c: Container;
  config: Config;
  baseUrl: string;
  sink: SmtpSink;
  workers?: RunningWorkers;
  env: Record<string, string>;
  token(role: AdminRole, sub?: string): string;
  mails(): Promise<SinkMail[]>;
  waitForMails(count: number, filter?: (m: SinkMail) => boolean, timeoutMs?: number): Promise<SinkMail[]>;
  /** Waits until the `signup` queue has nothing waiting, delayed or running: accepted sign-ups are done. */
  signupsDone(timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

export interface ContextOptions {
  workers?: boolean;
  env?: Record<string, string>;
  clock?: Clock;
  respond?: SinkResponder;
}

export async function createTestContext(opts: ContextOptions = {}): Promise<TestContext> {
  const s = getServices();
  const dir = await mkdtemp(path.join(s.tmpDir, 'ctx-'));
  const sink = await startSmtpSink({ dir: path.join(dir, 'mail'), respond: opts.respond });
  const env: Record<string, string> = {
    NODE_ENV: 'test',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    VAR_DIR: dir,
    MONGODB_URI: `${s.mongoBase}${uniqueName('t')}${s.mongoQuery}`,
    REDIS_URL: s.redisUrl,
    SMTP_URL: sink.url,
    QUEUE_PREFIX: uniqueName('q'),
    MAIL_SINK_DIR: sink.dir,
    PUBLIC_BASE_URL: 'http://127.0.0.1:1',
    ...opts.env,
  };
  // The public base URL must be the real listening address; listen first, then build the config.
  const server: Server = await new Promise((resolve) => {
    const srv = http.createServer();
    srv.listen(0, '127.0.0.1', () => resolve(srv));
  });
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  if (!opts.env?.PUBLIC_BASE_URL) env.PUBLIC_BASE_URL = baseUrl;
  const config = loadConfig(env);
  const c = await createContainer(config, createLogger(config.logLevel), { clock: opts.clock });
  server.on('request', createApp(c));
  const workers = opts.workers ? await startWorkers(c) : undefined;
  // Sign-ups are accepted into the `signup` queue; without it running no sign-up would complete.
  const signupOnly = workers ? undefined : signupWorker(c);

  const mails = async (): Promise<SinkMail[]> => {
    const files = (await readdir(sink.dir).catch(() => [] as string[])).filter((f) => f.endsWith('.eml')).sort();
    return Promise.all(
      files.map(async (file) => {
        const raw = await readFile(path.join(sink.dir, file), 'utf8');
        const parsed = await simpleParser(raw);
        const envelope = /^X-Sink-Envelope-To: (.*)$/m.exec(raw)?.[1] ?? '';
        return { file, raw, parsed, to: envelope.split(', ').filter(Boolean) };
      }),
    );
  };

  return {
    c,
    config,
    baseUrl,
    sink,
    workers,
    env,
    token: (role, sub = `${role}@impro.lv`) => issueAdminToken(config.adminJwt, { sub, role }, '1h'),
    mails,
    async waitForMails(count, filter = () => true, timeoutMs = 15_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const found = (await mails()).filter(filter);
        if (found.length >= count) return found;
        if (Date.now() > deadline) throw new Error(`expected ${count} mails, found ${found.length} after ${timeoutMs} ms`);
        await new Promise((r) => setTimeout(r, 100));
      }
    },
    async signupsDone(timeoutMs = 15_000) {
      await waitForQueueToDrain(c.queues.signup, timeoutMs);
    },
    async close() {
      await workers?.close();
      await signupOnly?.close();
      await new Promise((r) => server.close(r));
      await c.conn.dropDatabase().catch(() => undefined);
      await c.close();
      await sink.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** Waits until a queue has no job waiting, delayed, prioritized or active (failed ones count as done). */
export async function waitForQueueToDrain(queue: Queue, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const counts = await queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized', 'waiting-children');
    if (Object.values(counts).every((n) => n === 0)) return;
    if (Date.now() > deadline) throw new Error(`queue ${queue.name} not drained after ${timeoutMs} ms: ${JSON.stringify(counts)}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
