// `npm run cli -- …` as an operator runs it: a real process, with a test context's environment.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { ROOT_DIR } from '../../src/paths';

const run = promisify(execFile);

export function runCli(env: NodeJS.ProcessEnv, ...args: string[]) {
  return run(process.execPath, ['--import', 'tsx', 'src/cli.ts', ...args], { cwd: ROOT_DIR, env: { ...process.env, ...env } });
}
