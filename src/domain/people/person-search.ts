// The DPO finds a person: by the exact address (an index lookup on every server), by part of the
// address or of the name (case-insensitive), and by list and state. Pages run in subscriber `_id`
// order with an `after` cursor, so a page is stable while people sign up.
//
// Cost on the embedded FerretDB: only top-level equality and `$in` reach its indexes. The exact
// address is `{emailKey}`, a list is `{list, status}` (its index's first field) and a page is read
// by `{_id: {$in}}` (at most 101 ids); a part of an address or name is a regex, which FerretDB
// tests on every subscriber in Go. That pass asks for ids only and no sort (a sort is done in Go on
// whole documents); the ids are intersected and ordered here and only the page's documents are
// read. The limit bounds what is read after the pass, never the pass itself (figures:
// bench/people-search.ts, docs/performance.md).
import { domainToASCII } from 'node:url';
import { Types } from 'mongoose';
import type { Models } from '../../data/models';
import type { SubscriptionState } from '../../data/subscription.model';
import { emailKey, normalizeEmail } from '../email-address';
import { subscriberQueries } from '../../data/subscriber.queries';
import { subscriptionQueries } from '../../data/subscription.queries';

export interface PersonQuery {
  /** The whole address: found through the `emailKey` index. */
  email?: string;
  /** Part of the address, matched against its normalised form. */
  address?: string;
  /** Part of the name, any case. */
  name?: string;
  list?: string;
  /** A subscription state on `list`. */
  state?: SubscriptionState;
  limit: number;
  /** The last subscriber id of the previous page. */
  after?: string;
}

export interface PersonRow {
  id: string;
  email: string;
  name: string;
  locale: string;
  restricted: boolean;
  lists: Record<string, string>;
}

/** The fragment as the stored `emailKey` spells it: lower case, an internationalised domain label in punycode. */
export function addressFragment(input: string): string {
  const lower = input.trim().toLowerCase();
  const at = lower.lastIndexOf('@');
  // The local part is ASCII (email-address.ts); anything else belongs to the domain.
  const [local, domain] = at >= 0 ? [lower.slice(0, at + 1), lower.slice(at + 1)] : ['', lower];
  const labels = domain.split('.').map((label) => (/^[\x00-\x7f]*$/.test(label) ? label : domainToASCII(label) || label));
  return local + labels.join('.');
}

/** A literal for $regex: every metacharacter escaped (RE2 on FerretDB, PCRE on MongoDB; both linear on a literal). */
export function literalPattern(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
}

export class PersonSearch {
  constructor(private readonly deps: { models: Models }) {}

  async find(q: PersonQuery): Promise<{ items: PersonRow[]; next: string | null }> {
    // A malformed exact address is the caller's error (InvalidEmailError, a 400), not an empty page.
    const key = q.email !== undefined ? emailKey(normalizeEmail(q.email)) : undefined;
    const addressPattern = key === undefined && q.address?.trim() ? literalPattern(addressFragment(q.address)) : undefined;
    const namePattern = q.name?.trim() ? literalPattern(q.name.trim()) : undefined;
    const after = q.after ? new Types.ObjectId(q.after) : undefined;

    // Each criterion gives the ids it admits (the regex in one unsorted pass, a list through its
    // index); the page is read by `_id` from their intersection, so nothing is read twice.
    const [matching, members] = await Promise.all([
      key !== undefined || addressPattern || namePattern ? this.matching(key, addressPattern, namePattern) : undefined,
      q.list ? this.membersOf(q.list, q.state) : undefined,
    ]);
    const found = await this.page(intersect(matching, members), after, q.limit + 1);
    const page = found.slice(0, q.limit);
    const subscriptions = page.length
      ? await subscriptionQueries.amongSubscribers(this.deps.models, page.map((s) => s._id)).lean()
      : [];
    return {
      items: page.map((s) => ({
        id: String(s._id),
        email: s.email,
        name: s.name ?? '',
        locale: s.locale ?? 'lv',
        restricted: Boolean(s.restricted),
        lists: Object.fromEntries(subscriptions.filter((x) => x.subscriberId.equals(s._id)).map((x) => [x.list, x.status])),
      })),
      next: found.length > q.limit ? String(page[page.length - 1]!._id) : null,
    };
  }

  /**
   * Ids only, in one pass without a sort: FerretDB sorts in Go, so `sort({_id}).limit()` on a
   * filter it cannot push down would read, decode and sort every matching document for each page.
   */
  private async matching(key: string | undefined, addressPattern: string | undefined, namePattern: string | undefined): Promise<Types.ObjectId[]> {
    const found = key !== undefined ? subscriberQueries.idsOfAddress(this.deps.models, key, namePattern) : subscriberQueries.idsMatching(this.deps.models, { addressPattern, namePattern });
    return (await found.lean()).map((s) => s._id);
  }

  /** A list's members through its `{list, status}` index. */
  private async membersOf(list: string, state: SubscriptionState | undefined): Promise<Types.ObjectId[]> {
    const members = await subscriptionQueries.membersOf(this.deps.models, list, state).lean();
    return members.map((m) => m.subscriberId);
  }

  /** The page after `after`: the candidates in `_id` order, one `_id $in` for the page's documents. */
  private async page(candidates: string[], after: Types.ObjectId | undefined, limit: number) {
    const ids = candidates.filter((id) => !after || id > after.toHexString()).sort().slice(0, limit);
    if (ids.length === 0) return [];
    // A person erased since the first pass is simply not there.
    return subscriberQueries.rowsAmong(this.deps.models, ids.map((id) => new Types.ObjectId(id))).lean();
  }
}

/** Hex ids present in every given set (the schema makes sure at least one is given). */
function intersect(...sets: Array<Types.ObjectId[] | undefined>): string[] {
  const given = sets.filter((s): s is Types.ObjectId[] => s !== undefined).map((s) => s.map((id) => id.toHexString()));
  if (given.length === 0) return [];
  const [first, ...rest] = given as [string[], ...string[][]];
  const others = rest.map((r) => new Set(r));
  return [...new Set(first)].filter((id) => others.every((o) => o.has(id)));
}

