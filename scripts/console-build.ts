// Builds the staff console (console/ → console/dist) when the build is missing or older than its
// sources. `npm run dev` and the console tests call it, so a fresh clone needs no extra step.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const CONSOLE = path.join(ROOT, 'console');
const BUILT = path.join(CONSOLE, 'dist', 'index.html');

function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'dist' || entry.name === 'node_modules') continue;
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestSource(full) : statSync(full).mtimeMs);
  }
  return newest;
}

export function consoleBuildIsStale(): boolean {
  return !existsSync(BUILT) || statSync(BUILT).mtimeMs < Math.max(newestSource(CONSOLE), statSync(path.join(ROOT, 'package-lock.json')).mtimeMs);
}

export function buildConsole(opts: { ifStale?: boolean; quiet?: boolean } = {}): void {
  if (opts.ifStale && !consoleBuildIsStale()) return;
  if (!opts.quiet) console.log('Building the staff console (console/ → console/dist)…');
  const vite = path.join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js');
  execFileSync(process.execPath, [vite, 'build', '--config', path.join(CONSOLE, 'vite.config.ts'), '--logLevel', opts.quiet ? 'error' : 'warn'], { cwd: ROOT, stdio: 'inherit' });
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  buildConsole({ ifStale: process.argv.includes('--if-stale') });
}
