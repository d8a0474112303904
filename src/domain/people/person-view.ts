// Everything the DPO needs about one person on one page: subscriptions and their states, the
// restriction, suppressions with their evidence, the consent ledger as a timeline (with the campaign
// or message each event came from), their data-subject requests and the mail they sent us or that
// concerned them. Every read here is by an index: `_id`, `subscriberId`, `emailHash`, `fromHash`,
// `dedupeKey`.
import { Types } from 'mongoose';
import type { ConsentEventDoc } from '../../data/consent-event.model';
import type { Models } from '../../data/models';
import { campaignQueries } from '../../data/campaign.queries';
import { inboundMessageQueries } from '../../data/inbound-message.queries';
import { NotFoundError } from '../../errors';
import type { ConsentLedger } from '../consent/consent-ledger';
import type { Suppressions } from '../consent/suppressions';
import type { DataSubjectRequestService } from '../requests/requests';
import { subscriberQueries } from '../../data/subscriber.queries';
import { subscriptionQueries } from '../../data/subscription.queries';
import { listQueries } from '../../data/list.queries';

type StoredEvent = ConsentEventDoc & { _id: Types.ObjectId };

/** One ledger event as staff read it (GET /subscribers/:id/consent and the person's timeline). */
export function consentEventView(e: StoredEvent) {
  return {
    id: String(e._id),
    type: e.type,
    list: e.list ?? undefined,
    channel: e.channel,
    at: e.at,
    policyVersion: e.policyVersion ?? undefined,
    consentTextHash: e.consentTextHash ?? undefined,
    consentText: e.consentText ?? undefined,
    ip: e.ip ?? undefined,
    forwardedFor: e.forwardedFor ?? undefined,
    userAgent: e.userAgent ?? undefined,
    requestRef: e.requestRef ?? undefined,
    campaignId: e.campaignId ? String(e.campaignId) : undefined,
    messageId: e.messageId ?? undefined,
    consentedAt: e.consentedAt ?? undefined,
    source: e.source ?? undefined,
    actor: e.actor ?? undefined,
    note: e.note ?? undefined,
  };
}

/** Why a kept inbound message belongs on the person's page. */
type InboundLink = 'sender' | 'request' | 'suppression' | 'consent';

export class PersonView {
  constructor(
    private readonly deps: {
      models: Models;
      ledger: Pick<ConsentLedger, 'history'>;
      suppressions: Pick<Suppressions, 'forAddress'>;
      requests: Pick<DataSubjectRequestService, 'forPerson'>;
    },
  ) {}

  async get(id: string) {
    const { models } = this.deps;
    if (!Types.ObjectId.isValid(id)) throw new NotFoundError('subscriber');
    const subscriber = await subscriberQueries.byId(models, id).lean();
    if (!subscriber) throw new NotFoundError('subscriber');
    const [subscriptions, lists, suppressions, events, requests] = await Promise.all([
      subscriptionQueries.ofSubscriber(models, subscriber._id).lean(),
      listQueries.names(models).lean(),
      this.deps.suppressions.forAddress(subscriber.emailHash),
      this.deps.ledger.history(subscriber._id),
      this.deps.requests.forPerson(subscriber.emailHash),
    ]);
    const campaignIds = [...new Set(events.flatMap((e) => (e.campaignId ? [String(e.campaignId)] : [])))];
    const [campaigns, inbound] = await Promise.all([
      campaignIds.length ? campaignQueries.namesAndSubjects(models, campaignIds).lean() : [],
      this.inbound(subscriber.emailHash, {
        request: requests.flatMap((r) => (r.inboundMessageId ? [r.inboundMessageId] : [])),
        suppression: suppressions.flatMap((s) => (s.evidence?.inboundMessageId ? [s.evidence.inboundMessageId] : [])),
        consent: events.flatMap((e) => (e.messageId ? [e.messageId] : [])),
      }),
    ]);
    const campaignOf = new Map(campaigns.map((c) => [String(c._id), { id: String(c._id), name: c.name, subject: c.subject }]));
    const listName = new Map(lists.map((l) => [l.slug, l.name ?? null]));
    return {
      id: String(subscriber._id),
      email: subscriber.email,
      name: subscriber.name ?? '',
      locale: subscriber.locale ?? 'lv',
      restricted: Boolean(subscriber.restricted),
      createdAt: subscriber.createdAt,
      updatedAt: subscriber.updatedAt,
      lists: subscriptions.map((s) => ({
        list: s.list,
        name: listName.get(s.list) ?? null,
        status: s.status,
        requestedAt: s.requestedAt ?? null,
        confirmedAt: s.confirmedAt ?? null,
        unsubscribedAt: s.unsubscribedAt ?? null,
        policyVersion: s.policyVersion ?? null,
      })),
      suppressions,
      timeline: events.map((e) => ({ ...consentEventView(e), campaign: e.campaignId ? (campaignOf.get(String(e.campaignId)) ?? null) : null })),
      requests,
      inbound,
    };
  }

  /** Their own mail (by the sender's keyed hash), and the messages their requests, suppressions and ledger name. */
  private async inbound(emailHash: string, named: { request: string[]; suppression: string[]; consent: string[] }) {
    const { models } = this.deps;
    const ids = [...named.request, ...named.suppression].filter((id) => Types.ObjectId.isValid(id));
    const [sent, byId, byMessageId] = await Promise.all([
      inboundMessageQueries.listedFrom(models, emailHash).lean(),
      ids.length ? inboundMessageQueries.listedByIds(models, ids).lean() : [],
      named.consent.length ? inboundMessageQueries.listedByDedupeKeys(models, named.consent.map((m) => `mid:${m}`)).lean() : [],
    ]);
    const links = new Map<string, { doc: (typeof sent)[number]; via: Set<InboundLink> }>();
    const add = (doc: (typeof sent)[number], via: InboundLink) => {
      const key = String(doc._id);
      const entry = links.get(key) ?? { doc, via: new Set<InboundLink>() };
      entry.via.add(via);
      links.set(key, entry);
    };
    sent.forEach((m) => add(m, 'sender'));
    byId.forEach((m) => add(m, named.request.includes(String(m._id)) ? 'request' : 'suppression'));
    byMessageId.forEach((m) => add(m, 'consent'));
    return [...links.values()]
      .sort((a, b) => b.doc.receivedAt.getTime() - a.doc.receivedAt.getTime())
      .map(({ doc, via }) => ({
        id: String(doc._id),
        receivedAt: doc.receivedAt,
        from: doc.from ?? null,
        subject: doc.subject ?? null,
        kind: doc.kind ?? null,
        outcome: doc.outcome,
        note: doc.note ?? null,
        effects: doc.effects ?? [],
        matchedBy: doc.matchedBy ?? null,
        via: [...via],
      }));
  }
}
