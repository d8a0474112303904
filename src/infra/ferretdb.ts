// The embedded MongoDB-compatible server for development and tests: FerretDB v1 with its SQLite
// backend, built once from ferretdb/ (a tiny main around FerretDB's embeddable package) and cached.
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { ROOT_DIR } from '../paths';
import { startProcess, type ManagedProcess } from './child-process';
import { freePort } from './free-port';

const run = promisify(execFile);
const SOURCE_DIR = path.join(ROOT_DIR, 'ferretdb');
const FERRETDB_MODULE = 'github.com/FerretDB/FerretDB';
const SOURCE_FILES = ['main.go', 'go.mod', 'go.sum'];

// FerretDB v1.24's SQLite backend looks documents up by `_ferretdb_sjson->'$._id'` but builds its
// _id index on `_ferretdb_sjson->"_id"`; SQLite uses an expression index only for the identical
// expression, so every `{_id: value}` find, update and delete scanned the whole table. This one
// constant, changed in a vendored copy at build time (nothing of FerretDB is committed), makes
// the lookup use the index: at 40,000 documents findOne by _id went from 81 ms to 1.0 ms.
// test/foundation/storage.test.ts reads the query plan, so a build without it fails.
const ID_LOOKUP_PATCH = {
  file: 'internal/backends/sqlite/metadata/metadata.go',
  find: `IDColumn = DefaultColumn + "->'$._id'"`,
  replace: `IDColumn = DefaultColumn + "->\\"_id\\""`,
};

/** Builds the binary unless a build of the same sources is cached; returns its path. */
export async function buildFerretDb(binDir: string, log: (msg: string) => void = () => {}): Promise<string> {
  const sources = await Promise.all(SOURCE_FILES.map((f) => readFile(path.join(SOURCE_DIR, f))));
  const digest = createHash('sha256').update(Buffer.concat(sources)).update(JSON.stringify(ID_LOOKUP_PATCH)).digest('hex').slice(0, 16);
  const binary = path.join(binDir, `ferretdb-${digest}`);
  if (existsSync(binary)) return binary;
  await mkdir(binDir, { recursive: true });
  log('building FerretDB (first start only, takes a few minutes)');
  const tmp = `${binary}.${process.pid}.tmp`;
  const buildDir = path.join(binDir, `ferretdb-build.${process.pid}`);
  const goEnv = { ...process.env, CGO_ENABLED: '0' };
  try {
    await prepareBuildDir(buildDir, sources, goEnv);
    await run('go', ['build', '-mod=vendor', '-o', tmp, '.'], { cwd: buildDir, env: goEnv, maxBuffer: 16 * 1024 * 1024 });
  } catch (err) {
    const e = err as { stderr?: string; code?: string };
    if (e.code === 'ENOENT') throw new Error('Go is needed to build the embedded FerretDB (or set MONGODB_URI)');
    throw new Error(`FerretDB build failed:\n${e.stderr ?? String(err)}`);
  } finally {
    await rm(buildDir, { recursive: true, force: true });
  }
  // Rename is atomic: a concurrent start sees either no binary or a whole one.
  await rename(tmp, binary);
  await writeFile(path.join(binDir, 'ferretdb.version'), `${digest}\n`);
  return binary;
}

/**
 * Prepares a build directory: our sources, FerretDB's vendored (`go mod vendor`, from the module
 * cache or proxy) and the one patched file. Go refuses to patch files in its module cache itself.
 */
async function prepareBuildDir(buildDir: string, sources: Buffer[], goEnv: NodeJS.ProcessEnv): Promise<void> {
  await rm(buildDir, { recursive: true, force: true });
  await mkdir(buildDir, { recursive: true });
  await Promise.all(SOURCE_FILES.map((file, i) => writeFile(path.join(buildDir, file), sources[i]!)));
  await run('go', ['mod', 'vendor'], { cwd: buildDir, env: goEnv, maxBuffer: 16 * 1024 * 1024 });
  const target = path.join(buildDir, 'vendor', FERRETDB_MODULE, ID_LOOKUP_PATCH.file);
  const source = await readFile(target, 'utf8');
  if (!source.includes(ID_LOOKUP_PATCH.find)) throw new Error(`the FerretDB patch no longer applies to ${target}`);
  await writeFile(target, source.replace(ID_LOOKUP_PATCH.find, ID_LOOKUP_PATCH.replace));
}

// On top of FerretDB's defaults (WAL, 10 s busy timeout): a write transaction takes the write lock
// when it begins, so a concurrent writer waits for it instead of failing with SQLITE_BUSY when it
// upgrades a read (seen as 500s under 64 concurrent unsubscribes); and the WAL is synced at
// checkpoints, not at every commit — SQLite's advice for WAL, safe against a crash of the process,
// not of the machine, which is the embedded server's promise anyway (production runs MongoDB).
const SQLITE_OPTIONS = '_txlock=immediate&_pragma=synchronous(normal)';

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
    args: ['-listen-addr', `127.0.0.1:${port}`, '-handler', 'sqlite', '-sqlite-url', `file:${opts.dataDir.replace(/\/?$/, '/')}?${SQLITE_OPTIONS}`],
    port,
    logFile: opts.logFile,
  });
  return { ...proc, uri: `mongodb://127.0.0.1:${port}/${opts.database ?? 'ejaunumi'}` };
}
