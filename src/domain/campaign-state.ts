// Campaign status changes under concurrency. FerretDB v1 runs a guarded update as read-then-write,
// so two changes from the same state (cancel and resume of a paused campaign) could both succeed,
// the later write winning: a cancelled campaign would send again. Each change instead claims the
// campaign's stateVersion it read by a unique insert (atomic on MongoDB and FerretDB alike); only
// the winner writes, and bumps the version. A loser reads again and decides on the new state.
import type { Types } from 'mongoose';
import type { CampaignState } from '../data/campaign.model';
import type { Models } from '../data/models';
import { claimOnce } from './claims';

export type CampaignMove = { moved: true; from: CampaignState } | { moved: false; status: CampaignState | 'missing' };

// The winner writes right after its claim; a claim older than this belongs to a process that died
// in between, and is taken back so the campaign does not stay stuck.
const CLAIM_HOLD_MS = 30_000;
const WAIT_MS = 20;
const MAX_WAITS = 250;

export async function moveCampaign(
  deps: { models: Models; now: () => Date },
  id: Types.ObjectId | string,
  from: readonly CampaignState[],
  set: Record<string, unknown>,
): Promise<CampaignMove> {
  const { models } = deps;
  for (let waits = 0; ; waits++) {
    const campaign = await models.campaigns.findById(id, { status: 1, stateVersion: 1 }).lean();
    if (!campaign) return { moved: false, status: 'missing' };
    const status = (campaign.status ?? 'draft') as CampaignState;
    if (!from.includes(status)) return { moved: false, status };
    const version = campaign.stateVersion ?? 0;
    const key = `campaign-state:${String(id)}:${version}`;
    if (await claimOnce(models, key, new Date(deps.now().getTime() + CLAIM_HOLD_MS))) {
      await models.campaigns.updateOne({ _id: id }, { $set: { ...set, stateVersion: version + 1 } });
      return { moved: true, from: status };
    }
    // Someone else changes it from this version: wait for their write, then decide again.
    if (waits >= MAX_WAITS) return { moved: false, status };
    await models.claims.deleteOne({ key, expiresAt: { $lt: deps.now() } });
    await new Promise((r) => setTimeout(r, WAIT_MS));
  }
}
