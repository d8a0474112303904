import { Schema, type Connection, type InferSchemaType } from 'mongoose';

// Who among the authorised staff read or changed what (privacy policy clause 3).
const auditEntrySchema = new Schema(
  {
    actor: { type: String, required: true },
    role: { type: String, required: true },
    action: { type: String, required: true },
    target: { type: String },
    at: { type: Date, required: true },
    ip: { type: String },
    details: { type: Schema.Types.Mixed },
  },
  { versionKey: false },
);
// GET /audit newest first, and retention by age.
auditEntrySchema.index({ at: -1 });
// The audit page's filters: one staff member's, one action's, one target's entries, newest first
// (equality on the first field is what FerretDB pushes down; the time range is read from those).
// The target index also serves retention's rewrite of an address among the targets.
auditEntrySchema.index({ actor: 1, at: -1 });
auditEntrySchema.index({ action: 1, at: -1 });
auditEntrySchema.index({ target: 1, at: -1 });

export type AuditEntryDoc = InferSchemaType<typeof auditEntrySchema>;
export const auditEntryModel = (conn: Connection) => conn.model('AuditEntry', auditEntrySchema, 'audit_entries');
