// One set of embedded services per data directory. The first process to start them writes
// `var/services.json` (created exclusively: it is the lock) with its pid and, once they are up, their
// URLs. A later process finds the file: while that pid lives it reuses the recorded services when
// the owner shares them (`npm run dev`, `npm start`, `npm run workers`), and refuses to start a second
// FerretDB or redis-server on the same files otherwise (a CLI command holding them for a moment).
// A file left by a process that died is taken over.
import { link, readFile, rename, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';

export interface ServiceUrls {
  mongodbUri?: string;
  redisUrl?: string;
  smtpUrl?: string;
}

export interface ServiceRecord extends ServiceUrls {
  pid: number;
  /** How the owner was started, for the messages of those that find it (`npm run dev`). */
  command: string;
  shared: boolean;
  /** Unset while the owner is still starting its services. */
  ready: boolean;
  startedAt: string;
}

export type Lease =
  | { kind: 'owner'; publish(urls: ServiceUrls): Promise<void>; release(): Promise<void> }
  | { kind: 'guest'; owner: ServiceRecord };

export class ServicesBusyError extends Error {
  constructor(readonly owner: ServiceRecord, file: string) {
    super(
      `${file} says ${owner.command} (pid ${owner.pid}) runs the embedded services on this data directory and does not share them; ` +
        'wait for it to finish, or name the services (MONGODB_URI, REDIS_URL, SMTP_URL)',
    );
    this.name = 'ServicesBusyError';
  }
}

export interface LeaseOptions {
  varDir: string;
  command: string;
  shared: boolean;
  /** How long to wait for an owner that is still starting (the first FerretDB build takes minutes). */
  waitForReadyMs?: number;
  pid?: number;
  isAlive?: (pid: number) => boolean;
}

export const SERVICES_FILE = 'services.json';
const POLL_MS = 250;

export async function leaseServices(opts: LeaseOptions): Promise<Lease> {
  const file = path.join(opts.varDir, SERVICES_FILE);
  const pid = opts.pid ?? process.pid;
  const isAlive = opts.isAlive ?? processIsAlive;
  const deadline = Date.now() + (opts.waitForReadyMs ?? 10 * 60_000);
  for (;;) {
    const mine: ServiceRecord = { pid, command: opts.command, shared: opts.shared, ready: false, startedAt: new Date().toISOString() };
    if (await createExclusively(file, mine)) return ownerLease(file, mine);
    const found = await readRecord(file);
    if (found && found.pid !== pid && isAlive(found.pid)) {
      if (!found.shared) throw new ServicesBusyError(found, file);
      if (found.ready) return { kind: 'guest', owner: found };
      if (Date.now() > deadline) throw new Error(`${found.command} (pid ${found.pid}) has been starting the embedded services for too long (${file})`);
      await sleep(POLL_MS);
      continue;
    }
    // Left by a process that died, or unreadable: take it over. (Two processes started in the same
    // instant after a crash could both take over; starting by hand, that does not happen.)
    await unlink(file).catch(() => undefined);
  }
}

function ownerLease(file: string, mine: ServiceRecord): Lease {
  return {
    kind: 'owner',
    publish: async (urls) => {
      const tmp = `${file}.${mine.pid}.tmp`;
      await writeFile(tmp, JSON.stringify({ ...mine, ...urls, ready: true }, null, 2));
      // A rename replaces the content in one step: a reader sees the old record or the new one.
      await rename(tmp, file);
    },
    release: async () => {
      const found = await readRecord(file);
      if (found?.pid === mine.pid) await unlink(file).catch(() => undefined);
    },
  };
}

/** Written aside and hard-linked into place: the lock never exists half-written, and link fails when it exists. */
async function createExclusively(file: string, record: ServiceRecord): Promise<boolean> {
  const tmp = `${file}.${record.pid}.new`;
  await writeFile(tmp, JSON.stringify(record, null, 2));
  try {
    await link(tmp, file);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw err;
  } finally {
    await unlink(tmp).catch(() => undefined);
  }
}

async function readRecord(file: string): Promise<ServiceRecord | undefined> {
  try {
    const parsed = JSON.parse(await readFile(file, 'utf8')) as Partial<ServiceRecord>;
    return typeof parsed.pid === 'number' && typeof parsed.command === 'string' ? (parsed as ServiceRecord) : undefined;
  } catch {
    return undefined;
  }
}

function processIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it lives, under another user.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
