// A test context: its own database, queue prefix and SMTP sink on the shared real services, the app
// listening on port 0, and optionally the workers. Tests assert through HTTP, the sink and models.
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo, Server } from 'node:net';
import path from 'node:path';
import { simpleParser, type ParsedMail } from 'mailparser';
import { startWorkers, type RunningWorkers } from '../../workers/start';
import { createApp } from '../../src/app';
import { loadConfig, type Config } from '../../src/config';
import { createContainer, type Clock, type Container } from '../../src/container';
import { issueAdminToken, type AdminRole } from '../../src/domain/admin-token';
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
    async close() {
      await workers?.close();
      await new Promise((r) => server.close(r));
      await c.conn.dropDatabase().catch(() => undefined);
      await c.close();
      await sink.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
