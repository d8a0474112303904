// Every question asked of `opt_outs`: by the keyed hash of (address, list), its unique index.
import { uses } from './named-query';

export const optOutQueries = {
  /** Sign-up, import, send batch: has the person said no to this list. */
  countOf: uses('hash_1', (m, hash: string) => m.optOuts.countDocuments({ hash })),
  /** Import, send batch, reconciliation: which of these (address, list) pairs said no, and when. */
  amongHashes: uses('hash_1', (m, hashes: string[]) => m.optOuts.find({ hash: { $in: hashes } }, { hash: 1, at: 1 })),
  /** The person's own fresh double opt-in lifts their no. */
  lift: uses('hash_1', (m, hash: string) => m.optOuts.deleteOne({ hash })),
};
