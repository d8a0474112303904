// Every question asked of `ledger_anchor_leaves`: a day's chunks, by the unique {date, chunk} index.
import { uses } from './named-query';

export const ledgerAnchorLeavesQueries = {
  /** Inclusion proofs, `ledger verify --anchor`: a day's leaves in key order. */
  ofDate: uses('date_1_chunk_1', (m, date: string) => m.ledgerAnchorLeaves.find({ date }).sort({ chunk: 1 })),
  /** Anchor job: the leaves of a run that died before its anchor are replaced. */
  removeOfDate: uses('date_1_chunk_1', (m, date: string) => m.ledgerAnchorLeaves.deleteMany({ date })),
};
