// "Exactly once" for steps that FerretDB's unisolated updates cannot guard: the first insert of a
// key into the unique index wins, on MongoDB and FerretDB alike. Retention removes expired keys.
import type { Models } from '../data/models';
import { isDuplicateKeyError } from '../errors';

export async function claimOnce(models: Models, key: string, expiresAt: Date): Promise<boolean> {
  try {
    await models.claims.create({ key, expiresAt });
    return true;
  } catch (err) {
    if (isDuplicateKeyError(err)) return false;
    throw err;
  }
}
