// Chains the consent events written before the chain existed, once, in their current order (time,
// then _id) after whatever the person's chain already holds. Safe to rerun and to run beside live
// writers: each event is linked by one update guarded by its missing seq, and the unique chainLink
// refuses a place a live append took meanwhile (the head is read again). The first daily anchor after
// it records that the chains start there (ledger-anchor.ts: chainStart).
import type { Document } from 'mongodb';
import type { Models } from '../../data/models';
import { isDuplicateKeyError } from '../../errors';
import type { RawEvent } from './ledger-canonical';
import { LedgerChain } from './ledger-chain';
import { consentEventQueries } from '../../data/consent-event.queries';

export interface MigrationCounts {
  chains: number;
  eventsChained: number;
}

const PEOPLE_PER_READ = 500;
const MAX_ATTEMPTS = 50;

export class LedgerMigration {
  private readonly chain: LedgerChain;

  constructor(private readonly deps: { models: Models; ledgerKey: string }) {
    this.chain = new LedgerChain(deps);
  }

  async run(onProgress?: (counts: MigrationCounts) => void): Promise<MigrationCounts> {
    const counts: MigrationCounts = { chains: 0, eventsChained: 0 };
    const keys = (await consentEventQueries.unchainedAddresses(this.deps.models)) as string[];
    for (let i = 0; i < keys.length; i += PEOPLE_PER_READ) {
      const unchained = await consentEventQueries.unchainedOf(this.deps.models, keys.slice(i, i + PEOPLE_PER_READ)).toArray();
      const byKey = new Map<string, Document[]>();
      for (const e of unchained) byKey.set(e.emailHash, [...(byKey.get(e.emailHash) ?? []), e]);
      for (const list of byKey.values()) {
        list.sort((a, b) => a.at.getTime() - b.at.getTime() || String(a._id).localeCompare(String(b._id)));
        for (const event of list) if (await this.chainOne(event as RawEvent)) counts.eventsChained++;
        counts.chains++;
      }
      onProgress?.(counts);
    }
    return counts;
  }

  private async chainOne(event: RawEvent): Promise<boolean> {
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const linked = this.chain.link(event, await this.chain.head(event.emailHash));
      const { _id, ...fields } = linked;
      try {
        const result = await consentEventQueries.setLink(this.deps.models, _id, pick(fields, ['chainFormat', 'seq', 'chainLink', 'prevHash', 'erasableDigest', 'hash']));
        // Nothing matched: another run chained it first.
        return result.modifiedCount > 0;
      } catch (err) {
        if (!isDuplicateKeyError(err)) throw err;
      }
    }
    throw new Error(`consent ledger: could not chain event ${String(event._id)}`);
  }
}

function pick(doc: Record<string, unknown>, keys: string[]): Record<string, unknown> {
  return Object.fromEntries(keys.map((k) => [k, doc[k]]));
}
