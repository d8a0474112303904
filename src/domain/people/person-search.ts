// The DPO finds a person: by the exact address (an index lookup on every server), by part of the
// address or of the name (case-insensitive), and by list and state. Pages run in subscriber `_id`
// order with an `after` cursor, so a page is stable while people sign up.
//
// Cost on the embedded FerretDB: only top-level equality and `$in` reach its indexes. The exact
// address is `{emailKey}`, a list is `{list, status}` (its index's first field) and the page of a
// list is `{_id: {$in}}`; a part of an address or name is a regex, which reads and tests every
// subscriber in Go (bench/people-search.ts: about 20,000 in well under a second). The limit bounds
// what a page returns and what is read after it, never the scan itself.
import { domainToASCII } from 'node:url';
import { Types } from 'mongoose';
import type { Models } from '../../data/models';
import type { SubscriptionState } from '../../data/subscription.model';
import { emailKey, normalizeEmail } from '../email-address';

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

// A list's members are read by `_id` in slices this size (well under FerretDB's 10,000-value pushdown).
const IDS_PER_QUERY = 1000;

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
    const filter: Record<string, unknown> = {};
    // A malformed exact address is the caller's error (InvalidEmailError, a 400), not an empty page.
    if (q.email !== undefined) filter.emailKey = emailKey(normalizeEmail(q.email));
    else if (q.address?.trim()) filter.emailKey = { $regex: literalPattern(addressFragment(q.address)) };
    if (q.name?.trim()) filter.name = { $regex: literalPattern(q.name.trim()), $options: 'i' };
    const after = q.after ? new Types.ObjectId(q.after) : undefined;

    const found = q.list ? await this.inList(q.list, q.state, filter, after, q.limit + 1) : await this.anywhere(filter, after, q.limit + 1);
    const page = found.slice(0, q.limit);
    const subscriptions = page.length
      ? await this.deps.models.subscriptions.find({ subscriberId: { $in: page.map((s) => s._id) } }, { subscriberId: 1, list: 1, status: 1 }).lean()
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

  private anywhere(filter: Record<string, unknown>, after: Types.ObjectId | undefined, limit: number) {
    return this.deps.models.subscribers
      .find(after ? { ...filter, _id: { $gt: after } } : filter, PROJECTION)
      .sort({ _id: 1 })
      .limit(limit)
      .lean();
  }

  /** The list's members in `_id` order, read in slices by `_id $in` until the page is full. */
  private async inList(list: string, state: SubscriptionState | undefined, filter: Record<string, unknown>, after: Types.ObjectId | undefined, limit: number) {
    const { models } = this.deps;
    const members = await models.subscriptions.find({ list, ...(state ? { status: state } : {}) }, { _id: 0, subscriberId: 1 }).lean();
    const ids = members
      .map((m) => m.subscriberId)
      .filter((id) => !after || id.toHexString() > after.toHexString())
      .sort((a, b) => (a.toHexString() < b.toHexString() ? -1 : 1));
    const found = [];
    for (let i = 0; i < ids.length && found.length < limit; i += IDS_PER_QUERY) {
      const slice = await models.subscribers
        .find({ ...filter, _id: { $in: ids.slice(i, i + IDS_PER_QUERY) } }, PROJECTION)
        .sort({ _id: 1 })
        .lean();
      found.push(...slice);
    }
    return found.slice(0, limit);
  }
}

const PROJECTION = { email: 1, name: 1, locale: 1, restricted: 1 };
