// Bounces and complaints a campaign drew, recorded for its report (see campaign-feedback.model.ts).
import { createHash } from 'node:crypto';
import { Types } from 'mongoose';
import type { FeedbackKind } from '../../data/campaign-feedback.model';
import type { Models } from '../../data/models';
import { insertOnce } from '../claims';

/** Once per (campaign, kind, address); a repeat (a re-polled message, a second report) is a no-op. */
export async function recordCampaignFeedback(models: Models, campaignId: string, kind: FeedbackKind, emailHash: string, at: Date): Promise<void> {
  if (!Types.ObjectId.isValid(campaignId)) return;
  const _id = createHash('sha256').update(`${campaignId}:${kind}:${emailHash}`).digest('base64url');
  await insertOnce(() => models.campaignFeedback.create({ _id, campaignId: new Types.ObjectId(campaignId), kind, at }));
}
