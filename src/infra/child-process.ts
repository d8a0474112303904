// A supervised helper process (FerretDB, redis-server): started, waited for, and stopped with us.
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { waitForPort } from './free-port';

export interface ManagedProcess {
  readonly name: string;
  readonly port: number;
  stop(): Promise<void>;
}

const running = new Set<ChildProcess>();

// Last resort: a parent that exits for any reason takes its helpers with it (no orphans).
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

export async function startProcess(opts: {
  name: string;
  command: string;
  args: string[];
  port: number;
  logFile: string;
  cwd?: string;
  readyTimeoutMs?: number;
}): Promise<ManagedProcess> {
  const log = createWriteStream(opts.logFile, { flags: 'a' });
  const child = spawn(opts.command, opts.args, { cwd: opts.cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout!.pipe(log);
  child.stderr!.pipe(log);
  running.add(child);
  let exited = false;
  const exit = new Promise<void>((resolve) =>
    child.once('exit', () => {
      exited = true;
      running.delete(child);
      resolve();
    }),
  );
  const spawnError = new Promise<never>((_, reject) => child.once('error', reject));
  const early = exit.then(async () => {
    throw new Error(`${opts.name} exited during start; log ${opts.logFile}:\n${await tail(opts.logFile)}`);
  });
  try {
    await Promise.race([waitForPort(opts.port, opts.readyTimeoutMs ?? 20_000), early, spawnError]);
  } catch (err) {
    child.kill('SIGKILL');
    throw err;
  }
  early.catch(() => undefined);
  return {
    name: opts.name,
    port: opts.port,
    async stop() {
      if (exited) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exit;
      clearTimeout(timer);
      log.end();
    },
  };
}

async function tail(file: string): Promise<string> {
  try {
    return (await readFile(file, 'utf8')).split('\n').slice(-20).join('\n');
  } catch {
    return '(no log)';
  }
}
