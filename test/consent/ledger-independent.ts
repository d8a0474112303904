// A second implementation of docs/ledger.md, written from the document with node:crypto alone and
// sharing no code with src/: the tests check the product's chains, anchors and proofs against it.
import { createHash, createHmac } from 'node:crypto';

type Doc = Record<string, any>;

const NOT_HASHED = ['prevHash', 'hash', 'erasableDigest', 'anonymised'];
const ERASABLE = ['subscriberId', 'subscriptionId', 'ip', 'forwardedFor', 'userAgent', 'messageId', 'note'];

function canon(v: any): any {
  if (v === null || v === undefined) return undefined;
  if (v instanceof Date) return v.toISOString();
  if (typeof v === 'object' && v._bsontype === 'ObjectId') return v.toHexString();
  if (Array.isArray(v)) return v.map((x) => canon(x) ?? null);
  if (typeof v === 'number') return Number.isInteger(v) ? v : String(v);
  if (typeof v === 'object') {
    const out: Doc = {};
    for (const k of Object.keys(v).sort()) if (canon(v[k]) !== undefined) out[k] = canon(v[k]);
    return out;
  }
  return v;
}

const json = (v: any) => JSON.stringify(canon(v));
const sha = (...parts: Array<string | Buffer>) => parts.reduce((h, p) => h.update(p), createHash('sha256')).digest();

export function canonicalOf(event: Doc): string {
  return json(Object.fromEntries(Object.entries(event).filter(([k]) => !NOT_HASHED.includes(k) && !ERASABLE.includes(k))));
}

export function digestOf(event: Doc, ledgerKey: string): string {
  const part: Doc = { _id: event._id };
  for (const k of ERASABLE) if (event[k] !== undefined && event[k] !== null) part[k] = event[k];
  return createHmac('sha256', ledgerKey).update(json(part)).digest('hex');
}

/** Checks one person's raw events; returns the head, or the id of the first event that fails. */
export function checkChain(events: Doc[], ledgerKey: string): { head?: { seq: number; hash: string }; firstBad?: string } {
  const sorted = [...events].sort((a, b) => (a.seq ?? Infinity) - (b.seq ?? Infinity));
  let prev = '0'.repeat(64);
  for (const [i, e] of sorted.entries()) {
    const erased = e.anonymised === true && !ERASABLE.some((k) => e[k] !== undefined && e[k] !== null);
    const digestOk = erased || digestOf(e, ledgerKey) === e.erasableDigest;
    const hash = createHash('sha256').update(prev + canonicalOf(e) + e.erasableDigest, 'utf8').digest('hex');
    if (e.seq !== i || e.prevHash !== prev || !digestOk || hash !== e.hash) return { firstBad: String(e._id) };
    prev = e.hash;
  }
  const last = sorted[sorted.length - 1];
  return { head: last ? { seq: last.seq, hash: last.hash } : undefined };
}

export function leaf(key: string, seq: number, hash: string): Buffer {
  return sha(Buffer.from([0]), Buffer.from(`${key}:${seq}:${hash}`, 'utf8'));
}

export function rootOf(heads: Array<{ key: string; seq: number; hash: string }>): string {
  let level = [...heads].sort((a, b) => (a.key < b.key ? -1 : 1)).map((h) => leaf(h.key, h.seq, h.hash));
  if (level.length === 0) return sha().toString('hex');
  while (level.length > 1) {
    const up: Buffer[] = [];
    for (let i = 0; i < level.length; i += 2) up.push(level[i + 1] ? sha(Buffer.from([1]), level[i]!, level[i + 1]!) : level[i]!);
    level = up;
  }
  return level[0]!.toString('hex');
}

export function rootFromPath(l: { key: string; seq: number; hash: string }, path: Array<{ side: string; hash: string }>): string {
  let h = leaf(l.key, l.seq, l.hash);
  for (const step of path) {
    const s = Buffer.from(step.hash, 'hex');
    h = step.side === 'left' ? sha(Buffer.from([1]), s, h) : sha(Buffer.from([1]), h, s);
  }
  return h.toString('hex');
}
