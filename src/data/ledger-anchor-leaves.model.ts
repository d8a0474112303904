import { Schema, type Connection, type InferSchemaType } from 'mongoose';

// The leaves of a day's anchor, in key order, a chunk at a time: what an inclusion proof for that day
// is computed from. About 140 bytes per person per anchor.
const leafSchema = new Schema({ key: { type: String, required: true }, seq: { type: Number, required: true }, hash: { type: String, required: true } }, { _id: false });
const ledgerAnchorLeavesSchema = new Schema(
  {
    date: { type: String, required: true },
    chunk: { type: Number, required: true },
    leaves: { type: [leafSchema], required: true },
  },
  { versionKey: false },
);
// A day's leaves in order (proofs, verify --anchor); unique so a rerun cannot store a chunk twice.
ledgerAnchorLeavesSchema.index({ date: 1, chunk: 1 }, { unique: true });

export type LedgerAnchorLeavesDoc = InferSchemaType<typeof ledgerAnchorLeavesSchema>;
export const ledgerAnchorLeavesModel = (conn: Connection) => conn.model('LedgerAnchorLeaves', ledgerAnchorLeavesSchema, 'ledger_anchor_leaves');
