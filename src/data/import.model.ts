import { Schema, type Connection, type InferSchemaType } from 'mongoose';

// One per import run (the console's, the API's, the CLI's): who imported which file into which list,
// how far it is, and what it added and skipped. The skipped rows name addresses: the retention sweep
// `import-details` removes them after RETENTION_IMPORT_DETAILS and the whole report after
// RETENTION_REQUESTS_AUDIT, like the audit trail it belongs to.
const importSchema = new Schema(
  {
    actor: { type: String, required: true },
    role: { type: String, required: true },
    fileName: { type: String },
    list: { type: String, required: true },
    source: { type: String },
    /** Our field → the file's column header, as the DPO mapped them. */
    mapping: { type: Schema.Types.Mixed },
    status: { type: String, required: true, enum: ['queued', 'running', 'done', 'failed'] },
    /** Rows in the file, counted when it arrived: the progress bar's 100 %. */
    expectedRows: { type: Number, default: 0 },
    rows: { type: Number, default: 0 },
    added: { type: Number, default: 0 },
    skipped: { type: Number, default: 0 },
    repaired: { type: Number, default: 0 },
    reasons: { type: Schema.Types.Mixed, default: {} },
    skippedRows: { type: [{ _id: false, line: Number, reason: String, email: String }], default: [] },
    /** The addresses of skippedRows went with retention; lines and reasons stay. */
    detailsRemoved: { type: Boolean },
    error: { type: String },
    startedAt: { type: Date },
    finishedAt: { type: Date },
  },
  { timestamps: true, versionKey: false },
);
// The console's list of imports, newest first.
importSchema.index({ createdAt: -1 });

export type ImportDoc = InferSchemaType<typeof importSchema>;
export const importModel = (conn: Connection) => conn.model('Import', importSchema, 'imports');
