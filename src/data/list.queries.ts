// Every question asked of `lists`: by slug (its unique index). The collection holds a handful of
// newsletters, so the pages that show every list read all of it.
import { scans, uses } from './named-query';

export const listQueries = {
  /** A list's page, its update. */
  bySlug: uses('slug_1', (m, slug: string) => m.lists.findOne({ slug })),
  /** Import, a campaign's list: is there such a list. */
  exists: uses('slug_1', (m, slug: string) => m.lists.exists({ slug })),
  /** Mails, the unsubscribe page, the access export, re-consent: the names of these lists. */
  namesOf: uses('slug_1', (m, slugs: string[]) => m.lists.find({ slug: { $in: slugs } }, { slug: 1, name: 1 }).sort({ slug: 1 })),
  /** Sign-up: the names of these lists, if each is public. */
  publicNamesOf: uses('slug_1', (m, slugs: string[]) => m.lists.find({ slug: { $in: slugs }, public: true }, { slug: 1, name: 1 })),
  /** The list editor. */
  update: uses('slug_1', (m, slug: string, set: Record<string, unknown>) => m.lists.updateOne({ slug }, { $set: set })),

  /** Sign-up form and its cached catalogue: the public lists. */
  publicCatalogue: scans('the sign-up form lists every public newsletter: a handful of documents', (m) =>
    m.lists.find({ public: true }, { slug: 1, name: 1, description: 1 }).sort({ slug: 1 }),
  ),
  /** The lists page: every list, whole. */
  all: scans('the lists page shows every newsletter: a handful of documents', (m) => m.lists.find().sort({ slug: 1 })),
  /** Person page, people search: every list's name. */
  names: scans('every newsletter\'s name for a console page: a handful of documents', (m) => m.lists.find({}, { slug: 1, name: 1 }).sort({ slug: 1 })),
  /** Erasure, reconciliation: every list (an erased person says no to each). */
  slugs: scans('every newsletter\'s slug: a handful of documents', (m) => m.lists.find({}, { slug: 1 })),
};
