// "Exactly once" for steps that FerretDB's unisolated updates cannot guard: the first insert of a
// key into a unique index wins, on MongoDB and FerretDB alike. Retention removes expired claims.
import type { Models } from '../data/models';
import { isDuplicateKeyError } from '../errors';

/** Runs the insert; false if a unique index already held its key (someone else won). */
export async function insertOnce(insert: () => Promise<unknown>): Promise<boolean> {
  try {
    await insert();
    return true;
  } catch (err) {
    if (isDuplicateKeyError(err)) return false;
    throw err;
  }
}

/** A named, expiring claim in the claims collection. */
export function claimOnce(models: Models, key: string, expiresAt: Date): Promise<boolean> {
  return insertOnce(() => models.claims.create({ key, expiresAt }));
}
