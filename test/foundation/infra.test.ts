import { mkdtemp, readdir, readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { Redis } from 'ioredis';
import { simpleParser } from 'mailparser';
import { startRedisServer, assertNoEviction, RedisPolicyError } from '../../src/infra/redis-server';
import { startSmtpSink } from '../../src/infra/smtp-sink';
import { createMailer } from '../../src/mail/mailer';
import { loadConfig } from '../../src/config';
import { createTestContext } from '../helpers/context';

describe('infrastructure', () => {
  it('refuses a Redis whose maxmemory-policy would evict BullMQ keys', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'ej-redis-'));
    const server = await startRedisServer({ dataDir: dir, logFile: path.join(dir, 'log'), persist: false });
    const redis = new Redis(server.url);
    try {
      await assertNoEviction(redis);
      await redis.config('SET', 'maxmemory-policy', 'allkeys-lru');
      await expect(assertNoEviction(redis)).to.be.rejectedWith(RedisPolicyError, /noeviction/);
    } finally {
      redis.disconnect();
      await server.stop();
    }
  });

  it('the SMTP sink writes each message as one parseable .eml file', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'ej-sink-'));
    const sink = await startSmtpSink({ dir });
    const mailer = createMailer(loadConfig({ NODE_ENV: 'test' }), sink.url);
    try {
      await mailer.send({ to: 'jānis@piemērs.lv'.replace('jānis', 'janis'), subject: 'Sveiki, Jāni!', html: '<p>Ceļojumi</p>', text: 'Ceļojumi' });
      const files = (await readdir(dir)).filter((f) => f.endsWith('.eml'));
      expect(files).to.have.length(1);
      const parsed = await simpleParser(await readFile(path.join(dir, files[0]!)));
      expect(parsed.subject).to.equal('Sveiki, Jāni!');
      expect(parsed.text?.trim()).to.equal('Ceļojumi');
      expect(parsed.from?.text).to.contain('IMPRO CEĻOJUMI');
      expect(sink.received()).to.equal(1);
    } finally {
      mailer.close();
      await sink.stop();
    }
  });

  it('serves /healthz and /readyz, and 404 JSON for unknown API paths', async () => {
    const t = await createTestContext();
    try {
      expect((await fetch(`${t.baseUrl}/healthz`)).status).to.equal(200);
      const ready = await fetch(`${t.baseUrl}/readyz`);
      expect(ready.status).to.equal(200);
      expect(await ready.json()).to.deep.equal({ status: 'ready', database: true, redis: true });
      const missing = await fetch(`${t.baseUrl}/api/v1/nothing-here`);
      expect(missing.status).to.equal(404);
      expect(((await missing.json()) as { error: { code: string } }).error.code).to.equal('not_found');
    } finally {
      await t.close();
    }
  });
});
