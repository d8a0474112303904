// A local redis-server (Debian's package) for development and tests, data under VAR_DIR.
import { mkdir } from 'node:fs/promises';
import { Redis } from 'ioredis';
import { startProcess, type ManagedProcess } from './child-process';
import { freePort } from './free-port';

export interface EmbeddedRedis extends ManagedProcess {
  url: string;
}

/** `port` restarts a server where its clients expect it (the benchmark's fault run); default a free one. */
export async function startRedisServer(opts: {
  dataDir: string;
  logFile: string;
  persist: boolean;
  port?: number;
  /** More redis-server arguments (tests: a server that forbids CONFIG, like some managed ones). */
  extraArgs?: string[];
}): Promise<EmbeddedRedis> {
  await mkdir(opts.dataDir, { recursive: true });
  const port = opts.port ?? (await freePort());
  const persistence = opts.persist ? ['--appendonly', 'yes', '--save', '60 1000'] : ['--appendonly', 'no', '--save', ''];
  const proc = await startProcess({
    name: 'redis-server',
    command: 'redis-server',
    args: ['--bind', '127.0.0.1', '--port', String(port), '--dir', opts.dataDir, '--maxmemory-policy', 'noeviction', ...persistence, ...(opts.extraArgs ?? [])],
    port,
    logFile: opts.logFile,
  }).catch((err: Error & { code?: string }) => {
    if (err.code === 'ENOENT') throw new Error('redis-server is not installed (apt-get install redis-server) and REDIS_URL is not set');
    throw err;
  });
  return { ...proc, url: `redis://127.0.0.1:${port}` };
}

export class RedisPolicyError extends Error {}

/**
 * BullMQ loses jobs when Redis evicts keys; refuse to run on anything but noeviction. A managed
 * Redis may forbid CONFIG GET: then the policy cannot be read, and the start goes on with a warning
 * (the operator checks the policy in the provider's settings; see README, production notes).
 */
export async function assertNoEviction(redis: Redis, warn: (message: string) => void = () => undefined): Promise<void> {
  let reply: string[];
  try {
    reply = (await redis.config('GET', 'maxmemory-policy')) as string[];
  } catch (err) {
    warn(`Redis maxmemory-policy could not be read (${(err as Error).message}); BullMQ needs "noeviction": check it in the Redis provider's settings`);
    return;
  }
  const policy = reply[1];
  if (policy === undefined) {
    warn('Redis does not report maxmemory-policy; BullMQ needs "noeviction": check it in the Redis provider\'s settings');
    return;
  }
  if (policy !== 'noeviction') {
    throw new RedisPolicyError(`Redis maxmemory-policy is "${policy}"; BullMQ needs "noeviction" (CONFIG SET maxmemory-policy noeviction)`);
  }
}
