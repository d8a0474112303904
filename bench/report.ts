// The benchmark's output: a table on stdout (figure, value, aim, met?) and var/bench/latest.json.
// Scenarios not run this time keep their figures from the previous file, each with its own date.
import { execFile } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { ROOT_DIR } from '../src/paths';

export const LATEST_JSON = path.join(ROOT_DIR, 'var', 'bench', 'latest.json');


export type Results = Record<string, unknown>;

interface Aim {
  key: string;
  label: string;
  aim: string;
  met: (value: number) => boolean;
}

const AIMS: Aim[] = [
  { key: 'send.msgsPerSec', label: 'send, messages/s (workers, end to end)', aim: '', met: () => true },
  { key: 'send.baselineMsgsPerSec', label: 'send baseline, messages/s (pooled Nodemailer)', aim: '', met: () => true },
  { key: 'send.ratio', label: 'send / baseline', aim: '≥ 1.0', met: (v) => v >= 1.0 },
  { key: 'send.rssMb', label: 'workers process peak RSS, MB', aim: '< 300', met: (v) => v < 300 },
  { key: 'fanout.recipientsPerSec', label: 'fan-out, recipients/s', aim: '≥ 30,000', met: (v) => v >= 30_000 },
  { key: 'fanout.large.recipientsPerSec', label: 'fan-out at 3× the audience, recipients/s', aim: '', met: () => true },
  { key: 'fanout.largeCostRatio', label: 'fan-out cost per recipient at 3× / at 1×', aim: '≤ 1.5', met: (v) => v <= 1.5 },
  { key: 'unsubscribe.rps', label: 'one-click unsubscribe, requests/s', aim: '≥ 1,000', met: (v) => v >= 1_000 },
  { key: 'unsubscribe.p99Ms', label: 'one-click unsubscribe, p99 ms', aim: '≤ 50', met: (v) => v <= 50 },
  { key: 'signup.rps', label: 'sign-up, requests/s', aim: '≥ 1,000', met: (v) => v >= 1_000 },
  { key: 'signup.p99Ms', label: 'sign-up, p99 ms', aim: '≤ 50', met: (v) => v <= 50 },
  { key: 'ledger.extraMsPerEvent', label: 'ledger: extra ms per consent event (chained append − unchained insert, medians)', aim: '', met: () => true },
  { key: 'ledger.verifyAll.seconds', label: 'ledger: verify --all, seconds (100,000 people; 10,000 with --quick)', aim: '', met: () => true },
  { key: 'classify.msgsPerSec', label: 'classify, messages/s (fixture corpus, one thread)', aim: '', met: () => true },
  { key: 'classify.worstFuzzRatio', label: 'classify, worst hostile 1 MB input / plain 1 MB', aim: '< 20', met: (v) => v < 20 },
  { key: 'classify.kindAccuracy', label: 'classify, right kind on the fixture corpus', aim: '≥ 0.95', met: (v) => v >= 0.95 },
  { key: 'classify.hardBounceRecall', label: 'classify, hard bounces called permanent', aim: '≥ 0.95', met: (v) => v >= 0.95 },
  { key: 'memory.apiPeakRssMb', label: 'API process peak RSS, MB', aim: '', met: () => true },
  { key: 'faults.expected', label: 'faults: deliveries expected', aim: '', met: () => true },
  { key: 'faults.delivered', label: 'faults: delivered', aim: '', met: () => true },
  { key: 'faults.duplicated', label: 'faults: duplicated', aim: '0', met: (v) => v === 0 },
  { key: 'faults.sentAfterUnsubscribe', label: 'faults: sent after a committed unsubscribe', aim: '0', met: (v) => v === 0 },
  { key: 'faults.sentAfterRestriction', label: 'faults: sent after a committed restriction', aim: '0', met: (v) => v === 0 },
  { key: 'faults.sentAfterErasure', label: 'faults: sent after a committed erasure', aim: '0', met: (v) => v === 0 },
  { key: 'faults.ambiguous', label: 'faults: ambiguous (counted, never resent)', aim: 'counted', met: () => true },
  { key: 'faults.lost', label: 'faults: lost', aim: '0', met: (v) => v === 0 },
];

export async function readPrevious(): Promise<Results> {
  return JSON.parse(await readFile(LATEST_JSON, 'utf8').catch(() => '{}')) as Results;
}

export async function writeLatest(results: Results): Promise<void> {
  await mkdir(path.dirname(LATEST_JSON), { recursive: true });
  await writeFile(LATEST_JSON, `${JSON.stringify(results, null, 2)}\n`);
}

export function printTable(results: Results, ran: string[]): void {
  const rows = AIMS.filter((a) => ran.includes(a.key.split('.')[0]!)).flatMap((a) => {
    const value = lookup(results, a.key);
    if (typeof value !== 'number') return [];
    return [{ figure: a.label, value, aim: a.aim, met: a.aim ? (a.met(value) ? 'yes' : 'NO') : '' }];
  });
  console.table(rows);
}

export async function machine(): Promise<Record<string, unknown>> {
  const cpus = os.cpus();
  return {
    cpuModel: cpus[0]?.model ?? 'unknown',
    cores: cpus.length,
    memGb: Math.round(os.totalmem() / 2 ** 30),
    // Other work on the machine skews every figure; this says how busy it was when the run began.
    loadAverage1m: Math.round(os.loadavg()[0]! * 100) / 100,
    platform: `${os.platform()} ${os.release()}`,
    node: process.version,
    mongoose: await packageVersion('mongoose'),
    bullmq: await packageVersion('bullmq'),
    ioredis: await packageVersion('ioredis'),
    nodemailer: await packageVersion('nodemailer'),
    express: await packageVersion('express'),
    autocannon: await packageVersion('autocannon'),
    // The embedded FerretDB (with the _id lookup patch of src/infra/ferretdb.ts), or the server named.
    database: process.env.MONGODB_URI ? 'MONGODB_URI (external server)' : `FerretDB ${await ferretDbVersion()} (SQLite), embedded`,
    redis: await redisVersion(),
    date: new Date().toISOString(),
  };
}

function lookup(results: Results, key: string): unknown {
  return key.split('.').reduce<unknown>((node, part) => (node as Record<string, unknown> | undefined)?.[part], results);
}

/** The FerretDB version the embedded build pins, as ferretdb/go.mod names it. */
async function ferretDbVersion(): Promise<string> {
  const goMod = await readFile(path.join(ROOT_DIR, 'ferretdb', 'go.mod'), 'utf8');
  return /^require github\.com\/FerretDB\/FerretDB (\S+)/m.exec(goMod)?.[1] ?? 'unknown';
}

async function packageVersion(name: string): Promise<string> {
  const text = await readFile(path.join(ROOT_DIR, 'node_modules', name, 'package.json'), 'utf8').catch(() => '{}');
  return (JSON.parse(text) as { version?: string }).version ?? 'unknown';
}

async function redisVersion(): Promise<string> {
  const { stdout } = await promisify(execFile)('redis-server', ['--version']).catch(() => ({ stdout: '' }));
  return /v=(\S+)/.exec(stdout)?.[1] ?? 'unknown';
}
