// The hash of one consent event in its person's chain, format 1 (docs/ledger.md says the same in
// words, for someone who re-implements it). Pure: no database, no clock.
//
//   hash = SHA-256( prevHash ‖ canonical(event without erasable fields) ‖ HMAC(LEDGER_KEY, canonical(_id + erasable fields)) )
//
// prevHash and the digest are 64 lower-case hex characters each, so the plain concatenation of the
// three strings (UTF-8) cannot be read two ways. Erasure strips the erasable fields and keeps the
// stored digest, so an erased person's chain still verifies and holds nothing that identifies them.
import { createHash, createHmac } from 'node:crypto';
import type { ObjectId } from 'mongodb';

export const CHAIN_FORMAT = 1;

/** prevHash of a chain's first event (seq 0). */
export const GENESIS_HASH = '0'.repeat(64);

/**
 * What erasure and retention strip from an event (ConsentLedger.anonymise): the fields that say who
 * the person was. A new field that identifies someone belongs here, or erasure would break the chain.
 */
export const ERASABLE_FIELDS = ['subscriberId', 'subscriptionId', 'ip', 'forwardedFor', 'userAgent', 'messageId', 'note'] as const;

/** Chain fields themselves, and the flag erasure sets: never part of the canonical form. */
const OUTSIDE_CANONICAL = new Set(['prevHash', 'hash', 'erasableDigest', 'anonymised']);
const ERASABLE = new Set<string>(ERASABLE_FIELDS);

/** The chain's fields on a stored event. */
export interface ChainFields {
  chainFormat: number;
  seq: number;
  /** `<emailHash>:<seq>`: unique, so two writers cannot both take one place in a chain. */
  chainLink: string;
  prevHash: string;
  erasableDigest: string;
  hash: string;
}

export type RawEvent = { _id: ObjectId; emailHash: string } & Record<string, unknown>;

export function chainLinkOf(emailHash: string, seq: number): string {
  return `${emailHash}:${seq}`;
}

/**
 * Canonical JSON, version 1: object keys sorted (by UTF-16 code unit; every key is ASCII), no
 * whitespace, members whose value is null or undefined left out, ObjectIds as 24 lower-case hex
 * characters, dates as UTC ISO 8601 with milliseconds, integers as JSON numbers; a number that is
 * not an integer (the ledger writes none) as a JSON string of its shortest decimal form.
 */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(canonicalValue(value));
}

function canonicalValue(value: unknown): unknown {
  if (value === null || value === undefined) return undefined;
  if (typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error('the canonical form has no NaN or infinity');
    return Number.isInteger(value) ? value : String(value);
  }
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map((v) => canonicalValue(v) ?? null);
  if (isObjectId(value)) return value.toHexString();
  if (typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      const v = canonicalValue((value as Record<string, unknown>)[key]);
      if (v !== undefined) out[key] = v;
    }
    return out;
  }
  throw new Error(`the canonical form has no ${typeof value}`);
}

function isObjectId(value: unknown): value is { toHexString(): string } {
  return typeof value === 'object' && value !== null && (value as { _bsontype?: string })._bsontype === 'ObjectId';
}

/** The event as hashed in the clear: everything but the chain's own hashes and the erasable fields. */
export function canonicalCore(event: Record<string, unknown>): string {
  const core: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(event)) if (!OUTSIDE_CANONICAL.has(key) && !ERASABLE.has(key)) core[key] = value;
  return canonicalJson(core);
}

/** The erasable fields the event still has, with its _id (equal values in two events give two digests). */
export function erasablePart(event: Record<string, unknown>): Record<string, unknown> {
  const part: Record<string, unknown> = { _id: event._id };
  for (const key of ERASABLE_FIELDS) if (event[key] !== undefined && event[key] !== null) part[key] = event[key];
  return part;
}

export function hasErasableFields(event: Record<string, unknown>): boolean {
  return ERASABLE_FIELDS.some((key) => event[key] !== undefined && event[key] !== null);
}

export function erasableDigest(event: Record<string, unknown>, ledgerKey: string): string {
  return createHmac('sha256', ledgerKey).update(canonicalJson(erasablePart(event))).digest('hex');
}

export function linkHash(prevHash: string, canonical: string, digest: string): string {
  return createHash('sha256').update(prevHash + canonical + digest, 'utf8').digest('hex');
}

/** The chain fields of `event` at `seq` after `prevHash`. */
export function chainFieldsFor(event: RawEvent, seq: number, prevHash: string, ledgerKey: string): ChainFields {
  const linked = { ...event, chainFormat: CHAIN_FORMAT, seq, chainLink: chainLinkOf(event.emailHash, seq) };
  const digest = erasableDigest(linked, ledgerKey);
  return {
    chainFormat: CHAIN_FORMAT,
    seq,
    chainLink: linked.chainLink,
    prevHash,
    erasableDigest: digest,
    hash: linkHash(prevHash, canonicalCore(linked), digest),
  };
}
