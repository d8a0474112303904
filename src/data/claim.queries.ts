// Every question asked of `claims`: one claim by its key (the unique index) or _id. The reads of
// them all are the soft-bounce count (a key prefix) and retention's expiry sweep.
import type { Types } from 'mongoose';
import { scans, uses } from './named-query';

export const claimQueries = {
  /** Verification takeover, sign-up cooldown: the claim that holds a key. */
  byKey: uses('key_1', (m, key: string) => m.claims.findOne({ key })),
  /** Reconciliation: the verification claims of the requests still waiting. */
  amongKeys: uses('key_1', (m, keys: string[]) => m.claims.find({ key: { $in: keys } })),
  /** Mailbox review, the administrators' lock: a claim given back, so the step can run again. */
  release: uses('key_1', (m, key: string) => m.claims.deleteOne({ key })),
  /** The administrators' lock: a holder that died leaves it to expire. */
  releaseIfExpired: uses('key_1', (m, key: string, at: Date) => m.claims.deleteOne({ key, expiresAt: { $lte: at } })),
  /** Sign-up cooldown: an expired claim goes by _id, never a racer's fresh one. */
  removeById: uses('_id_', (m, id: Types.ObjectId) => m.claims.deleteOne({ _id: id })),
  /** Mailbox: an address's soft bounces still in the window. */
  countSoftBounces: scans('mailbox poller, once per soft bounce: a key prefix ($regex), which FerretDB does not push down', (m, emailHash: string, at: Date) =>
    m.claims.countDocuments({ key: { $regex: `^soft-bounce:${emailHash}:` }, expiresAt: { $gt: at } }),
  ),
  /** Retention: expired claims go (FerretDB v1 has no TTL index). */
  removeExpired: scans('nightly retention sweep over a date range, which FerretDB does not push down', (m, now: Date) => m.claims.deleteMany({ expiresAt: { $lt: now } })),
};
