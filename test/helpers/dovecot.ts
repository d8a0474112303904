// A throwaway Dovecot IMAP server for integration tests: its own temp dir, config, port and log.
// Needs root and Debian's dovecot-imapd (scripts/install-system-deps.sh); never touches the system
// instance (/etc/dovecot, /run/dovecot). The mail user runs as the `dovecot` system user, because
// Dovecot refuses to serve mail as root.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { chmod, chown, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { ImapFlow } from 'imapflow';

const DOVECOT_BIN = '/usr/sbin/dovecot';
const READY_TIMEOUT_MS = 15_000;
const STOP_TIMEOUT_MS = 10_000;
const START_ATTEMPTS = 3; // a port found free can be taken before Dovecot binds it

export interface DovecotMessage {
  uid: number;
  messageId?: string;
  subject?: string;
}

export interface DovecotServer {
  host: '127.0.0.1';
  port: number;
  user: string;
  password: string;
  /** imap://user:pass@127.0.0.1:PORT/INBOX */
  url: string;
  /** The instance's temp dir: config, log, run/, state/, home/Maildir. Removed by stop(). */
  dir: string;
  /** PID of the Dovecot master process (gone once stop() resolves). */
  pid: number;
  append(mailbox: string, raw: string | Buffer, flags?: string[]): Promise<void>;
  list(mailbox: string): Promise<DovecotMessage[]>;
  /** Stops the master and its children, removes dir. Safe to call twice. */
  stop(): Promise<void>;
}

/** True when Debian's Dovecot binary is installed (tests skip otherwise). */
export function dovecotAvailable(): boolean {
  return existsSync(DOVECOT_BIN);
}

// Instances still running when the test process exits are killed and their dirs removed.
const live = new Map<number, string>();
process.once('exit', () => {
  for (const [pid, dir] of live) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
    rmSync(dir, { recursive: true, force: true });
  }
});

export async function startDovecot(opts: { user?: string; password?: string } = {}): Promise<DovecotServer> {
  if (!dovecotAvailable()) {
    throw new Error(`${DOVECOT_BIN} not found: run scripts/install-system-deps.sh (as root)`);
  }
  if (typeof process.getuid === 'function' && process.getuid() !== 0) {
    throw new Error('startDovecot needs root (Dovecot switches to the dovecot/dovenull users)');
  }
  const user = opts.user ?? 'impro';
  const password = opts.password ?? 'test-password';
  for (const [name, value] of [['user', user], ['password', password]] as const) {
    if (value === '' || /[:\s\\"]/.test(value)) {
      throw new Error(`startDovecot: ${name} must be non-empty, without ':', '\\', '"' or whitespace`);
    }
  }
  const mailUid = systemUser('dovecot');

  let lastError: Error | undefined;
  for (let attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'ejaunumi-dovecot-'));
    try {
      return await startInstance(dir, user, password, mailUid);
    } catch (err) {
      await rm(dir, { recursive: true, force: true });
      lastError = err as Error;
      if (!(err instanceof PortTakenError)) throw err;
    }
  }
  throw lastError ?? new Error('startDovecot: failed');
}

class PortTakenError extends Error {}

async function startInstance(
  dir: string,
  user: string,
  password: string,
  mail: { uid: number; gid: number },
): Promise<DovecotServer> {
  const id = randomBytes(4).toString('hex');
  const greeting = `e-Jaunumi test IMAP ${id} ready.`;
  const home = path.join(dir, 'home');
  const logPath = path.join(dir, 'dovecot.log');
  const confPath = path.join(dir, 'dovecot.conf');
  const usersPath = path.join(dir, 'users');
  const baseDir = path.join(dir, 'run');

  // The temp dir must be traversable by the unprivileged Dovecot processes.
  await chmod(dir, 0o755);
  await mkdir(path.join(dir, 'state'), { mode: 0o755 });
  await mkdir(home, { mode: 0o700 });
  await chown(home, mail.uid, mail.gid);
  // passwd-file: user:password:uid:gid:gecos:home:shell:extra — read by the auth process.
  await writeFile(usersPath, `${user}:{PLAIN}${password}:${mail.uid}:${mail.gid}::${home}::\n`, { mode: 0o600 });
  await chown(usersPath, mail.uid, mail.gid);

  const port = await freePort();
  await writeFile(confPath, config({ id, dir, home, logPath, usersPath, baseDir, port, greeting, mail }));

  const child = spawn(DOVECOT_BIN, ['-F', '-c', confPath], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-4000);
  });
  const exited = new Promise<number | null>((resolve) => {
    child.once('exit', (code, signal) => resolve(code ?? (signal ? -1 : null)));
    child.once('error', () => resolve(-1));
  });
  if (child.pid === undefined) {
    throw new Error(`startDovecot: could not spawn ${DOVECOT_BIN}: ${stderr}`);
  }
  const pid = child.pid;
  live.set(pid, dir);

  const ready = await waitReady(port, greeting, exited);
  if (ready !== 'ready') {
    await stopMaster(child, exited);
    live.delete(pid);
    const log = await tail(logPath);
    const details = `\n--- dovecot stderr ---\n${stderr.trim()}\n--- tail of ${logPath} ---\n${log}`;
    if (/address already in use/i.test(stderr + log)) {
      throw new PortTakenError(`startDovecot: port ${port} taken before Dovecot bound it${details}`);
    }
    const why = ready === 'exited' ? 'Dovecot exited during start-up' : `no IMAP greeting within ${READY_TIMEOUT_MS} ms`;
    throw new Error(`startDovecot: ${why} (port ${port}, config ${confPath})${details}`);
  }

  const connect = async (): Promise<ImapFlow> => {
    const client = new ImapFlow({ host: '127.0.0.1', port, secure: false, auth: { user, pass: password }, logger: false });
    client.on('error', () => {
      // surfaced by the pending command's rejection
    });
    await client.connect();
    return client;
  };
  const withClient = async <T>(fn: (client: ImapFlow) => Promise<T>): Promise<T> => {
    const client = await connect();
    try {
      return await fn(client);
    } finally {
      await client.logout().catch(() => client.close());
    }
  };

  let stopping: Promise<void> | undefined;
  return {
    host: '127.0.0.1',
    port,
    user,
    password,
    url: `imap://${encodeURIComponent(user)}:${encodeURIComponent(password)}@127.0.0.1:${port}/INBOX`,
    dir,
    pid,
    append: (mailbox, raw, flags) =>
      withClient(async (client) => {
        const res = await client.append(mailbox, raw, flags);
        if (res === false) throw new Error(`APPEND to ${mailbox} failed`);
      }),
    list: (mailbox) =>
      withClient(async (client) => {
        const box = await client.mailboxOpen(mailbox, { readOnly: true });
        if (box.exists === 0) return [];
        const messages = await client.fetchAll('1:*', { uid: true, envelope: true });
        return messages
          .map((m) => ({ uid: m.uid, messageId: m.envelope?.messageId, subject: m.envelope?.subject }))
          .sort((a, b) => a.uid - b.uid);
      }),
    stop: () => {
      stopping ??= (async () => {
        try {
          await stopMaster(child, exited);
        } finally {
          live.delete(pid);
          await rm(dir, { recursive: true, force: true });
        }
      })();
      return stopping;
    },
  };
}

function config(c: {
  id: string;
  dir: string;
  home: string;
  logPath: string;
  usersPath: string;
  baseDir: string;
  port: number;
  greeting: string;
  mail: { uid: number; gid: number };
}): string {
  return `# Generated by test/helpers/dovecot.ts — one throwaway test instance.
instance_name = ejaunumi-test-${c.id}
base_dir = ${c.baseDir}
state_dir = ${c.dir}/state
log_path = ${c.logPath}
info_log_path = ${c.logPath}
debug_log_path = ${c.logPath}
login_greeting = ${c.greeting}

protocols = imap
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
auth_failure_delay = 0
default_login_user = dovenull
default_internal_user = dovecot
first_valid_uid = ${c.mail.uid}
first_valid_gid = ${c.mail.gid}
mail_location = maildir:${c.home}/Maildir
mail_fsync = never

passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%u ${c.usersPath}
}
userdb {
  driver = passwd-file
  args = username_format=%u ${c.usersPath}
}

namespace inbox {
  inbox = yes
  separator = /
  prefix =
  mailbox Processed {
    auto = no
  }
  mailbox Review {
    auto = no
  }
}

protocol imap {
  mail_max_userip_connections = 100
}

service imap-login {
  inet_listener imap {
    address = 127.0.0.1
    port = ${c.port}
  }
  inet_listener imaps {
    port = 0
  }
}
`;
}

function systemUser(name: string): { uid: number; gid: number } {
  const res = spawnSync('getent', ['passwd', name], { encoding: 'utf8' });
  const fields = res.stdout?.trim().split(':') ?? [];
  const uid = Number(fields[2]);
  const gid = Number(fields[3]);
  if (res.status !== 0 || !Number.isInteger(uid) || !Number.isInteger(gid)) {
    throw new Error(`startDovecot: system user '${name}' not found (is dovecot-imapd installed?)`);
  }
  return { uid, gid };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

/** Polls for this instance's IMAP greeting; stops early if the master exits. */
async function waitReady(
  port: number,
  greeting: string,
  exited: Promise<number | null>,
): Promise<'ready' | 'exited' | 'timeout'> {
  let hasExited = false;
  void exited.then(() => {
    hasExited = true;
  });
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (hasExited) return 'exited';
    if (await greets(port, greeting)) return 'ready';
    await new Promise((r) => setTimeout(r, 100));
  }
  return hasExited ? 'exited' : 'timeout';
}

function greets(port: number, greeting: string): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    let buf = '';
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1000, () => done(false));
    socket.once('error', () => done(false));
    socket.once('close', () => done(false));
    socket.setEncoding('utf8').on('data', (chunk: string) => {
      buf += chunk;
      const eol = buf.indexOf('\n');
      if (eol >= 0) {
        const line = buf.slice(0, eol);
        done(line.startsWith('* OK') && line.includes(greeting));
      }
    });
  });
}

/** SIGTERM the master (it stops its children), SIGKILL after a timeout; resolves once it is gone. */
async function stopMaster(child: ChildProcess, exited: Promise<number | null>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const timer = new Promise<'timeout'>((r) => setTimeout(r, STOP_TIMEOUT_MS, 'timeout').unref());
  if ((await Promise.race([exited, timer])) === 'timeout') {
    child.kill('SIGKILL');
    await exited;
  }
}

async function tail(file: string, lines = 40): Promise<string> {
  try {
    return (await readFile(file, 'utf8')).trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log written)';
  }
}

// For the helper's own test: the PIDs of a process's descendants, and liveness (Linux /proc).
export function descendants(pid: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc').filter((e) => /^\d+$/.test(e))) {
    const stat = procStat(Number(entry));
    if (!stat) continue;
    const list = children.get(stat.ppid) ?? [];
    list.push(Number(entry));
    children.set(stat.ppid, list);
  }
  const out: number[] = [];
  const queue = [pid];
  while (queue.length > 0) {
    for (const c of children.get(queue.shift()!) ?? []) {
      out.push(c);
      queue.push(c);
    }
  }
  return out;
}

/** True if the process exists and is not a zombie. */
export function processAlive(pid: number): boolean {
  const stat = procStat(pid);
  return stat !== undefined && stat.state !== 'Z' && stat.state !== 'X';
}

function procStat(pid: number): { state: string; ppid: number } | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // "pid (comm) state ppid ..." — comm may contain spaces, so parse after the last ')'.
    const [state, ppid] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { state: state ?? '', ppid: Number(ppid) };
  } catch {
    return undefined; // no such process (or it exited while we read)
  }
}
