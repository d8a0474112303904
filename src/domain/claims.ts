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

/**
 * insertOnce() for many documents: one unordered insertMany; returns the indexes of the documents
 * whose unique key was already held. Any other error is thrown.
 */
export async function insertManyOnce(collection: { insertMany(docs: object[], options: { ordered: false }): Promise<unknown> }, docs: object[]): Promise<Set<number>> {
  if (docs.length === 0) return new Set();
  try {
    await collection.insertMany(docs, { ordered: false });
    return new Set();
  } catch (err) {
    const writeErrors = ([] as Array<{ index: number; code?: number }>).concat((err as { writeErrors?: never }).writeErrors ?? []);
    if (writeErrors.length === 0 || !writeErrors.every((e) => isDuplicateKeyError(e))) throw err;
    return new Set(writeErrors.map((e) => e.index));
  }
}

/** A named, expiring claim in the claims collection. */
export function claimOnce(models: Models, key: string, expiresAt: Date): Promise<boolean> {
  return insertOnce(() => models.claims.create({ key, expiresAt }));
}
