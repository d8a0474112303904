// A campaign that draws too many spam complaints pauses itself before it damages the sending
// domain's reputation (Gmail's sender rules draw the line at 0.3%; COMPLAINT_PAUSE_RATE defaults
// to 0.2%). The rate is complaints counted on the campaign against its mails delivered, and only
// once enough were delivered for a rate to mean something (COMPLAINT_PAUSE_MIN_DELIVERED).
import { Types } from 'mongoose';
import type { Models } from '../../data/models';
import { campaignQueries } from '../../data/campaign.queries';
import { ConflictError } from '../../errors';
import type { Logger } from '../../logger';
import type { AuditLog } from '../audit';
import { sumTallies } from './campaign-progress';
import type { CampaignService } from './campaigns';

export const COMPLAINT_GUARD_ACTOR = { sub: 'system:complaint-rate-guard', role: 'system' };

export interface ComplaintRateSettings {
  complaintPauseRate: number;
  complaintPauseMinDelivered: number;
}

export class ComplaintRateGuard {
  constructor(
    private readonly deps: {
      models: Models;
      campaigns: Pick<CampaignService, 'pause'>;
      audit: Pick<AuditLog, 'record'>;
      settings: ComplaintRateSettings;
      logger: Logger;
    },
  ) {}

  /** Pauses the campaign when it is sending and above the rate; true when this call paused it. */
  async check(campaignId: string): Promise<boolean> {
    const { models, settings, logger } = this.deps;
    if (!/^[0-9a-f]{24}$/i.test(campaignId)) return false;
    const campaign = await campaignQueries.complaintsOf(models, campaignId).lean();
    const complained = campaign?.stats?.complained ?? 0;
    if (!campaign || campaign.status !== 'sending' || complained === 0) return false;
    // The campaign's tallies (campaign-progress.ts), not every outcome: a complaint arrives mid-send.
    const { sent: delivered } = await sumTallies(models, new Types.ObjectId(campaignId));
    if (delivered < settings.complaintPauseMinDelivered || complained / delivered <= settings.complaintPauseRate) return false;
    try {
      await this.deps.campaigns.pause(campaignId);
    } catch (err) {
      if (err instanceof ConflictError) return false; // paused, finished or cancelled meanwhile
      throw err;
    }
    const rate = complained / delivered;
    const why = { complained, delivered, rate, threshold: settings.complaintPauseRate };
    await this.deps.audit.record(COMPLAINT_GUARD_ACTOR, 'campaign.paused.complaint-rate', campaignId, why);
    logger.warn({ campaign: campaignId, ...why }, `campaign paused: complaint rate ${(rate * 100).toFixed(2)}% above COMPLAINT_PAUSE_RATE ${(settings.complaintPauseRate * 100).toFixed(2)}%`);
    return true;
  }
}
