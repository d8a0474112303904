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

// FerretDB v1.24's SQLite backend, patched in a vendored copy at build time (nothing of FerretDB is
// committed; our own Go file is ferretdb/patches/sqlite_pushdown.go). Every edit names the exact
// text it replaces, and the build fails when that text is not found exactly once.
//
// The _id lookup: upstream looks documents up by `_ferretdb_sjson->'$._id'` but builds its _id
// index on `_ferretdb_sjson->"_id"`; SQLite uses an expression index only for the identical
// expression, so every `{_id: value}` find, update and delete scanned the whole table. At 40,000
// documents findOne by _id went from 81 ms to 1.0 ms with the constant changed.
//
// Equality pushdown: upstream pushes down only a filter that is exactly `{_id: value}` and reads
// (and decodes in Go) the whole collection for every other one. The patch pushes down top-level
// string / ObjectId equality, `$eq` and `$in` on every field (see the Go file for why the rows kept
// are a superset of the matches), so they search the indexes createIndexes builds. find, count,
// update, delete, findAndModify, distinct and aggregate's first $match all read through Query.
// test/foundation/query-plans.test.ts reads the query plans and ferretdb-pushdown.test.ts compares
// the results with MongoDB's semantics, so a build without the patch fails them.
export interface SourceEdit {
  file: string;
  find: string;
  replace: string;
}

const SQLITE_PACKAGE = 'internal/backends/sqlite';
const PATCH_DIR = path.join(SOURCE_DIR, 'patches');
/** Our own files copied into FerretDB's SQLite package. */
const ADDED_FILES = ['sqlite_pushdown.go'];

const ID_LOOKUP_EDIT: SourceEdit = {
  file: `${SQLITE_PACKAGE}/metadata/metadata.go`,
  find: `IDColumn = DefaultColumn + "->'$._id'"`,
  replace: `IDColumn = DefaultColumn + "->\\"_id\\""`,
};

// The `{_id}`-only blocks of Query and Explain, replaced by prepareWhereClause.
const UPSTREAM_ID_FILTER = (pushdownFlag: string): string =>
  [
    '\t// that logic should exist in one place',
    '\t// TODO https://github.com/FerretDB/FerretDB/issues/3235',
    '\tif params.Filter.Len() == 1 {',
    '\t\tv, _ := params.Filter.Get("_id")',
    '\t\tswitch v.(type) {',
    '\t\tcase string, types.ObjectID:',
    ...(pushdownFlag ? [`\t\t\t${pushdownFlag}`] : []),
    '\t\t\twhereClause = fmt.Sprintf(` WHERE %s = ?`, metadata.IDColumn)',
    '\t\t\targs = []any{string(must.NotFail(sjson.MarshalSingleValue(v)))}',
    '\t\t}',
    '\t}',
  ].join('\n');

const PUSHDOWN_EDITS: SourceEdit[] = [
  {
    file: `${SQLITE_PACKAGE}/collection.go`,
    find: UPSTREAM_ID_FILTER(''),
    replace: '\twhereClause, args = prepareWhereClause(params.Filter)',
  },
  {
    file: `${SQLITE_PACKAGE}/collection.go`,
    find: UPSTREAM_ID_FILTER('filterPushdown = true'),
    replace: '\twhereClause, args = prepareWhereClause(params.Filter)\n\tfilterPushdown = whereClause != ""',
  },
];

/** The source with the edit made; throws unless the text to replace occurs exactly once. */
export function applySourceEdit(source: string, edit: SourceEdit): string {
  if (source.split(edit.find).length !== 2) {
    throw new Error(`the FerretDB patch no longer applies to ${edit.file}: expected exactly one of\n${edit.find}`);
  }
  return source.replace(edit.find, () => edit.replace);
}

/** The steps of a first build, in order; each is logged so a first start does not sit in silence. */
export type BuildStep =
  | { step: 'start' }
  | { step: 'vendor' }
  | { step: 'patch'; edits: number; added: number }
  | { step: 'compile' }
  | { step: 'done'; ms: number };

export function buildStepMessage(s: BuildStep): string {
  switch (s.step) {
    case 'start':
      return 'building FerretDB (first start only, about 90 s; the binary is cached in var/bin)';
    case 'vendor':
      return 'FerretDB build 1/3: vendoring Go modules';
    case 'patch':
      return `FerretDB build 2/3: patching the SQLite backend (${s.edits} edits, ${s.added} added files)`;
    case 'compile':
      return 'FerretDB build 3/3: compiling (the longest step)';
    case 'done':
      return `FerretDB built in ${Math.round(s.ms / 1000)} s`;
  }
}

export interface BuildOptions {
  /** false builds upstream's behaviour plus the _id lookup fix only (to measure the difference). */
  pushdown?: boolean;
}

interface Patch {
  edits: SourceEdit[];
  added: Array<{ file: string; content: Buffer }>;
}

async function loadPatch(opts: BuildOptions): Promise<Patch> {
  if (opts.pushdown === false) return { edits: [ID_LOOKUP_EDIT], added: [] };
  const added = await Promise.all(
    ADDED_FILES.map(async (f) => ({ file: `${SQLITE_PACKAGE}/${f}`, content: await readFile(path.join(PATCH_DIR, f)) })),
  );
  return { edits: [ID_LOOKUP_EDIT, ...PUSHDOWN_EDITS], added };
}

/** Builds the binary unless a build of the same sources is cached; returns its path. */
export async function buildFerretDb(binDir: string, log: (msg: string) => void = () => {}, opts: BuildOptions = {}): Promise<string> {
  const sources = await Promise.all(SOURCE_FILES.map((f) => readFile(path.join(SOURCE_DIR, f))));
  const patch = await loadPatch(opts);
  // Without the pushdown the digest is the one builds had before it, so their binary is reused.
  const patchKey = opts.pushdown === false ? JSON.stringify(ID_LOOKUP_EDIT) : JSON.stringify(patch);
  const digest = createHash('sha256').update(Buffer.concat(sources)).update(patchKey).digest('hex').slice(0, 16);
  const binary = path.join(binDir, `ferretdb-${digest}`);
  if (existsSync(binary)) return binary;
  await mkdir(binDir, { recursive: true });
  const startedAt = Date.now();
  const step = (s: BuildStep) => log(buildStepMessage(s));
  step({ step: 'start' });
  const tmp = `${binary}.${process.pid}.tmp`;
  const buildDir = path.join(binDir, `ferretdb-build.${process.pid}`);
  const goEnv = { ...process.env, CGO_ENABLED: '0' };
  try {
    await prepareBuildDir(buildDir, sources, patch, goEnv, step);
    step({ step: 'compile' });
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
  step({ step: 'done', ms: Date.now() - startedAt });
  if (opts.pushdown !== false) await writeFile(path.join(binDir, 'ferretdb.version'), `${digest}\n`);
  return binary;
}

/**
 * Prepares a build directory: our sources, FerretDB's vendored (`go mod vendor`, from the module
 * cache or proxy), the patched files and ours. Go refuses to patch files in its module cache itself.
 */
async function prepareBuildDir(
  buildDir: string,
  sources: Buffer[],
  patch: Patch,
  goEnv: NodeJS.ProcessEnv,
  step: (s: BuildStep) => void,
): Promise<void> {
  await rm(buildDir, { recursive: true, force: true });
  await mkdir(buildDir, { recursive: true });
  await Promise.all(SOURCE_FILES.map((file, i) => writeFile(path.join(buildDir, file), sources[i]!)));
  step({ step: 'vendor' });
  await run('go', ['mod', 'vendor'], { cwd: buildDir, env: goEnv, maxBuffer: 16 * 1024 * 1024 });
  const vendored = path.join(buildDir, 'vendor', FERRETDB_MODULE);
  step({ step: 'patch', edits: patch.edits.length, added: patch.added.length });
  // Sequential: two edits may target the same file.
  for (const edit of patch.edits) {
    const target = path.join(vendored, edit.file);
    await writeFile(target, applySourceEdit(await readFile(target, 'utf8'), edit));
  }
  for (const file of patch.added) await writeFile(path.join(vendored, file.file), file.content);
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

export async function startFerretDb(opts: {
  binDir: string;
  dataDir: string;
  logFile: string;
  database?: string;
  build?: BuildOptions;
  /** Hears the build's steps; silent when the binary is cached. */
  log?: (msg: string) => void;
}): Promise<EmbeddedDatabase> {
  const binary = await buildFerretDb(opts.binDir, opts.log, opts.build);
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
