// Starting safely: no service on the public development secrets unless NODE_ENV says so, no 2 MB
// admin body read before authentication, and a managed Redis that forbids CONFIG GET still starts.
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { Redis } from 'ioredis';
import { ConfigError, loadConfig, refuseDevelopmentSecrets } from '../../src/config';
import { assertNoEviction, RedisPolicyError, startRedisServer } from '../../src/infra/redis-server';
import { ROOT_DIR } from '../../src/paths';
import { createTestContext } from '../helpers/context';
import { getServices, uniqueName } from '../helpers/services';

const SECRETS = ['ADMIN_JWT_SECRET', 'EMAIL_HASH_KEY', 'LINK_SIGNING_KEYS', 'LEDGER_KEY'];

/** Runs an entry point until it prints `until` (then stops it) or exits by itself; returns which, and its output. */
function runEntry(script: string, env: Record<string, string>, until: string): Promise<{ started: boolean; code: number | null; out: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', script], {
      cwd: ROOT_DIR,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let started = false;
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${script} neither started nor exited:\n${out.slice(-2000)}`));
    }, 60_000);
    const collect = (chunk: Buffer) => {
      out += chunk.toString();
      if (!started && out.includes(until)) {
        started = true;
        clearTimeout(timer);
        child.kill('SIGTERM');
      }
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ started, code, out });
    });
  });
}

describe('production safety', function () {
  this.timeout(90_000);

  describe('development secrets', () => {
    it('are named when they stand in for unset secrets, and refused unless NODE_ENV says development or test', () => {
      const implicit = loadConfig({});
      expect(implicit.envExplicit).to.equal(false);
      expect([...implicit.developmentSecrets].sort()).to.deep.equal([...SECRETS].sort());
      const err = (() => {
        try {
          refuseDevelopmentSecrets(implicit);
        } catch (e) {
          return e as ConfigError;
        }
        throw new Error('expected a ConfigError');
      })();
      expect(err).to.be.instanceOf(ConfigError);
      for (const name of SECRETS) expect(err.problems.some((p) => p.startsWith(name)), name).to.equal(true);

      expect(() => refuseDevelopmentSecrets(loadConfig({ NODE_ENV: 'development' }))).not.to.throw();
      expect(() => refuseDevelopmentSecrets(loadConfig({ NODE_ENV: 'test' }))).not.to.throw();
    });

    it('a development value copied into the environment counts as one, and production refuses it', () => {
      const dev = loadConfig({ NODE_ENV: 'development' });
      const copied = {
        ADMIN_JWT_SECRET: dev.adminJwt.secret,
        EMAIL_HASH_KEY: dev.emailHashKey,
        LEDGER_KEY: dev.ledgerKey,
        LINK_SIGNING_KEYS: `dev:${dev.linkSigningKeys[0]!.secret.toString('base64')}`,
      };
      expect([...loadConfig(copied).developmentSecrets].sort()).to.deep.equal([...SECRETS].sort());
      expect(() => loadConfig({ ...copied, NODE_ENV: 'production', MONGODB_URI: 'mongodb://db:27017/x', REDIS_URL: 'redis://r:6379', SMTP_URL: 'smtp://s:25', PUBLIC_BASE_URL: 'https://x.lv' }))
        .to.throw(ConfigError)
        .with.property('problems')
        .that.satisfies((problems: string[]) => SECRETS.every((name) => problems.some((p) => p.startsWith(name) && p.includes('development value'))));
    });

    it('`npm start` and `npm run workers` without NODE_ENV exit with a message instead of serving on them', async () => {
      for (const script of ['src/server.ts', 'workers/index.ts']) {
        const { started, code, out } = await runEntry(script, { LOG_LEVEL: 'silent' }, 'listening');
        expect(started, out).to.equal(false);
        expect(code, `${script}: ${out}`).to.equal(78);
        for (const name of SECRETS) expect(out, script).to.contain(name);
      }
    });

    it('`npm start` with NODE_ENV=development set explicitly starts on them', async () => {
      const s = getServices();
      const sinkless = { SMTP_URL: 'smtp://127.0.0.1:1', MONGODB_URI: `${s.mongoBase}${uniqueName('t')}${s.mongoQuery}`, REDIS_URL: s.redisUrl };
      const { started, out } = await runEntry('src/server.ts', { NODE_ENV: 'development', PORT: '0', QUEUE_PREFIX: uniqueName('q'), ...sinkless }, '"listening"');
      expect(started, out).to.equal(true);
    });
  });

  describe('admin request bodies', () => {
    it('are not parsed before the token is checked', async () => {
      const t = await createTestContext();
      try {
        const post = (body: string, headers: Record<string, string> = {}) =>
          fetch(`${t.baseUrl}/api/v1/admin/campaigns`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
        // Malformed JSON without a token: 401, not the parser's 400 (the body was never read as JSON).
        expect((await post('{not json')).status).to.equal(401);
        const big = JSON.stringify({ mjml: 'x'.repeat(1_900_000) });
        expect((await post(big)).status).to.equal(401);
        // With a token the same malformed body is the parser's 400.
        expect((await post('{not json', { authorization: `Bearer ${t.token('marketer')}` })).status).to.equal(400);
      } finally {
        await t.close();
      }
    });
  });

  describe('a Redis that forbids CONFIG (managed Redis)', () => {
    it('starts with a warning instead of refusing; an evicting policy it can read is still refused', async () => {
      const dir = await mkdtemp(path.join(os.tmpdir(), 'ej-redis-'));
      const server = await startRedisServer({ dataDir: dir, logFile: path.join(dir, 'log'), persist: false, extraArgs: ['--rename-command', 'CONFIG', ''] });
      const redis = new Redis(server.url);
      const warnings: string[] = [];
      try {
        await assertNoEviction(redis, (message) => warnings.push(message));
        expect(warnings).to.have.length(1);
        expect(warnings[0]).to.contain('noeviction');
      } finally {
        redis.disconnect();
        await server.stop();
        await rm(dir, { recursive: true, force: true });
      }
      const dir2 = await mkdtemp(path.join(os.tmpdir(), 'ej-redis-'));
      const evicting = await startRedisServer({ dataDir: dir2, logFile: path.join(dir2, 'log'), persist: false, extraArgs: ['--maxmemory-policy', 'allkeys-lru'] });
      const redis2 = new Redis(evicting.url);
      try {
        await expect(assertNoEviction(redis2, () => undefined)).to.be.rejectedWith(RedisPolicyError, /allkeys-lru/);
      } finally {
        redis2.disconnect();
        await evicting.stop();
        await rm(dir2, { recursive: true, force: true });
      }
    });
  });
});
