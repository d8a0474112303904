// One set of embedded services per data directory: the lease file decides who starts them and who
// reuses them; and a CLI command started beside `npm run dev` acts on dev's services, not its own.
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { loadConfig } from '../../src/config';
import { startEmbeddedServices, type EmbeddedServices } from '../../src/embedded';
import { leaseServices, SERVICES_FILE, ServicesBusyError, type Lease } from '../../src/infra/service-lease';
import { createLogger } from '../../src/logger';
import { runCli } from '../helpers/cli';
import { getServices } from '../helpers/services';

const LIVE = new Set([1001, 1002, 1003]);
const isAlive = (pid: number) => LIVE.has(pid);

describe('the embedded services lease', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'ej-lease-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  const lease = (pid: number, shared: boolean, command = `process ${pid}`, waitForReadyMs = 2_000): Promise<Lease> =>
    leaseServices({ varDir: dir, command, shared, pid, isAlive, waitForReadyMs });

  it('makes the first process the owner and gives a later one the URLs it published', async () => {
    const owner = await lease(1001, true, 'npm run dev');
    expect(owner.kind).to.equal('owner');
    const waiting = lease(1002, false);
    // The guest waits while the owner is still starting its services.
    await new Promise((resolve) => setTimeout(resolve, 300));
    if (owner.kind !== 'owner') throw new Error('unreachable');
    await owner.publish({ mongodbUri: 'mongodb://127.0.0.1:1/x', redisUrl: 'redis://127.0.0.1:2' });
    const guest = await waiting;
    expect(guest).to.deep.include({ kind: 'guest' });
    if (guest.kind !== 'guest') throw new Error('unreachable');
    expect(guest.owner).to.include({ pid: 1001, command: 'npm run dev', mongodbUri: 'mongodb://127.0.0.1:1/x', redisUrl: 'redis://127.0.0.1:2', ready: true });
    await owner.release();
    expect(await readdir(dir)).to.deep.equal([]);
  });

  it('refuses a second set of services while an owner that does not share them lives', async () => {
    const owner = await lease(1001, false, 'npm run cli -- import');
    if (owner.kind !== 'owner') throw new Error('unreachable');
    await owner.publish({ redisUrl: 'redis://127.0.0.1:2' });
    const err = await lease(1002, true, 'npm run dev').catch((e: unknown) => e);
    expect(err).to.be.instanceOf(ServicesBusyError);
    expect((err as Error).message).to.match(/npm run cli -- import \(pid 1001\)/);
  });

  it('takes over a file left by a process that died, and an unreadable one', async () => {
    await writeFile(path.join(dir, SERVICES_FILE), JSON.stringify({ pid: 4242, command: 'npm run dev', shared: true, ready: true, redisUrl: 'redis://gone' }));
    const first = await lease(1001, true);
    expect(first.kind).to.equal('owner');
    if (first.kind === 'owner') await first.release();
    await writeFile(path.join(dir, SERVICES_FILE), '{"pid": 10');
    expect((await lease(1002, true)).kind).to.equal('owner');
    expect(JSON.parse(await readFile(path.join(dir, SERVICES_FILE), 'utf8'))).to.include({ pid: 1002, ready: false });
  });

  it('gives up waiting for an owner that never finishes starting', async () => {
    await lease(1001, true, 'npm run dev');
    await expect(lease(1002, false, 'npm run cli', 600)).to.be.rejectedWith(/has been starting the embedded services for too long/);
  });

  it('lets only one of several processes starting at once become the owner', async () => {
    const leases = await Promise.all([1001, 1002, 1003].map((pid) => lease(pid, true).catch((e: unknown) => e)));
    expect(leases.filter((l) => (l as Lease).kind === 'owner')).to.have.length(1);
  });
});

describe('a CLI command beside a running service', function () {
  this.timeout(60_000);
  let dir: string;
  let embedded: EmbeddedServices;
  let env: Record<string, string>;

  before(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'ej-lease-cli-'));
    const s = getServices();
    const mongodbUri = `${s.mongoBase}leasecli${s.mongoQuery}`;
    env = { VAR_DIR: dir, MONGODB_URI: mongodbUri, REDIS_URL: s.redisUrl, NODE_ENV: 'development', LOG_LEVEL: 'warn' };
    // What `npm run dev` does, with the database and Redis named: it starts the SMTP sink and shares it.
    // Its sink writes elsewhere than a sink the command would start, so the test tells them apart.
    const devConfig = loadConfig({ ...env, MAIL_SINK_DIR: path.join(dir, 'dev-mail') });
    embedded = await startEmbeddedServices(devConfig, createLogger('silent'), { command: 'npm run dev', shared: true });
  });
  after(async () => {
    await embedded.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('mails through the running service’s SMTP sink instead of starting its own', async () => {
    const { stdout } = await runCli(env, 'staff', 'add', '--email', 'liga.lease@impro.lv', '--role', 'marketer');
    expect(stdout).to.match(/set-password/);
    const mails = (await readdir(embedded.config.mailSinkDir)).filter((f) => f.endsWith('.eml'));
    expect(mails).to.have.length(1);
    expect(await readFile(path.join(embedded.config.mailSinkDir, mails[0]!), 'utf8')).to.match(/^To: liga\.lease@impro\.lv/m);
    expect(await readdir(path.join(dir, 'mail')).catch(() => [])).to.deep.equal([]);
    // The lease is still the service's.
    expect(JSON.parse(await readFile(path.join(dir, SERVICES_FILE), 'utf8'))).to.include({ pid: process.pid, command: 'npm run dev' });
  });
});
