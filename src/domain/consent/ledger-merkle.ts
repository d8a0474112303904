// The daily anchor's Merkle tree over every chain head, and inclusion proofs (docs/ledger.md). Pure.
//
// leaf = SHA-256(0x00 ‖ UTF-8 "<subscriber key>:<seq>:<head hash>"), leaves sorted by subscriber key;
// node = SHA-256(0x01 ‖ left ‖ right) over the 32-byte values; an odd last node goes up a level as it
// is. The prefixes keep a leaf from passing for a node. The root of no leaves is SHA-256 of nothing.
import { createHash } from 'node:crypto';

export interface ChainHead {
  key: string;
  seq: number;
  hash: string;
}

export interface ProofStep {
  /** Where the sibling stands: `left` means hash(sibling ‖ current). */
  side: 'left' | 'right';
  hash: string;
}

export function leafHash(head: ChainHead): Buffer {
  return createHash('sha256').update(Buffer.from([0])).update(`${head.key}:${head.seq}:${head.hash}`, 'utf8').digest();
}

function nodeHash(left: Buffer, right: Buffer): Buffer {
  return createHash('sha256').update(Buffer.from([1])).update(left).update(right).digest();
}

function nextLevel(level: Buffer[]): Buffer[] {
  const up: Buffer[] = [];
  for (let i = 0; i < level.length; i += 2) up.push(i + 1 < level.length ? nodeHash(level[i]!, level[i + 1]!) : level[i]!);
  return up;
}

export function sortHeads(heads: ChainHead[]): ChainHead[] {
  return [...heads].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

/** Root of heads already sorted by key. */
export function merkleRoot(sortedHeads: ChainHead[]): string {
  if (sortedHeads.length === 0) return createHash('sha256').digest('hex');
  let level = sortedHeads.map(leafHash);
  while (level.length > 1) level = nextLevel(level);
  return level[0]!.toString('hex');
}

/** The path from leaf `index` of heads sorted by key up to the root. */
export function inclusionProof(sortedHeads: ChainHead[], index: number): ProofStep[] {
  if (index < 0 || index >= sortedHeads.length) throw new Error('no such leaf');
  const path: ProofStep[] = [];
  let level = sortedHeads.map(leafHash);
  let i = index;
  while (level.length > 1) {
    const sibling = i % 2 === 0 ? i + 1 : i - 1;
    if (sibling < level.length) path.push({ side: i % 2 === 0 ? 'right' : 'left', hash: level[sibling]!.toString('hex') });
    level = nextLevel(level);
    i = Math.floor(i / 2);
  }
  return path;
}

export function rootFromProof(head: ChainHead, path: ProofStep[]): string {
  let current = leafHash(head);
  for (const step of path) {
    const sibling = Buffer.from(step.hash, 'hex');
    current = step.side === 'left' ? nodeHash(sibling, current) : nodeHash(current, sibling);
  }
  return current.toString('hex');
}
