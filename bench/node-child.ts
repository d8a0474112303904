// A TypeScript entry point run as its own Node process (`node --import tsx FILE`), the way it runs in
// production: the API, the workers, the SMTP sink. The benchmark measures them from outside, so
// their CPU, event loop and memory are their own; peak RSS comes from the kernel (VmHWM).
import { fork, type ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { ROOT_DIR } from '../src/paths';

export interface NodeChildOptions {
  name: string;
  script: string;
  env: Record<string, string>;
  logFile: string;
  /** Resolves when the child is ready to be measured (a port answers, a log line appeared…). */
  ready: (child: NodeChild) => Promise<void>;
  nodeArgs?: string[];
}

export interface NodeChild {
  readonly name: string;
  readonly process: ChildProcess;
  /** Everything the child wrote to stdout and stderr so far (also in logFile). */
  output(): string;
  /** The kernel's high-water mark of the child's resident memory, in MB. */
  peakRssMb(): Promise<number>;
  /** SIGTERM (the child closes cleanly) or SIGKILL (a crash); resolves when it has exited. */
  stop(signal?: 'SIGTERM' | 'SIGKILL'): Promise<void>;
}

// Only what Node and tsx need; the service's configuration comes from `env` alone, so nothing from
// the caller's shell (a MONGODB_URI, a SEND_RATE_PER_SEC) can change what is measured.
const PASSED_THROUGH = ['PATH', 'HOME', 'TMPDIR', 'LANG'];

const running = new Set<ChildProcess>();

// A benchmark stopped by Ctrl-C or a timeout takes its children with it (no orphaned workers).
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => process.exit(130));

export async function startNodeChild(opts: NodeChildOptions): Promise<NodeChild> {
  const inherited = Object.fromEntries(PASSED_THROUGH.flatMap((k) => (process.env[k] ? [[k, process.env[k]!]] : [])));
  const child = fork(opts.script, [], {
    cwd: ROOT_DIR,
    env: { ...inherited, ...opts.env },
    execArgv: ['--import', 'tsx', ...(opts.nodeArgs ?? [])],
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  const log = createWriteStream(opts.logFile, { flags: 'a' });
  let output = '';
  for (const stream of [child.stdout!, child.stderr!]) {
    stream.on('data', (chunk: Buffer) => {
      // The tail is enough to explain a failed start; the log file keeps everything.
      output = (output + chunk.toString()).slice(-20_000);
      log.write(chunk);
    });
  }
  running.add(child);
  // VmHWM is already a peak; sampling keeps the last one seen for after the child has exited.
  let peakKb = 0;
  const samplePeak = async () => {
    const status = await readFile(`/proc/${child.pid}/status`, 'utf8').catch(() => '');
    peakKb = Math.max(peakKb, Number(/^VmHWM:\s+(\d+) kB/m.exec(status)?.[1] ?? 0));
  };
  const sampler = setInterval(() => void samplePeak(), 1000).unref();
  const exited = new Promise<void>((resolve) =>
    child.once('exit', () => {
      clearInterval(sampler);
      running.delete(child);
      resolve();
    }),
  );
  const handle: NodeChild = {
    name: opts.name,
    process: child,
    output: () => output,
    async peakRssMb() {
      await samplePeak();
      return Math.round(peakKb / 1024);
    },
    async stop(signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill(signal);
        const force = setTimeout(() => child.kill('SIGKILL'), 15_000);
        await exited;
        clearTimeout(force);
      }
      log.end();
    },
  };
  const died = exited.then(() => {
    throw new Error(`${opts.name} exited during start (see ${opts.logFile}):\n${output.slice(-3000)}`);
  });
  try {
    await Promise.race([opts.ready(handle), died]);
  } catch (err) {
    await handle.stop('SIGKILL');
    throw err;
  }
  died.catch(() => undefined);
  return handle;
}

/** A readiness check: the child printed `text` (a log line such as "workers started"). */
export function printed(text: string, timeoutMs = 60_000): (child: NodeChild) => Promise<void> {
  return async (child) => {
    const deadline = Date.now() + timeoutMs;
    while (!child.output().includes(text)) {
      if (Date.now() > deadline) throw new Error(`${child.name} did not print "${text}" within ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 50));
    }
  };
}
