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

export type AuditEntryDoc = InferSchemaType<typeof auditEntrySchema>;
export const auditEntryModel = (conn: Connection) => conn.model('AuditEntry', auditEntrySchema, 'audit_entries');
