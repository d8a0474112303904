// `npm run bench [-- --quick] [-- --only=signup,unsubscribe,fanout,send,classify,ledger] [-- --faults] [-- --profile]`
// Runs the scenarios against the embedded defaults (FerretDB, redis-server, the SMTP sink, the API
// and the workers each in their own process), prints a table and writes var/bench/latest.json.
// Each figure is the median of several runs (one with --quick); every run is kept in the JSON.
import path from 'node:path';
import { parseArgs } from 'node:util';
import { ROOT_DIR } from '../src/paths';
import { log, type BenchContext, type BenchSettings } from './context';
import type { NodeChild } from './node-child';
import { summariseProfile } from './profile-summary';
import { LATEST_JSON, machine, printTable, readPrevious, writeLatest } from './report';
import { benchClassify } from './scenarios/classify';
import { benchFanout } from './scenarios/fanout';
import { benchFaults } from './scenarios/faults';
import { benchLedger } from './scenarios/ledger';
import { benchSend } from './scenarios/send';
import { benchSignup } from './scenarios/signup';
import { benchUnsubscribe } from './scenarios/unsubscribe';
import { startBenchServices, type Stage } from './services';

// In this order: the API-only loads first, then fan-out, then the workers for send.
const PERFORMANCE: Record<string, (ctx: BenchContext) => Promise<object>> = {
  signup: benchSignup,
  unsubscribe: benchUnsubscribe,
  fanout: benchFanout,
  send: benchSend,
};
// Pure scenarios run in this process before any service starts: they need none.
const PURE: Record<string, (settings: BenchSettings) => Promise<object>> = {
  classify: benchClassify,
};
// Scenarios that need a database of their own and nothing else (no API, no workers).
const DATABASE: Record<string, (stage: Stage, settings: BenchSettings) => Promise<object>> = {
  ledger: benchLedger,
};
const ALL = [...Object.keys(PERFORMANCE), ...Object.keys(PURE), ...Object.keys(DATABASE), 'faults'];
// Far above what 50 connections from one address reach: the sign-up load must not meet the limiter.
const LIFTED_SIGNUP_IP_LIMIT = '1000000000';

const { values: flags } = parseArgs({
  options: { quick: { type: 'boolean' }, faults: { type: 'boolean' }, only: { type: 'string' }, profile: { type: 'boolean' } },
});
const selected = flags.faults ? ['faults'] : flags.only ? flags.only.split(',') : [...Object.keys(PERFORMANCE), ...Object.keys(PURE), ...Object.keys(DATABASE)];
const unknown = selected.filter((name) => !ALL.includes(name));
if (unknown.length > 0) {
  console.error(`unknown scenario: ${unknown.join(', ')}; known: ${ALL.join(', ')}`);
  process.exit(64);
}
const settings: BenchSettings = {
  quick: Boolean(flags.quick),
  runs: flags.quick ? 1 : 3,
  profileDir: flags.profile ? path.join(ROOT_DIR, 'var', 'bench', `profile-${Date.now()}`) : undefined,
};

const started = Date.now();
const results = { ...(await readPrevious()), machine: await machine(), run: { ...settings, scenarios: selected } } as Record<string, unknown>;
for (const name of selected.filter((scenario) => scenario in PURE)) results[name] = await measure(name, () => PURE[name]!(settings));
const services = selected.some((scenario) => !(scenario in PURE)) ? await startBenchServices() : undefined;
try {
  const nodeArgs = settings.profileDir ? ['--cpu-prof', `--cpu-prof-dir=${settings.profileDir}`] : undefined;
  const peaks: { apiPeakRssMb?: number; workersPeakRssMb?: number } = {};
  if (selected.some((scenario) => scenario in PERFORMANCE)) {
    log(`sign-up per-IP limit lifted for the scenarios: SIGNUP_IP_LIMIT_PER_MINUTE=${LIFTED_SIGNUP_IP_LIMIT}`);
  }
  for (const name of selected.filter((scenario) => scenario in PERFORMANCE)) {
    // Each scenario on a database of its own: on FerretDB most queries read the whole collection,
    // so what one scenario leaves behind would slow the next one down.
    const stage = await services!.openStage(name, { SIGNUP_IP_LIMIT_PER_MINUTE: LIFTED_SIGNUP_IP_LIMIT });
    try {
      const api = await stage.startApi({}, nodeArgs);
      let workers: Promise<NodeChild> | undefined;
      const ctx: BenchContext = { services: services!, stage, api, settings, workers: () => (workers ??= stage.startWorkers({ nodeArgs })) };
      results[name] = await measure(name, () => PERFORMANCE[name]!(ctx));
      peaks.apiPeakRssMb = Math.max(peaks.apiPeakRssMb ?? 0, await api.child.peakRssMb());
      if (workers) peaks.workersPeakRssMb = Math.max(peaks.workersPeakRssMb ?? 0, await (await workers).peakRssMb());
    } finally {
      // Stops the workers with SIGTERM, so a --cpu-prof profile is written.
      await stage.close();
    }
  }
  for (const name of selected.filter((scenario) => scenario in DATABASE)) {
    const stage = await services!.openStage(name);
    try {
      results[name] = await measure(name, () => DATABASE[name]!(stage, settings));
    } finally {
      await stage.close();
    }
  }
  if (peaks.apiPeakRssMb !== undefined) results.memory = { ...peaks, sinkPeakRssMb: await services!.sink.peakRssMb() };
  if (selected.includes('faults')) results.faults = await measure('faults', () => benchFaults(services!, settings));
} finally {
  await services?.stop();
}
if (settings.profileDir) results.profile = await summariseProfile(settings.profileDir);

await writeLatest(results);
printTable(results, selected);
console.log(`written to ${path.relative(process.cwd(), LATEST_JSON)} in ${Math.round((Date.now() - started) / 1000)} s`);

/** One scenario's figures with the time they were taken; a failure is recorded and the others still run. */
async function measure(name: string, run: () => Promise<object>): Promise<object> {
  log(`${name}: start`);
  try {
    return { ...(await run()), measuredAt: new Date().toISOString(), quick: settings.quick };
  } catch (err) {
    log(`${name}: FAILED ${(err as Error).stack ?? err}`);
    return { error: (err as Error).message, measuredAt: new Date().toISOString() };
  }
}
