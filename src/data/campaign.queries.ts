// Every question asked of `campaigns`: one campaign by _id, or the campaigns in a status (the
// {status, scheduledAt} index); the console's unfiltered list is the one read of them all.
import type { Types } from 'mongoose';
import type { CampaignState } from './campaign.model';
import { scans, uses } from './named-query';

type Id = Types.ObjectId | string;

// The list leaves out every version's content: one campaign's page loads it.
const LISTED = { mjml: 0, html: 0, text: 0, 'en.mjml': 0, 'en.html': 0, 'en.text': 0 } as const;

export const campaignQueries = {
  /** The console's campaign page, edit, preview, send, delete: the whole campaign. */
  byId: uses('_id_', (m, id: Id) => m.campaigns.findById(id)),
  /** Campaign report, fan-out: the campaign without its compiled content. */
  withoutContent: uses('_id_', (m, id: Id) => m.campaigns.findById(id, { mjml: 0, html: 0, text: 0 })),
  /** Send batch: what one recipient's mail is made of, and whether the campaign still sends. */
  forSending: uses('_id_', (m, id: Id) => m.campaigns.findById(id, { status: 1, list: 1, subject: 1, html: 1, text: 1, en: 1 })),
  /** Status changes (campaign-state.ts), fan-out checkpoints: the status and the version it is at. */
  stateOf: uses('_id_', (m, id: Id) => m.campaigns.findById(id, { status: 1, stateVersion: 1 })),
  /** Status changes settling, the watchdog after its write: the version the document shows. */
  versionOf: uses('_id_', (m, id: Id) => m.campaigns.findById(id, { stateVersion: 1 })),
  /** Send batch, fan-out: whether the campaign was paused or cancelled meanwhile. */
  statusOf: uses('_id_', (m, id: Id) => m.campaigns.findById(id, { status: 1 })),
  /** After each batch: whether the campaign's last batch has finished. */
  progressOf: uses('_id_', (m, id: Id) => m.campaigns.findById(id, { status: 1, fanoutDone: 1, batchesEnqueued: 1 })),
  /** Complaint guard: whether a sending campaign is above the complaint rate. */
  complaintsOf: uses('_id_', (m, id: Id) => m.campaigns.findById(id, { status: 1, stats: 1 })),
  /** Fan-out: the audience bound a concurrent fan-out may have frozen first. */
  audienceBoundOf: uses('_id_', (m, id: Id) => m.campaigns.findById(id, { audienceMaxId: 1 })),
  /** Access export: the subject and list of the campaigns that mailed the person. */
  subjectsAndLists: uses('_id_', (m, ids: Id[]) => m.campaigns.find({ _id: { $in: ids } }, { subject: 1, list: 1 })),
  /** Person page: the name and subject of the campaigns the person's consent events name. */
  namesAndSubjects: uses('_id_', (m, ids: Id[]) => m.campaigns.find({ _id: { $in: ids } }, { name: 1, subject: 1 })),

  /** The console's campaign list in one status, newest first. */
  listedInStatus: uses('status_1_scheduledAt_1', (m, status: CampaignState, limit: number) =>
    m.campaigns.find({ status }, LISTED).sort({ _id: -1 }).limit(limit),
  ),
  /** The console's campaign list, every status, newest first. */
  listed: scans('every campaign, newest first: no equality to search by, and FerretDB sorts after reading; a few hundred campaigns', (m, limit: number) =>
    m.campaigns.find({}, LISTED).sort({ _id: -1 }).limit(limit),
  ),
  /** Watchdog: the campaigns not finished, to put back a status change a concurrent write undid. */
  unfinished: uses('status_1_scheduledAt_1', (m) => m.campaigns.find({ status: { $in: ['scheduled', 'sending', 'paused'] } }, { _id: 1, stateVersion: 1 })),
  /** Watchdog: the sending campaigns and how far each got. */
  sendingWithProgress: uses('status_1_scheduledAt_1', (m) =>
    m.campaigns.find({ status: 'sending' }, { _id: 1, list: 1, startedAt: 1, fanoutDone: 1, audienceMaxId: 1, checkpointId: 1, batchesEnqueued: 1, recoveries: 1 }),
  ),
  /** Watchdog: the scheduled campaigns, whose delayed fan-out job must exist. */
  scheduled: uses('status_1_scheduledAt_1', (m) => m.campaigns.find({ status: 'scheduled' }, { _id: 1, scheduledAt: 1 })),
  /** Recent withdrawals: whether any campaign is sending now. */
  anySending: uses('status_1_scheduledAt_1', (m) => m.campaigns.exists({ status: 'sending' })),
  /** Worker start: scheduled campaigns and unfinished fan-outs, whose jobs Redis may have lost. */
  toRestoreAtStart: scans('once at worker start; an $or FerretDB does not push down, over a few hundred campaigns', (m) =>
    m.campaigns.find({ $or: [{ status: 'scheduled' }, { status: 'sending', fanoutDone: false }] }, { _id: 1, status: 1, scheduledAt: 1 }),
  ),

  /** Editing a draft or a scheduled campaign: its content, recompiled. */
  saveEdit: uses('_id_', (m, id: Id, update: Record<string, unknown>) => m.campaigns.updateOne({ _id: id }, update)),
  /** A status change (campaign-state.ts); never backwards, so a slow writer of an older version changes nothing. */
  writeState: uses('_id_', (m, id: Id, version: number, set: Record<string, unknown>) =>
    m.campaigns.updateOne({ _id: id, $or: [{ stateVersion: { $lt: version } }, { stateVersion: { $exists: false } }] }, { $set: { ...set, stateVersion: version } }),
  ),
  /** Mailbox: one more address bounced or complained (counted once per address by a claim). */
  countFeedback: uses('_id_', (m, id: Id, counter: 'bounced' | 'complained') => m.campaigns.updateOne({ _id: id }, { $inc: { [`stats.${counter}`]: 1 } })),
  /** Fan-out: the checkpoint after a run of batches was enqueued. */
  checkpoint: uses('_id_', (m, id: Id, checkpointId: Types.ObjectId, batchesEnqueued: number, queued: number) =>
    m.campaigns.updateOne({ _id: id }, { $set: { checkpointId, batchesEnqueued, 'stats.queued': queued } }),
  ),
  /** Fan-out: every batch is enqueued. */
  markFannedOut: uses('_id_', (m, id: Id) => m.campaigns.updateOne({ _id: id }, { $set: { fanoutDone: true } })),
  /** Fan-out: the audience is frozen once; a concurrent fan-out's bound stands. */
  freezeAudience: uses('_id_', (m, id: Id, bound: Types.ObjectId) => m.campaigns.updateOne({ _id: id, audienceMaxId: { $exists: false } }, { $set: { audienceMaxId: bound } })),
  /** Watchdog: a rebuild round, counted before its batches are added. */
  recordRecovery: uses('_id_', (m, id: Id, recoveries: number, batchesEnqueued: number) => m.campaigns.updateOne({ _id: id }, { $set: { recoveries, batchesEnqueued } })),
  /** A campaign's exact figures, counted once when it ended (campaign-progress.ts). */
  recordFinalStats: uses('_id_', (m, id: Id, finalStats: object) => m.campaigns.updateOne({ _id: id, status: { $in: ['sent', 'cancelled', 'failed'] } }, { $set: { finalStats } })),
  /** Deleting a draft, once its deletion has claimed the next state. */
  remove: uses('_id_', (m, id: Id) => m.campaigns.deleteOne({ _id: id })),
};
