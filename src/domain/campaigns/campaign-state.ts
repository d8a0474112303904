// Campaign status changes under concurrency. FerretDB v1 runs a guarded update as read-then-write,
// so two changes from the same state (cancel and resume of a paused campaign) could both succeed,
// the later write winning: a cancelled campaign would send again. And it rewrites the whole
// document, so any concurrent update of another field (a fan-out checkpoint, a bounce counter) can
// put the old status back. Hence:
//   - a change claims the next version of the campaign's state by inserting its record
//     (campaign-state.model.ts, _id "<campaignId>:<version>"): only one change per version wins;
//   - the record, not the campaign document, says what the status is from that version on: whoever
//     finds a record newer than the document's stateVersion (a loser, the winner's own check a
//     moment later, the watchdog) writes it onto the campaign again. A crash between the two writes
//     is repaired the same way.
import { Types } from 'mongoose';
import type { CampaignState } from '../../data/campaign.model';
import { campaignQueries } from '../../data/campaign.queries';
import { campaignStateQueries } from '../../data/campaign-state.queries';
import type { Models } from '../../data/models';
import { insertOnce } from '../claims';

export type CampaignMove = { moved: true; from: CampaignState } | { moved: false; status: CampaignState | 'missing' };

type Deps = { models: Models; now: () => Date };

// A concurrent update that read the document before this change was written lands within
// milliseconds; these re-reads find and undo it before the caller answers.
const SETTLE_CHECKS_MS = [50, 200];
const MAX_ROUNDS = 50;

const recordId = (campaignId: Types.ObjectId | string, version: number) => `${String(campaignId)}:${version}`;

export async function moveCampaign(deps: Deps, id: Types.ObjectId | string, from: readonly CampaignState[], set: Record<string, unknown>): Promise<CampaignMove> {
  const { models } = deps;
  const campaignId = new Types.ObjectId(String(id));
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const campaign = await campaignQueries.stateOf(models, campaignId).lean();
    if (!campaign) return { moved: false, status: 'missing' };
    const version = campaign.stateVersion ?? 0;
    // A change recorded after the version on the document: the document is behind; catch it up first.
    if (await applyRecord(models, campaignId, version + 1)) continue;
    const status = (campaign.status ?? 'draft') as CampaignState;
    if (!from.includes(status)) return { moved: false, status };
    const won = await insertOnce(() =>
      models.campaignStates.create({ _id: recordId(campaignId, version + 1), campaignId, version: version + 1, from: status, set, at: deps.now() }),
    );
    // Lost: another change took this version; the next round applies it and decides again.
    if (!won) continue;
    await writeState(models, campaignId, version + 1, set);
    await settle(models, campaignId, version + 1);
    return { moved: true, from: status };
  }
  throw new Error(`campaign ${String(campaignId)}: its status kept changing; try again`);
}

/**
 * Puts recorded changes the campaign document does not show (any more) back on it. Run by the
 * watchdog for campaigns that are not finished; returns how many it repaired.
 */
export async function repairCampaignStates(models: Models, campaigns: Array<{ _id: Types.ObjectId; stateVersion?: number | null }>): Promise<number> {
  let repaired = 0;
  for (const campaign of campaigns) {
    let version = campaign.stateVersion ?? 0;
    while (await applyRecord(models, campaign._id, version + 1)) {
      version++;
      repaired++;
    }
  }
  return repaired;
}

/** Writes the change recorded for `version`, if there is one; true if it did. */
async function applyRecord(models: Models, campaignId: Types.ObjectId, version: number): Promise<boolean> {
  const record = await campaignStateQueries.byId(models, recordId(campaignId, version)).lean();
  if (!record) return false;
  await writeState(models, campaignId, version, record.set as Record<string, unknown>);
  return true;
}

async function writeState(models: Models, campaignId: Types.ObjectId, version: number, set: Record<string, unknown>): Promise<void> {
  // Never backwards: a slow writer of an older version must not undo a newer change.
  await campaignQueries.writeState(models, campaignId, version, set);
}

async function settle(models: Models, campaignId: Types.ObjectId, version: number): Promise<void> {
  for (const delay of SETTLE_CHECKS_MS) {
    await new Promise((r) => setTimeout(r, delay));
    const now = await campaignQueries.versionOf(models, campaignId).lean();
    if ((now?.stateVersion ?? 0) >= version) continue;
    // Put back by a concurrent update: write this version, and any recorded after it, again.
    await repairCampaignStates(models, [{ _id: campaignId, stateVersion: (now?.stateVersion ?? 0) }]);
  }
}
