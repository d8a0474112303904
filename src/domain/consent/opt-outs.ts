// Opt-out records (invariant 11): a withdrawal is remembered per (address, list) after every other
// trace of the person is gone. The key is an HMAC of the address's keyed hash (itself an HMAC of the
// normalised address) and the list, so a record names neither, and records can be rebuilt from the
// anonymised ledger, which keeps only the hash.
import { createHmac } from 'node:crypto';
import type { Models } from '../../data/models';
import { insertManyOnce, insertOnce } from '../claims';
import { optOutQueries } from '../../data/opt-out.queries';

export class OptOuts {
  constructor(private readonly deps: { models: Models; emailHashKey: string; now: () => Date }) {}

  hashOf(emailHash: string, list: string): string {
    return createHmac('sha256', this.deps.emailHashKey).update(`opt-out\u0000${emailHash}\u0000${list}`).digest('hex');
  }

  /** Idempotent (the unique hash decides); returns whether this call created the record. */
  record(emailHash: string, list: string): Promise<boolean> {
    return insertOnce(() => this.deps.models.optOuts.create({ hash: this.hashOf(emailHash, list), list, at: this.deps.now() }));
  }

  /**
   * record() for many (address, list) pairs in one insert (a group of one-click unsubscribes, an
   * erasure's every list); returns how many records this call created.
   */
  async recordMany(pairs: Array<[emailHash: string, list: string]>): Promise<number> {
    const at = this.deps.now();
    const docs = [...new Map(pairs.map(([emailHash, list]) => [this.hashOf(emailHash, list), list])).entries()].map(([hash, list]) => ({ hash, list, at }));
    return docs.length - (await insertManyOnce(this.deps.models.optOuts.collection, docs)).size;
  }

  async has(emailHash: string, list: string): Promise<boolean> {
    return (await optOutQueries.countOf(this.deps.models, this.hashOf(emailHash, list))) > 0;
  }

  /** Of these address hashes, those opted out of `list`: one query for an import chunk. */
  async amongFor(emailHashes: string[], list: string): Promise<Set<string>> {
    if (emailHashes.length === 0) return new Set();
    const byHash = new Map(emailHashes.map((h) => [this.hashOf(h, list), h]));
    const found = await optOutQueries.amongHashes(this.deps.models, [...byHash.keys()]).lean();
    return new Set(found.map((d) => byHash.get(d.hash)!));
  }

  /** Only after the person's own confirmed opt-in, which the caller records in the ledger first. */
  async lift(emailHash: string, list: string): Promise<boolean> {
    return (await optOutQueries.lift(this.deps.models, this.hashOf(emailHash, list))).deletedCount > 0;
  }
}
