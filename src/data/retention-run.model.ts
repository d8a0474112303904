import { Schema, type Connection, type InferSchemaType } from 'mongoose';

// One per retention sweep run: when, under which rule, and how much it removed. Counts only, no
// personal data; a few a night, so they are kept.
const retentionRunSchema = new Schema(
  {
    sweep: { type: String, required: true },
    /** The rule as configured at the time: what goes after how long (null: by its own expiry). */
    periodDays: { type: Number },
    startedAt: { type: Date, required: true },
    finishedAt: { type: Date, required: true },
    status: { type: String, required: true, enum: ['done', 'failed'] },
    counts: { type: Schema.Types.Mixed, default: {} },
    error: { type: String },
  },
  { versionKey: false },
);
// The console's last runs, newest first.
retentionRunSchema.index({ startedAt: -1 });

export type RetentionRunDoc = InferSchemaType<typeof retentionRunSchema>;
export const retentionRunModel = (conn: Connection) => conn.model('RetentionRun', retentionRunSchema, 'retention_runs');
