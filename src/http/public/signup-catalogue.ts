// What a sign-up answer needs from the database, held in memory so that the answer waits for no
// query: which lists are public, and which consent sentence each policy version shows. Both change
// rarely; policy versions never change once registered. A list or version the cache does not know
// triggers a reload (lists: at most one per second; a request waits for it), the same for every
// address: it reveals nothing.
import type { Models } from '../../data/models';
import { listQueries } from '../../data/list.queries';
import { consentProof, type ConsentProof, type PolicyLocale, type PolicyVersion, type PolicyVersions } from '../../domain/consent/policy-versions';

const LISTS_MAX_AGE_MS = 30_000;
const POLICIES_MAX_AGE_MS = 10_000;
const MIN_RELOAD_INTERVAL_MS = 1_000;

interface Cached<T> {
  value: T;
  loadedAt: number;
}

export type ListNames = Map<string, { lv: string; en: string }>;

export class SignupCatalogue {
  private lists?: Cached<ListNames>;
  private listsLoading?: Promise<Cached<ListNames>>;
  private policies?: Cached<PolicyVersion[]>;
  private policiesLoading?: Promise<Cached<PolicyVersion[]>>;

  constructor(private readonly deps: { models: Models; policies: Pick<PolicyVersions, 'all'>; now: () => Date }) {}

  /** Whether every slug names a public list. */
  async arePublicLists(slugs: string[]): Promise<boolean> {
    let cached = await this.publicLists(false);
    if (slugs.every((s) => cached.value.has(s))) return true;
    // A list made a moment ago must not be refused; a flood of unknown names must not become a
    // flood of queries: wait for the next allowed reload (one per second, shared by all who wait).
    const wait = cached.loadedAt + MIN_RELOAD_INTERVAL_MS - Date.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    cached = await this.publicLists(true);
    return slugs.every((s) => cached.value.has(s));
  }

  /** The public lists and their names, slug order. */
  async publicListNames(): Promise<ListNames> {
    return (await this.publicLists(false)).value;
  }

  /**
   * The proof of what the form showed: the version it names, if that one is in force or was before,
   * its consent sentence naming the chosen lists. Undefined for a form without the field or with a
   * number that is no such version: the sign-up then records the version in force when it runs.
   */
  async consentShown(version: number | undefined, locale: PolicyLocale, lists: string[]): Promise<ConsentProof | undefined> {
    if (version === undefined) return undefined;
    const names = await this.publicListNames();
    let versions = (await this.policyVersions(false)).value;
    // Versions never change once registered; one the cache lacks was registered since it loaded.
    if (!versions.some((v) => v.version === version)) versions = (await this.policyVersions(true)).value;
    const shown = versions.find((v) => v.version === version && v.effectiveAt.getTime() <= this.deps.now().getTime());
    // In the form's order (by slug), the order its script names the ticked boxes in.
    const chosen = [...lists].sort();
    return shown ? consentProof(shown, locale, chosen.map((slug) => names.get(slug)?.[locale] ?? slug)) : undefined;
  }

  private publicLists(force: boolean): Promise<Cached<ListNames>> {
    if (!force && this.lists && Date.now() - this.lists.loadedAt < LISTS_MAX_AGE_MS) return Promise.resolve(this.lists);
    this.listsLoading ??= listQueries
      .publicCatalogue(this.deps.models)
      .lean()
      .then((docs) => (this.lists = { value: new Map(docs.map((d) => [d.slug, { lv: d.name?.lv ?? d.slug, en: d.name?.en ?? d.slug }])), loadedAt: Date.now() }))
      .finally(() => (this.listsLoading = undefined));
    return this.listsLoading;
  }

  private policyVersions(force: boolean): Promise<Cached<PolicyVersion[]>> {
    if (!force && this.policies && Date.now() - this.policies.loadedAt < POLICIES_MAX_AGE_MS) return Promise.resolve(this.policies);
    this.policiesLoading ??= this.deps.policies
      .all()
      .then((value) => (this.policies = { value, loadedAt: Date.now() }))
      .finally(() => (this.policiesLoading = undefined));
    return this.policiesLoading;
  }
}
