// Recomputes consent chains from the raw documents and says where the first one breaks, with the
// event's id: an edited event (its hash or its digest no longer matches), a deleted one (a gap, or
// the next event's prevHash), an inserted one (its digest needs LEDGER_KEY, which the database does
// not hold), a reordering (seq is hashed), an event outside any chain; and, against a day's anchor,
// a chain that lost events the anchor had seen.
import type { Document } from 'mongodb';
import type { Models } from '../../data/models';
import {
  canonicalCore,
  CHAIN_FORMAT,
  erasableDigest,
  GENESIS_HASH,
  hasErasableFields,
  linkHash,
} from './ledger-canonical';
import type { ChainHead } from './ledger-merkle';
import { consentEventQueries } from '../../data/consent-event.queries';

export interface ChainBreak {
  key: string;
  /** The first event whose link does not hold; absent when what is missing is the event itself. */
  eventId?: string;
  seq?: number;
  reason: string;
}

export interface ChainReport {
  key: string;
  events: number;
  /** The last link, when the chain holds up to it. */
  head?: ChainHead;
  broken?: ChainBreak;
}

/** What the walk along a chain needs of an event; the rest is checked on the event alone. */
interface LinkSummary {
  id: string;
  seq?: number;
  prevHash?: string;
  hash?: string;
  /** Why the event fails on its own (its digest, its hash from its own prevHash), if it does. */
  failure?: string;
}

/** The checks that need only the event itself: so a scan of millions keeps a few strings per event. */
function summarise(key: string, e: Document, ledgerKey: string): LinkSummary {
  const summary: LinkSummary = { id: String(e._id), seq: typeof e.seq === 'number' ? e.seq : undefined, prevHash: e.prevHash, hash: e.hash };
  if (summary.seq === undefined) return summary;
  if (e.emailHash !== key) summary.failure = 'the event names another chain';
  else if (e.chainFormat !== CHAIN_FORMAT) summary.failure = `unknown chain format ${String(e.chainFormat)}`;
  else if (!(e.anonymised === true && !hasErasableFields(e)) && erasableDigest(e, ledgerKey) !== e.erasableDigest) {
    summary.failure = 'the erasable fields do not match their digest (edited, or written without the ledger key)';
  } else if (linkHash(String(e.prevHash), canonicalCore(e), String(e.erasableDigest)) !== e.hash) summary.failure = 'the hash does not match the event (edited)';
  return summary;
}

/** Walks a chain in seq order: the first event that is out of place, badly linked or failed on its own. */
function walk(key: string, links: LinkSummary[], anchored?: ChainHead): ChainReport {
  const chained = links.filter((l) => l.seq !== undefined).sort((a, b) => a.seq! - b.seq! || a.id.localeCompare(b.id));
  const report: ChainReport = { key, events: links.length };
  const fail = (reason: string, l?: LinkSummary): ChainReport => ({ ...report, broken: { key, eventId: l?.id, seq: l?.seq, reason } });
  let prev = GENESIS_HASH;
  for (let i = 0; i < chained.length; i++) {
    const l = chained[i]!;
    const seq = l.seq!;
    if (seq !== i) return fail(seq < i ? `a second event at seq ${seq}` : `seq ${i}${seq - 1 > i ? `–${seq - 1}` : ''} missing before this event`, l);
    if (l.prevHash !== prev) return fail('prevHash is not the hash of the event before', l);
    if (l.failure) return fail(l.failure, l);
    prev = l.hash!;
  }
  const outside = links.find((l) => l.seq === undefined);
  if (outside) return fail('the event is not in the chain (inserted, or not migrated)', outside);
  if (anchored && chained[anchored.seq]?.hash !== anchored.hash) {
    const at = chained[anchored.seq];
    return fail(at ? `differs from the anchored head (seq ${anchored.seq})` : `the anchored head (seq ${anchored.seq}) is missing`, at);
  }
  const last = chained[chained.length - 1];
  return { ...report, head: last ? { key, seq: last.seq!, hash: last.hash! } : undefined };
}

/** Verifies one person's chain from their raw events (any order). */
export function verifyChain(key: string, events: Document[], ledgerKey: string, anchored?: ChainHead): ChainReport {
  return walk(key, events.map((e) => summarise(key, e, ledgerKey)), anchored);
}

export class LedgerVerifier {
  constructor(private readonly deps: { models: Models; ledgerKey: string }) {}

  async verifyPerson(emailHash: string, anchored?: ChainHead): Promise<ChainReport> {
    return verifyChain(emailHash, await consentEventQueries.rawOfAddress(this.deps.models, emailHash).toArray(), this.deps.ledgerKey, anchored);
  }

  /**
   * Every chain, in one pass over the collection (no sort, no per-person query: on FerretDB's SQLite
   * backend a scan is the fast shape), each event checked as it streams by; then each chain is walked
   * from its summaries. `anchoredHeads`: a day's leaves, which every chain must still contain; a
   * person of the anchor with no events at all is a break too. Returns the breaks and every good head.
   */
  async verifyAll(opts: { anchoredHeads?: Map<string, ChainHead>; onProgress?: (events: number) => void } = {}) {
    const byKey = new Map<string, LinkSummary[]>();
    let events = 0;
    for await (const e of consentEventQueries.everyRaw(this.deps.models)) {
      const key = String(e.emailHash);
      let links = byKey.get(key);
      if (!links) byKey.set(key, (links = []));
      links.push(summarise(key, e, this.deps.ledgerKey));
      if (++events % 50_000 === 0) opts.onProgress?.(events);
    }
    const keys = [...byKey.keys()].sort();
    const broken: ChainBreak[] = [];
    const heads: ChainHead[] = [];
    for (const key of keys) {
      const report = walk(key, byKey.get(key)!, opts.anchoredHeads?.get(key));
      if (report.broken) broken.push(report.broken);
      else if (report.head) heads.push(report.head);
    }
    const known = new Set(keys);
    for (const [key, head] of opts.anchoredHeads ?? []) {
      if (!known.has(key)) broken.push({ key, seq: head.seq, reason: `the anchored chain (head seq ${head.seq}) has no events left` });
    }
    return { chains: keys.length, events, broken, heads };
  }
}
