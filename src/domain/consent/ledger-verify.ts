// Recomputes consent chains from the raw documents and says where the first one breaks, with the
// event's id: an edited event (its hash or its digest no longer matches), a deleted one (a gap, or
// the next event's prevHash), an inserted one (its digest needs LEDGER_KEY, which the database does
// not hold), a reordering (seq is hashed), an event outside any chain; and, against a day's anchor,
// a chain that lost events the anchor had seen.
import type { Collection, Document } from 'mongodb';
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

/** Verifies one person's chain from their raw events (any order). */
export function verifyChain(key: string, events: Document[], ledgerKey: string, anchored?: ChainHead): ChainReport {
  const chained = events.filter((e) => typeof e.seq === 'number').sort((a, b) => a.seq - b.seq || String(a._id).localeCompare(String(b._id)));
  const report: ChainReport = { key, events: events.length };
  const fail = (reason: string, e?: Document): ChainReport => ({ ...report, head: undefined, broken: { key, eventId: e ? String(e._id) : undefined, seq: e?.seq, reason } });
  let prev = GENESIS_HASH;
  let hashAtAnchor: string | undefined;
  for (let i = 0; i < chained.length; i++) {
    const e = chained[i]!;
    if (e.seq !== i) return fail(e.seq < i ? `a second event at seq ${e.seq}` : `seq ${i}${e.seq - 1 > i ? `–${e.seq - 1}` : ''} missing before this event`, e);
    if (e.emailHash !== key) return fail('the event names another chain', e);
    if (e.chainFormat !== CHAIN_FORMAT) return fail(`unknown chain format ${String(e.chainFormat)}`, e);
    if (e.prevHash !== prev) return fail('prevHash is not the hash of the event before', e);
    if (!(e.anonymised === true && !hasErasableFields(e)) && erasableDigest(e, ledgerKey) !== e.erasableDigest) {
      return fail('the erasable fields do not match their digest (edited, or written without the ledger key)', e);
    }
    if (linkHash(prev, canonicalCore(e), String(e.erasableDigest)) !== e.hash) return fail('the hash does not match the event (edited)', e);
    prev = e.hash;
    if (anchored && e.seq === anchored.seq) hashAtAnchor = e.hash;
  }
  const outside = events.find((e) => typeof e.seq !== 'number');
  if (outside) return fail('the event is not in the chain (inserted, or not migrated)', outside);
  if (anchored && hashAtAnchor !== anchored.hash) {
    const at = chained[anchored.seq];
    return fail(at ? `differs from the anchored head (seq ${anchored.seq})` : `the anchored head (seq ${anchored.seq}) is missing`, at);
  }
  const last = chained[chained.length - 1];
  return { ...report, head: last ? { key, seq: last.seq, hash: last.hash } : undefined };
}

export class LedgerVerifier {
  constructor(private readonly deps: { models: Models; ledgerKey: string }) {}

  private get events(): Collection {
    return this.deps.models.consentEvents.collection as unknown as Collection;
  }

  async verifyPerson(emailHash: string, anchored?: ChainHead): Promise<ChainReport> {
    return verifyChain(emailHash, await this.events.find({ emailHash }).toArray(), this.deps.ledgerKey, anchored);
  }

  /**
   * Every chain, a batch of people at a time (one $in on the emailHash index each). `anchoredHeads`:
   * a day's leaves, which every chain must still contain; a person of the anchor with no events at
   * all is a break too. Returns the reports of broken chains and every head.
   */
  async verifyAll(opts: { anchoredHeads?: Map<string, ChainHead>; batch?: number; onBatch?: (done: number) => void } = {}) {
    const keys = ((await this.events.distinct('emailHash')) as string[]).sort();
    const batch = opts.batch ?? 500;
    const broken: ChainBreak[] = [];
    const heads: ChainHead[] = [];
    let events = 0;
    for (let i = 0; i < keys.length; i += batch) {
      const slice = keys.slice(i, i + batch);
      const byKey = new Map<string, Document[]>(slice.map((k) => [k, []]));
      for (const e of await this.events.find({ emailHash: { $in: slice } }).toArray()) byKey.get(e.emailHash)?.push(e);
      for (const [key, list] of byKey) {
        const report = verifyChain(key, list, this.deps.ledgerKey, opts.anchoredHeads?.get(key));
        events += report.events;
        if (report.broken) broken.push(report.broken);
        else if (report.head) heads.push(report.head);
      }
      opts.onBatch?.(Math.min(keys.length, i + batch));
    }
    const known = new Set(keys);
    for (const [key, head] of opts.anchoredHeads ?? []) {
      if (!known.has(key)) broken.push({ key, seq: head.seq, reason: `the anchored chain (head seq ${head.seq}) has no events left` });
    }
    return { chains: keys.length, events, broken, heads };
  }
}
