// Everything held about one address, read once per export: several sections need the same records
// (the consent events feed both the history and where the data came from), so each lookup runs at
// most once, when a section first asks for it. Only the person's own records: by their keyed hash
// or by their subscriber id, never a query that could return someone else's.
import type { Models } from '../../data/models';
import { campaignQueries } from '../../data/campaign.queries';
import { deliveryQueries } from '../../data/delivery.queries';
import { deliveryOutcomeQueries } from '../../data/delivery-outcome.queries';
import { inboundMessageQueries } from '../../data/inbound-message.queries';
import { suppressionQueries } from '../../data/suppression.queries';
import { subscriberQueries } from '../../data/subscriber.queries';
import { subscriptionQueries } from '../../data/subscription.queries';
import { consentEventQueries } from '../../data/consent-event.queries';
import { listQueries } from '../../data/list.queries';
import { policyVersionQueries } from '../../data/policy-version.queries';
import { dataSubjectRequestQueries } from '../../data/data-subject-request.queries';

export class PersonRecords {
  private readonly loaded = new Map<string, Promise<unknown>>();

  constructor(
    private readonly models: Models,
    readonly email: string,
    readonly emailHash: string,
  ) {}

  private once<T>(key: string, load: () => PromiseLike<T>): Promise<T> {
    let value = this.loaded.get(key) as Promise<T> | undefined;
    if (!value) {
      // A Mongoose query is a thenable that runs again on every await: adopt it once into a promise.
      value = Promise.resolve().then(load);
      this.loaded.set(key, value);
    }
    return value;
  }

  subscriber() {
    return this.once('subscriber', () => subscriberQueries.documentOfHash(this.models, this.emailHash).lean());
  }

  subscriptions() {
    return this.once('subscriptions', async () => {
      const subscriber = await this.subscriber();
      return subscriber ? subscriptionQueries.documentsOfSubscriber(this.models, subscriber._id).lean() : [];
    });
  }

  /** List names by slug, for the lists the person appears on (subscriptions, events, mailings). */
  listNames() {
    return this.once('lists', async () => {
      const [subscriptions, events, mailings] = await Promise.all([this.subscriptions(), this.consentEvents(), this.mailings()]);
      const slugs = [...subscriptions.map((s) => s.list), ...events.map((e) => e.list), ...mailings.map((m) => m.campaign?.list)];
      const known = [...new Set(slugs.filter((s): s is string => typeof s === 'string'))];
      const lists = await listQueries.namesOf(this.models, known).lean();
      return new Map(lists.map((l) => [l.slug, { lv: l.name?.lv ?? l.slug, en: l.name?.en ?? l.slug }]));
    });
  }

  consentEvents() {
    return this.once('events', () => consentEventQueries.ofAddress(this.models, this.emailHash).lean());
  }

  policyVersions() {
    return this.once('policies', async () => {
      const events = await this.consentEvents();
      const subscriptions = await this.subscriptions();
      const versions = new Set([...events.map((e) => e.policyVersion), ...subscriptions.map((s) => s.policyVersion)].filter((v): v is number => typeof v === 'number'));
      return policyVersionQueries.ofVersions(this.models, [...versions]).lean();
    });
  }

  /**
   * One entry per campaign: its outcome, or for a claim without one, `ambiguous` (the sending
   * process stopped between claiming and recording); with the campaign's subject and list.
   */
  mailings() {
    return this.once('mailings', async () => {
      const subscriber = await this.subscriber();
      if (!subscriber) return [];
      const [claims, outcomes] = await Promise.all([
        deliveryQueries.ofSubscriber(this.models, subscriber._id).lean(),
        deliveryOutcomeQueries.ofSubscriber(this.models, subscriber._id).lean(),
      ]);
      const decided = new Set(outcomes.map((o) => String(o.campaignId)));
      const entries = [
        ...outcomes.map((o) => ({ campaignId: o.campaignId, at: o.at, outcome: o.status as string, reason: o.reason ?? null })),
        ...claims.filter((c) => !decided.has(String(c.campaignId))).map((c) => ({ campaignId: c.campaignId, at: c.at, outcome: 'ambiguous', reason: null })),
      ].sort((a, b) => a.at.getTime() - b.at.getTime());
      const campaigns = await campaignQueries.subjectsAndLists(this.models, entries.map((e) => e.campaignId)).lean();
      const byId = new Map(campaigns.map((c) => [String(c._id), c]));
      return entries.map((e) => ({ ...e, campaign: byId.get(String(e.campaignId)) }));
    });
  }

  /** Campaign subject and list by id, for consent events that name the mail they came from. */
  campaignsOfEvents() {
    return this.once('event-campaigns', async () => {
      const ids = (await this.consentEvents()).map((e) => e.campaignId).filter((id) => id !== undefined && id !== null);
      const campaigns = ids.length ? await campaignQueries.subjectsAndLists(this.models, ids).lean() : [];
      return new Map(campaigns.map((c) => [String(c._id), c]));
    });
  }

  requests() {
    return this.once('requests', () => dataSubjectRequestQueries.documentsOfAddress(this.models, this.emailHash).lean());
  }

  suppressions() {
    return this.once('suppressions', () => suppressionQueries.documentsOfAddress(this.models, this.emailHash).lean());
  }

  inboundMessages() {
    return this.once('inbound', () => inboundMessageQueries.documentsFrom(this.models, this.emailHash).lean());
  }
}
