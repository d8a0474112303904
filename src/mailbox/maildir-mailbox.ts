// The mailbox port on a local Maildir, the development default: new/ cur/ tmp/, with the Processed
// and Review folders as Maildir++ subfolders (.Processed, .Review). IMAP promises the poller UIDs
// that never change while UIDVALIDITY holds, and its (mailbox, UIDVALIDITY:UID) dedupe relies on
// it; here a uidlist file in the Maildir keeps that promise: a counter that only grows and the UID
// of every message still in the inbox, keyed by inode and the unique part of its file name (what a
// mail client keeps when it moves new/x to cur/x:2,S). Deleting the uidlist starts a new UIDVALIDITY.
import { randomBytes } from 'node:crypto';
import { link, mkdir, open, readdir, readFile, rename, stat, unlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Logger } from '../logger';
import { MAX_SOURCE_BYTES, PROCESSED_FOLDER, REVIEW_FOLDER, type Mailbox, type MailboxSession, type TargetFolder, type WaitingMessage } from './imap-mailbox';

const UIDLIST_FILE = 'ejaunumi-uidlist.json';
/** A file written to this recently may still be growing (copied into new/ by hand): it waits for the next poll. */
const SETTLE_MS = 1000;
const FOLDERS: TargetFolder[] = [PROCESSED_FOLDER, REVIEW_FOLDER];

interface UidList {
  uidValidity: string;
  nextUid: number;
  /** "inode/unique name" → UID, for the messages in new/ and cur/ at the last look. */
  uids: Record<string, number>;
}

/** Creates the Maildir and its Maildir++ folders where missing. */
export async function ensureMaildir(root: string): Promise<void> {
  await Promise.all(['tmp', 'new', 'cur'].map((d) => mkdir(path.join(root, d), { recursive: true })));
  for (const folder of FOLDERS) await ensureFolder(root, folder);
}

/** A Maildir++ subfolder; MAILBOX_PROCESSED_FOLDER may name one the defaults did not create. */
async function ensureFolder(root: string, folder: TargetFolder): Promise<void> {
  const dir = path.join(root, `.${folder}`);
  await Promise.all(['tmp', 'new', 'cur'].map((d) => mkdir(path.join(dir, d), { recursive: true })));
  await writeFile(path.join(dir, 'maildirfolder'), '', { flag: 'a' });
}

let deliveries = 0;

/** A Maildir unique name: time, microseconds, pid, a per-process counter, randomness, host. */
export function maildirUniqueName(now = Date.now()): string {
  const host = os.hostname().replace(/\//g, '\\057').replace(/:/g, '\\072');
  return `${Math.floor(now / 1000)}.M${(now % 1000) * 1000}P${process.pid}Q${++deliveries}R${randomBytes(6).toString('hex')}.${host}`;
}

/** Standard Maildir delivery: written and synced in tmp/, then renamed into new/, so a reader never sees half a message. */
export async function deliverToMaildir(root: string, raw: Buffer): Promise<string> {
  await ensureMaildir(root);
  const name = maildirUniqueName();
  const tmp = path.join(root, 'tmp', name);
  try {
    const handle = await open(tmp, 'wx');
    try {
      await handle.writeFile(raw);
      await handle.sync();
    } finally {
      await handle.close();
    }
    const target = path.join(root, 'new', name);
    await rename(tmp, target);
    return target;
  } catch (err) {
    await unlink(tmp).catch(() => undefined);
    throw err;
  }
}

export class MaildirMailbox implements Mailbox {
  constructor(private readonly deps: { root: string; logger: Logger; settleMs?: number }) {}

  async session<T>(work: (session: MailboxSession) => Promise<T>): Promise<T> {
    const { root } = this.deps;
    await ensureMaildir(root);
    return work(new MaildirSession(root, await this.loadUidList(), this.deps.settleMs ?? SETTLE_MS, this.deps.logger));
  }

  /** The stored uidlist; a missing or unreadable one starts a new UIDVALIDITY, created exclusively. */
  private async loadUidList(): Promise<UidList> {
    const file = path.join(this.deps.root, UIDLIST_FILE);
    const stored = await readUidList(file);
    if (stored !== 'missing' && stored !== 'broken') return stored;
    // Milliseconds: a uidlist recreated later must never repeat an earlier UIDVALIDITY.
    const fresh: UidList = { uidValidity: String(Date.now()), nextUid: 1, uids: {} };
    if (stored === 'broken') {
      this.deps.logger.warn({ file }, 'maildir uidlist unreadable: starting a new UIDVALIDITY');
      await writeAtomically(this.deps.root, file, fresh);
      return fresh;
    }
    // Two sessions starting together must agree on one UIDVALIDITY: link() fails if the file exists.
    const tmp = path.join(this.deps.root, 'tmp', maildirUniqueName());
    await writeFile(tmp, JSON.stringify(fresh));
    try {
      await link(tmp, file);
      return fresh;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const other = await readUidList(file);
      if (other === 'missing' || other === 'broken') throw new Error(`maildir uidlist ${file} changed while it was created`);
      return other;
    } finally {
      await unlink(tmp).catch(() => undefined);
    }
  }
}

interface Located {
  dir: 'new' | 'cur';
  name: string;
}

/**
 * A message file and its uidlist key: inode and unique name together. A client's rename from new/x
 * to cur/x:2,S keeps both, so the UID stays; a copy under the same name, or a new file on a reused
 * inode, differs in one of them, so it can never inherit another message's UID (the poller would
 * take it for that message, already handled).
 */
interface Found {
  key: string;
  at: Located;
  receivedAt: Date;
}

class MaildirSession implements MailboxSession {
  readonly name: string;
  readonly uidValidity: string;
  private readonly located = new Map<number, Located>();

  constructor(
    private readonly root: string,
    private readonly uidList: UidList,
    private readonly settleMs: number,
    private readonly logger: Logger,
  ) {
    this.name = `maildir:${root}`;
    this.uidValidity = uidList.uidValidity;
  }

  async waiting(): Promise<WaitingMessage[]> {
    const present = new Map<string, Found>();
    // A hard link of one message in new/ and cur/ is one message: the first place wins.
    for (const f of await this.scan()) if (!present.has(f.key)) present.set(f.key, f);
    const list = this.uidList;
    const before = JSON.stringify(list);
    const kept: Record<string, number> = {};
    for (const key of present.keys()) if (list.uids[key] !== undefined) kept[key] = list.uids[key]!;
    const now = Date.now();
    const settled = (f: Found) => {
      const age = now - f.receivedAt.getTime();
      return age < 0 || age >= this.settleMs;
    };
    // New arrivals get UIDs in the order they arrived, as an IMAP server would give them.
    const fresh = [...present.values()]
      .filter((f) => kept[f.key] === undefined && settled(f))
      .sort((a, b) => a.receivedAt.getTime() - b.receivedAt.getTime() || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    for (const f of fresh) kept[f.key] = list.nextUid++;
    list.uids = kept;
    // The UIDs are handed out only once they are stored: a crash must not give them away twice.
    if (JSON.stringify(list) !== before) await writeAtomically(this.root, path.join(this.root, UIDLIST_FILE), list);

    this.located.clear();
    const out: WaitingMessage[] = [];
    for (const f of present.values()) {
      const uid = kept[f.key];
      if (uid === undefined || !settled(f)) continue;
      this.located.set(uid, f.at);
      out.push({ uid, receivedAt: f.receivedAt });
    }
    return out.sort((a, b) => a.uid - b.uid);
  }

  async source(uid: number): Promise<Buffer | undefined> {
    const at = await this.locate(uid);
    if (!at) return undefined;
    try {
      return await readCapped(path.join(this.root, at.dir, at.name), MAX_SOURCE_BYTES);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw err;
    }
  }

  async move(uid: number, folder: TargetFolder): Promise<void> {
    const at = await this.locate(uid);
    if (!at) throw new Error(`UID ${uid} is no longer in ${this.root}`);
    if (folder.includes('/') || folder.startsWith('.')) throw new Error(`not a Maildir++ folder name: ${folder}`);
    await ensureFolder(this.root, folder);
    const flags = at.dir === 'cur' ? (/:2,([A-Za-z]*)$/.exec(at.name)?.[1] ?? '') : '';
    let unique = uniquePart(at.name);
    let target = path.join(this.root, `.${folder}`, 'cur', `${unique}:2,${flags}`);
    // rename() replaces silently: a same-named message moved there earlier must stay.
    if (await exists(target)) {
      unique = `${unique}.${randomBytes(4).toString('hex')}`;
      target = path.join(this.root, `.${folder}`, 'cur', `${unique}:2,${flags}`);
    }
    await rename(path.join(this.root, at.dir, at.name), target);
    this.located.delete(uid);
  }

  /** Where the message is; a mail client may have moved it from new/ to cur/ since waiting(). */
  private async locate(uid: number): Promise<Located | undefined> {
    const at = this.located.get(uid);
    if (at && (await exists(path.join(this.root, at.dir, at.name)))) return at;
    const key = Object.entries(this.uidList.uids).find(([, u]) => u === uid)?.[0];
    if (key === undefined) return undefined;
    const again = (await this.scan()).find((f) => f.key === key);
    if (again) this.located.set(uid, again.at);
    return again?.at;
  }

  /**
   * Messages in new/ and cur/. Skipped: dot files (editors' and copy tools' temporaries), anything
   * but a regular file, and empty files (one still being written by hand; a complete message is
   * never empty). tmp/ is never read: Maildir writers finish there first. waiting() also leaves
   * files modified in the last SETTLE_MS for the next poll.
   */
  private async scan(): Promise<Found[]> {
    const out: Found[] = [];
    for (const dir of ['new', 'cur'] as const) {
      const names = await readdir(path.join(this.root, dir)).catch(() => [] as string[]);
      for (const name of names) {
        if (name.startsWith('.')) continue;
        const info = await stat(path.join(this.root, dir, name), { bigint: true }).catch(() => undefined);
        if (!info?.isFile() || info.size === 0n) continue;
        out.push({ key: `${info.ino}/${uniquePart(name)}`, at: { dir, name }, receivedAt: info.mtime });
      }
    }
    if (out.length > 0) this.logger.debug({ count: out.length }, 'maildir messages found');
    return out;
  }
}

function uniquePart(name: string): string {
  const colon = name.indexOf(':');
  return colon < 0 ? name : name.slice(0, colon);
}

async function readUidList(file: string): Promise<UidList | 'missing' | 'broken'> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return 'missing';
    throw err;
  }
  try {
    const v = JSON.parse(text) as Partial<UidList>;
    const valid =
      typeof v.uidValidity === 'string' &&
      Number.isSafeInteger(v.nextUid) &&
      typeof v.uids === 'object' &&
      v.uids !== null &&
      Object.values(v.uids).every((u) => Number.isSafeInteger(u) && u > 0 && u < v.nextUid!);
    return valid ? (v as UidList) : 'broken';
  } catch {
    return 'broken';
  }
}

/** Written in tmp/ and renamed over the old file: a crash leaves the old list or the new, never half. */
async function writeAtomically(root: string, file: string, list: UidList): Promise<void> {
  const tmp = path.join(root, 'tmp', maildirUniqueName());
  await writeFile(tmp, JSON.stringify(list));
  await rename(tmp, file);
}

async function readCapped(file: string, max: number): Promise<Buffer> {
  const handle = await open(file, 'r');
  try {
    const { size } = await handle.stat();
    const buffer = Buffer.alloc(Math.min(size, max));
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

async function exists(file: string): Promise<boolean> {
  return stat(file).then(
    () => true,
    () => false,
  );
}
