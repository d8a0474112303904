// The embedded MongoDB-compatible server for development and tests: FerretDB v1 with its SQLite
// backend, built once from ferretdb/ (a tiny main around FerretDB's embeddable package) and cached.
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { ROOT_DIR } from '../paths';
import { startProcess, type ManagedProcess } from './child-process';
import { freePort } from './free-port';

const run = promisify(execFile);
const SOURCE_DIR = path.join(ROOT_DIR, 'ferretdb');

/** Builds the binary unless a build of the same sources is cached; returns its path. */
export async function buildFerretDb(binDir: string, log: (msg: string) => void = () => {}): Promise<string> {
  const sources = await Promise.all(['main.go', 'go.mod', 'go.sum'].map((f) => readFile(path.join(SOURCE_DIR, f))));
  const digest = createHash('sha256').update(Buffer.concat(sources)).digest('hex').slice(0, 16);
  const binary = path.join(binDir, `ferretdb-${digest}`);
  if (existsSync(binary)) return binary;
  await mkdir(binDir, { recursive: true });
  log('building FerretDB (first start only, takes a few minutes)');
  const tmp = `${binary}.${process.pid}.tmp`;
  try {
    await run('go', ['build', '-o', tmp, '.'], { cwd: SOURCE_DIR, maxBuffer: 16 * 1024 * 1024, env: { ...process.env, CGO_ENABLED: '0' } });
  } catch (err) {
    const e = err as { stderr?: string; code?: string };
    if (e.code === 'ENOENT') throw new Error('Go is needed to build the embedded FerretDB (or set MONGODB_URI)');
    throw new Error(`FerretDB build failed:\n${e.stderr ?? String(err)}`);
  }
  // Rename is atomic: a concurrent start sees either no binary or a whole one.
  await rename(tmp, binary);
  await writeFile(path.join(binDir, 'ferretdb.version'), `${digest}\n`);
  return binary;
}

export interface EmbeddedDatabase extends ManagedProcess {
  uri: string;
}

export async function startFerretDb(opts: { binDir: string; dataDir: string; logFile: string; database?: string }): Promise<EmbeddedDatabase> {
  const binary = await buildFerretDb(opts.binDir);
  await mkdir(opts.dataDir, { recursive: true });
  const port = await freePort();
  const proc = await startProcess({
    name: 'ferretdb',
    command: binary,
    args: ['-listen-addr', `127.0.0.1:${port}`, '-handler', 'sqlite', '-sqlite-url', `file:${opts.dataDir.replace(/\/?$/, '/')}`],
    port,
    logFile: opts.logFile,
  });
  return { ...proc, uri: `mongodb://127.0.0.1:${port}/${opts.database ?? 'ejaunumi'}` };
}
