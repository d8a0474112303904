import { Schema, Types, type Connection, type InferSchemaType } from 'mongoose';

// `failed`: the watchdog gave up on recipients it could not get sent (campaign-watchdog.ts).
export const CAMPAIGN_STATES = ['draft', 'scheduled', 'sending', 'paused', 'sent', 'cancelled', 'failed'] as const;
export type CampaignState = (typeof CAMPAIGN_STATES)[number];

// A campaign's English version: the same parts as the Latvian one at the top level, compiled the same way.
const versionSchema = new Schema(
  {
    subject: { type: String, required: true },
    preheader: { type: String, default: '' },
    mjml: { type: String, required: true },
    html: { type: String, default: '' },
    text: { type: String, default: '' },
  },
  { _id: false },
);

const finalStatsSchema = new Schema(
  {
    sent: { type: Number, required: true },
    skipped: { type: Number, required: true },
    failed: { type: Number, required: true },
    ambiguous: { type: Number, required: true },
    skipReasons: { type: Schema.Types.Mixed, default: {} },
  },
  { _id: false, minimize: false },
);

const campaignSchema = new Schema(
  {
    name: { type: String, required: true },
    list: { type: String, required: true },
    subject: { type: String, required: true },
    preheader: { type: String, default: '' },
    mjml: { type: String, required: true },
    // Compiled once when the draft is saved; per recipient only merge fields are substituted.
    html: { type: String, default: '' },
    text: { type: String, default: '' },
    // Optional: people whose stored language is English get it; everyone else the Latvian one above.
    en: { type: versionSchema, required: false },
    status: { type: String, enum: CAMPAIGN_STATES, default: 'draft' },
    // Bumped by every status change; a change first claims the version it read (campaign-state.ts).
    stateVersion: { type: Number, default: 0 },
    scheduledAt: { type: Date },
    startedAt: { type: Date },
    finishedAt: { type: Date },
    // Frozen audience: the highest subscription _id when sending started; fan-out pages up to it.
    audienceMaxId: { type: Types.ObjectId },
    // Last subscription _id whose batch was enqueued; a restarted fan-out continues after it.
    checkpointId: { type: Types.ObjectId },
    fanoutDone: { type: Boolean, default: false },
    batchesEnqueued: { type: Number, default: 0 },
    // Times the watchdog rebuilt batches lost with Redis or failed for good; it gives up after a few.
    recoveries: { type: Number, default: 0 },
    stats: {
      queued: { type: Number, default: 0 },
      sent: { type: Number, default: 0 },
      skipped: { type: Number, default: 0 },
      failed: { type: Number, default: 0 },
      bounced: { type: Number, default: 0 },
      complained: { type: Number, default: 0 },
    },
    skipReasons: { type: Schema.Types.Mixed, default: {} },
    // The figures counted once from the outcomes and claims when the campaign ended (claims without
    // an outcome counted as ambiguous); its stats are read from here from then on (campaign-progress.ts).
    finalStats: { type: finalStatsSchema, required: false },
    author: { type: String, required: true },
  },
  { timestamps: true, minimize: false },
);
// Campaign list in the admin view, newest first; the scheduler finds due campaigns by status.
campaignSchema.index({ status: 1, scheduledAt: 1 });

export type CampaignDoc = InferSchemaType<typeof campaignSchema>;
export const campaignModel = (conn: Connection) => conn.model('Campaign', campaignSchema, 'campaigns');
