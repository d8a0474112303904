// A local redis-server (Debian's package) for development and tests, data under VAR_DIR.
import { mkdir } from 'node:fs/promises';
import { Redis } from 'ioredis';
import { startProcess, type ManagedProcess } from './child-process';
import { freePort } from './free-port';

export interface EmbeddedRedis extends ManagedProcess {
  url: string;
}

/** `port` restarts a server where its clients expect it (the benchmark's fault run); default a free one. */
export async function startRedisServer(opts: { dataDir: string; logFile: string; persist: boolean; port?: number }): Promise<EmbeddedRedis> {
  await mkdir(opts.dataDir, { recursive: true });
  const port = opts.port ?? (await freePort());
  const persistence = opts.persist ? ['--appendonly', 'yes', '--save', '60 1000'] : ['--appendonly', 'no', '--save', ''];
  const proc = await startProcess({
    name: 'redis-server',
    command: 'redis-server',
    args: ['--bind', '127.0.0.1', '--port', String(port), '--dir', opts.dataDir, '--maxmemory-policy', 'noeviction', ...persistence],
    port,
    logFile: opts.logFile,
  }).catch((err: Error & { code?: string }) => {
    if (err.code === 'ENOENT') throw new Error('redis-server is not installed (apt-get install redis-server) and REDIS_URL is not set');
    throw err;
  });
  return { ...proc, url: `redis://127.0.0.1:${port}` };
}

export class RedisPolicyError extends Error {}

/** BullMQ loses jobs when Redis evicts keys; refuse to run on anything but noeviction. */
export async function assertNoEviction(redis: Redis): Promise<void> {
  const reply = (await redis.config('GET', 'maxmemory-policy')) as string[];
  const policy = reply[1];
  if (policy !== 'noeviction') {
    throw new RedisPolicyError(`Redis maxmemory-policy is "${policy}"; BullMQ needs "noeviction" (CONFIG SET maxmemory-policy noeviction)`);
  }
}
