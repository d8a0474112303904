import { Schema, type Connection, type InferSchemaType } from 'mongoose';

// A day's anchor: the Merkle root over every chain head (src/domain/consent/ledger-anchor.ts). The
// root is also mailed to LEDGER_ANCHOR_TO, a copy outside the database; its leaves are kept in
// ledger_anchor_leaves for inclusion proofs. Written once, after all its leaves.
const ledgerAnchorSchema = new Schema(
  {
    // UTC day, YYYY-MM-DD.
    date: { type: String, required: true },
    format: { type: Number, required: true },
    root: { type: String, required: true },
    // Chains (people) under the root.
    count: { type: Number, required: true },
    // Leaf chunks stored for it.
    chunks: { type: Number, required: true },
    at: { type: Date, required: true },
    // The first anchor: the chains start here; what came before was chained by `ledger migrate`.
    chainStart: { type: Boolean },
    previousDate: { type: String },
    previousRoot: { type: String },
    mailedTo: { type: String },
    mailedAt: { type: Date },
  },
  { versionKey: false },
);
// One anchor a day (the anchor job, `ledger anchor`, `ledger verify --anchor DATE`); also the latest by date.
ledgerAnchorSchema.index({ date: 1 }, { unique: true });

export type LedgerAnchorDoc = InferSchemaType<typeof ledgerAnchorSchema>;
export const ledgerAnchorModel = (conn: Connection) => conn.model('LedgerAnchor', ledgerAnchorSchema, 'ledger_anchors');
