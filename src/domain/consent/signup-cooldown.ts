// Per-address limit on sign-up mails (listmonk#3229: sign-up forms used to mail-bomb a victim):
// at most one mail per cooldown window and `dailyLimit` per UTC day, whatever the IPs.
//
// Claims are inserts into the unique `claims.key` index, the one step that is atomic on MongoDB and
// FerretDB alike. The cooldown is one key per address holding its own expiry rather than a key per
// fixed time slot: slot keys let two mails through seconds apart across a slot boundary.
import type { Models } from '../../data/models';
import { claimQueries } from '../../data/claim.queries';
import { claimOnce } from '../claims';

const DAY_MS = 86_400_000;

export interface CooldownSettings {
  cooldownMs: number;
  dailyLimit: number;
}

export class SignupCooldown {
  constructor(private readonly deps: { models: Models; now: () => Date; settings: CooldownSettings }) {}

  /** True when this caller may send the address a sign-up mail now; false for every concurrent loser. */
  async claim(emailHash: string): Promise<boolean> {
    return (await this.claimCooldown(emailHash)) && (await this.claimDailySlot(emailHash));
  }

  private async claimCooldown(emailHash: string): Promise<boolean> {
    const { models, now, settings } = this.deps;
    const key = `cooldown:${emailHash}`;
    // Two rounds: the second only after removing an expired claim. Removing goes by _id, so a
    // racer can never delete the fresh claim another racer has just inserted.
    for (let round = 0; round < 2; round++) {
      const at = now();
      if (await claimOnce(models, key, new Date(at.getTime() + settings.cooldownMs))) return true;
      const held = await claimQueries.byKey(models, key).lean();
      if (held && held.expiresAt > at) return false;
      if (held) await claimQueries.removeById(models, held._id);
    }
    return false;
  }

  private async claimDailySlot(emailHash: string): Promise<boolean> {
    const at = this.deps.now();
    const day = at.toISOString().slice(0, 10);
    const endOfDay = new Date(Math.floor(at.getTime() / DAY_MS + 1) * DAY_MS);
    for (let n = 1; n <= this.deps.settings.dailyLimit; n++) {
      if (await claimOnce(this.deps.models, `daily:${emailHash}:${day}:${n}`, endOfDay)) return true;
    }
    return false;
  }
}
