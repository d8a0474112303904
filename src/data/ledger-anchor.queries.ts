// Every question asked of `ledger_anchors`: a day's anchor by its unique date index. The latest and
// the previous anchor read them all: one small document a day.
import { scans, uses } from './named-query';

export const ledgerAnchorQueries = {
  /** Anchor job, `ledger verify --anchor DATE`, inclusion proofs: a day's anchor. */
  ofDate: uses('date_1', (m, date: string) => m.ledgerAnchors.findOne({ date })),
  /** Ledger status, inclusion proofs, `ledger verify --anchor latest`: the latest anchor. */
  latest: scans('one small document a day; FerretDB sorts them by date', (m) => m.ledgerAnchors.findOne({}).sort({ date: -1 })),
  /** Anchor job: the anchor before today's, which today's names. */
  latestBefore: scans('once a day in the anchor job; a date range FerretDB does not push down, over one document a day', (m, date: string) =>
    m.ledgerAnchors.findOne({ date: { $lt: date } }).sort({ date: -1 }),
  ),
  /** Anchor job: the root was mailed outside the database. */
  markMailed: uses('date_1', (m, date: string, to: string, at: Date) => m.ledgerAnchors.updateOne({ date }, { $set: { mailedTo: to, mailedAt: at } })),
};
