// Every question asked of `suppressions`; all by the address's keyed hash (its unique index) or _id.
import type { Types } from 'mongoose';
import { uses } from './named-query';

export const suppressionQueries = {
  /** Sign-up guard, DPO's lookup, suppress (is there one already): the one suppression of an address. */
  ofAddress: uses('emailHash_1', (m, emailHash: string) => m.suppressions.findOne({ emailHash }, { emailHash: 1, reason: 1, expiresAt: 1 })),
  /** The DPO's view of an address and the access export: the whole documents. */
  documentsOfAddress: uses('emailHash_1', (m, emailHash: string) => m.suppressions.find({ emailHash }).sort({ createdAt: 1 })),
  /** Send batch, import: which of these addresses are suppressed (one query per batch). */
  amongAddresses: uses('emailHash_1', (m, emailHashes: string[]) => m.suppressions.find({ emailHash: { $in: emailHashes } }, { emailHash: 1, reason: 1, expiresAt: 1 })),
  /** Reconciliation: the erasure tombstones among these addresses. */
  tombstonesAmong: uses('emailHash_1', (m, emailHashes: string[]) =>
    m.suppressions.find({ emailHash: { $in: emailHashes }, reason: 'erasure' }, { emailHash: 1, createdAt: 1 }),
  ),
  /** Erasure: does the address carry its tombstone yet. */
  hasTombstone: uses('emailHash_1', (m, emailHash: string) => m.suppressions.exists({ emailHash, reason: 'erasure' })),
  /** A stronger reason replaces a weaker one. */
  replace: uses('emailHash_1', (m, emailHash: string, update: Record<string, unknown>) => m.suppressions.updateOne({ emailHash }, update)),
  /** The person's own fresh double opt-in lifts the suppression. */
  lift: uses('emailHash_1', (m, emailHash: string) => m.suppressions.deleteOne({ emailHash })),
  /** Reconciliation: a tombstone whose erasure was never completed. */
  liftTombstone: uses('emailHash_1', (m, emailHash: string) => m.suppressions.deleteOne({ emailHash, reason: 'erasure' })),
  /** The DPO lifts one suppression, named by its id. */
  byId: uses('_id_', (m, id: Types.ObjectId | string) => m.suppressions.findById(id)),
  removeById: uses('_id_', (m, id: Types.ObjectId) => m.suppressions.deleteOne({ _id: id })),
};
