// Lists (newsletter topics) for the admin API: create, rename, describe, and whether the sign-up
// page offers them. The slug is the list's identity in subscriptions, links and campaigns, so it
// never changes; names and descriptions do.
import type { Container } from '../container';
import { DuplicateError, NotFoundError, isDuplicateKeyError } from '../errors';
import { subscriptionQueries } from '../data/subscription.queries';
import { listQueries } from '../data/list.queries';

export interface Localized {
  lv: string;
  en: string;
}

export interface ListInput {
  slug: string;
  name: Localized;
  description?: Localized;
  public?: boolean;
}

export type ListPatch = Partial<Omit<ListInput, 'slug'>>;

export interface ListView {
  slug: string;
  name: Localized;
  description: Localized;
  public: boolean;
  subscriptions: { pending: number; active: number; unsubscribed: number; lapsed: number };
}

type ListDoc = { slug: string; name?: Localized | null; description?: Partial<Localized> | null; public?: boolean | null };

export class ListService {
  constructor(private readonly deps: Pick<Container, 'models'>) {}

  async list(): Promise<ListView[]> {
    const [lists, counts] = await Promise.all([listQueries.all(this.deps.models).lean(), this.counts()]);
    return lists.map((l) => toView(l, counts.get(l.slug)));
  }

  async get(slug: string): Promise<ListView> {
    const list = await listQueries.bySlug(this.deps.models, slug).lean();
    if (!list) throw new NotFoundError(`list ${slug}`);
    return toView(list, (await this.counts(slug)).get(slug));
  }

  async create(input: ListInput): Promise<ListView> {
    try {
      await this.deps.models.lists.create({ description: { lv: '', en: '' }, public: true, ...input });
    } catch (err) {
      if (isDuplicateKeyError(err)) throw new DuplicateError(`a list named ${input.slug} exists`);
      throw err;
    }
    return this.get(input.slug);
  }

  async update(slug: string, patch: ListPatch): Promise<ListView> {
    const set: Record<string, unknown> = {};
    if (patch.name) set.name = patch.name;
    if (patch.description) set.description = patch.description;
    if (patch.public !== undefined) set.public = patch.public;
    const result = await listQueries.update(this.deps.models, slug, set);
    if (result.matchedCount === 0) throw new NotFoundError(`list ${slug}`);
    return this.get(slug);
  }

  private async counts(slug?: string) {
    const rows: Array<{ _id: { list: string; status: string }; n: number }> = await (slug
      ? subscriptionQueries.countsOfList(this.deps.models, slug)
      : subscriptionQueries.countsByList(this.deps.models));
    const byList = new Map<string, ListView['subscriptions']>();
    for (const row of rows) {
      const counts = byList.get(row._id.list) ?? { pending: 0, active: 0, unsubscribed: 0, lapsed: 0 };
      counts[row._id.status as keyof typeof counts] = row.n;
      byList.set(row._id.list, counts);
    }
    return byList;
  }
}

function toView(doc: ListDoc, counts?: ListView['subscriptions']): ListView {
  return {
    slug: doc.slug,
    name: { lv: doc.name?.lv ?? '', en: doc.name?.en ?? '' },
    description: { lv: doc.description?.lv ?? '', en: doc.description?.en ?? '' },
    public: doc.public ?? true,
    subscriptions: counts ?? { pending: 0, active: 0, unsubscribed: 0, lapsed: 0 },
  };
}
