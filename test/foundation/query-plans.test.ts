// The queries a person or a campaign waits for, each with the index that must serve it. On the
// embedded FerretDB a filter the SQLite backend does not push down reads and decodes the whole
// collection (O(collection) per request); on MongoDB a missing index does the same. Each shape is
// the one the product sends (src/domain, src/data), explained on the real server: a scan fails.
import { expect } from 'chai';
import mongoose, { type Connection } from 'mongoose';
import { connectDatabase } from '../../src/data/connect';
import { createModels, syncIndexes, type Models } from '../../src/data/models';
import { QUERIES, type AnyNamedQuery } from '../../src/data/queries';
import { getServices, uniqueName } from '../helpers/services';

const { ObjectId } = mongoose.Types;

interface HotQuery {
  name: string;
  index: string;
  explain(m: Models): Promise<unknown>;
}

const id = new ObjectId();
const ids = [new ObjectId(), new ObjectId(), new ObjectId()];
const hash = 'a'.repeat(64);

// Arguments for each named query (src/data/*.queries.ts), by `collection.name`. A named query without
// arguments here fails the test: none escapes its plan.
const SAMPLE_ARGS: Record<string, unknown[]> = {
  'suppressions.ofAddress': [hash],
  'suppressions.documentsOfAddress': [hash],
  'suppressions.amongAddresses': [[hash, 'b'.repeat(64)]],
  'suppressions.tombstonesAmong': [[hash, 'b'.repeat(64)]],
  'suppressions.hasTombstone': [hash],
  'suppressions.replace': [hash, { $set: { reason: 'complaint' } }],
  'suppressions.lift': [hash],
  'suppressions.liftTombstone': [hash],
  'suppressions.byId': [id],
  'suppressions.removeById': [id],
  'subscribers.byId': [id],
  'subscribers.hashOf': [id],
  'subscribers.addresseeOf': [id],
  'subscribers.recordOf': [id],
  'subscribers.exists': [id],
  'subscribers.ofAddress': ['anna@example.lv'],
  'subscribers.refOfAddress': ['anna@example.lv'],
  'subscribers.documentOfHash': [hash],
  'subscribers.refOfHash': [hash],
  'subscribers.amongAddresses': [['a@example.lv', 'b@example.lv']],
  'subscribers.hashesAmong': [ids],
  'subscribers.recipientsAmong': [ids],
  'subscribers.rowsAmong': [ids],
  'subscribers.idsOfAddress': ['anna@example.lv', 'Anna'],
  'subscribers.setLocale': [id, 'en'],
  'subscribers.setRestricted': [id, true],
  'subscribers.rectify': [id, { name: 'Anna' }],
  'subscribers.remove': [id],
  'subscriptions.snapshot': [id],
  'subscriptions.versionOf': [id],
  'subscriptions.moveTo': [id, { $set: { status: 'active', version: 2 } }, { from: 1 }],
  'subscriptions.removePending': [id],
  'subscriptions.statesAmong': [ids],
  'subscriptions.ofSubscriberOnList': [id, 'e-jaunumi'],
  'subscriptions.activeAmongLists': [id, ['e-jaunumi', 'other']],
  'subscriptions.newestPendingRef': [id],
  'subscriptions.pendingOfRequest': [id, 'r'],
  'subscriptions.openOf': [id, ['e-jaunumi']],
  'subscriptions.choicesOf': [id],
  'subscriptions.statesOf': [id],
  'subscriptions.ofSubscriber': [id],
  'subscriptions.documentsOfSubscriber': [id],
  'subscriptions.countOfSubscriber': [id],
  'subscriptions.amongSubscribers': [ids],
  'subscriptions.olderOf': [id, 3],
  'subscriptions.olderAmongSubscribers': [ids, 3],
  'subscriptions.removeAllOf': [id],
  'subscriptions.removeUnsubscribedOf': [id],
  'subscriptions.activeCountOfList': ['e-jaunumi'],
  'subscriptions.activeOfList': ['e-jaunumi', { $gt: ids[0], $lte: ids[1] }, 1000],
  'subscriptions.audienceUpTo': ['e-jaunumi', ids[1], new Date()],
  'subscriptions.membersOf': ['e-jaunumi', 'active'],
  'subscriptions.countsOfList': ['e-jaunumi'],
  'consentEvents.byId': [id],
  'consentEvents.countById': [id],
  'consentEvents.amongIds': [ids],
  'consentEvents.presentAmong': [ids],
  'consentEvents.setLink': [id, { seq: 1, hash: hash }],
  'consentEvents.ofSubscriber': [id],
  'consentEvents.hashOfSubscriber': [id],
  'consentEvents.proofOfRequest': [id, 'r'],
  'consentEvents.proofsOfRequest': [id, 'r'],
  'consentEvents.ofAddress': [hash],
  'consentEvents.rawOfAddress': [hash],
  'consentEvents.headOf': [hash],
  'consentEvents.unchainedOf': [[hash, 'b'.repeat(64)]],
  'consentEvents.anonymise': [hash, { $unset: { ip: 1 }, $set: { anonymised: true } }],
  'consentEvents.withdrawalsFromCampaign': [id],
  'consentEvents.peopleOfCampaign': [id, 'confirmed', 're-consent'],
  'consentEvents.ofDays': [['2026-11-30', '2026-12-01'], ['requested', 'confirmed', 'withdrawn']],
  'consentEvents.withdrawalsBetween': [new Date(Date.now() - 7 * 86_400_000), new Date()],
  'consentEvents.transitionsUpTo': [['requested', 'confirmed', 'withdrawn'], new Date()],
  'consentEvents.withdrawalsAndConfirmations': [],
  'consentEvents.restrictionChanges': [],
  'optOuts.countOf': [hash],
  'optOuts.amongHashes': [[hash, 'b'.repeat(64)]],
  'optOuts.lift': [hash],
  'lists.bySlug': ['e-jaunumi'],
  'lists.exists': ['e-jaunumi'],
  'lists.namesOf': [['e-jaunumi', 'other']],
  'lists.publicNamesOf': [['e-jaunumi', 'other']],
  'lists.update': ['e-jaunumi', { public: false }],
  'requests.byId': [id],
  'requests.update': [id, { $set: { status: 'done' } }],
  'requests.updateIfAwaitingVerification': [id, { $set: { status: 'open' } }],
  'requests.forgetSubscriberOf': [ids],
  'requests.ofAddress': [hash],
  'requests.documentsOfAddress': [hash],
  'requests.actionsOfAddress': [hash],
  'requests.hasOpenOfAddress': [hash],
  'requests.fromMessage': ['m-1'],
  'requests.openByDue': [['awaiting-verification', 'open'], new Date(), 50],
  'requests.closedNewestFirst': [['done', 'rejected'], 50],
  'requests.countIn': [['awaiting-verification', 'open'], { $gte: new Date(), $lt: new Date(Date.now() + 7 * 86_400_000) }],
  'requests.nearestDue': [['awaiting-verification', 'open']],
  'requests.awaitingVerification': [],
  'requests.removeClosedBefore': [['done', 'rejected'], new Date()],
  'reConsentCampaigns.byId': [id],
  'reConsentCampaigns.update': [id, { $set: { status: 'closed' } }],
  'reConsentCampaigns.markReminded': [id, new Date()],
  'reConsentCampaigns.duePast': [new Date()],
  'reConsentMails.release': [id],
  'reConsentMails.invitedBy': [id],
  'reConsentMails.countOf': [id, 'reminder'],
  'reConsentMails.removeAllOf': [id],
  'imports.byId': [id],
  'imports.start': [id, new Date()],
  'imports.update': [id, { rows: 10 }],
};

/**
 * Explains the shape a named query sends: finds and aggregates as they are, writes and counts through
 * a find with their filter (Mongoose runs a count's explain() as the count itself).
 */
async function explainNamed(m: Models, query: AnyNamedQuery, args: unknown[]): Promise<unknown> {
  const built = query(m, ...args) as { explain?: () => Promise<unknown>; op?: string; model?: Models[keyof Models]; getFilter?: () => object; getOptions?: () => { sort?: object } };
  if (built && typeof built.getFilter === 'function' && built.model && built.op && !/^(find|findOne|distinct)$/.test(built.op)) {
    return (built.model as Models['subscribers']).find(built.getFilter() as never).explain();
  }
  if (built && typeof built.explain === 'function') return built.explain();
  throw new Error('a named query must return its Query or Aggregate unawaited');
}

// find().explain() for finds, updates and deletes (they read through the same backend query);
// aggregate().explain() for countDocuments (the driver sends it as $match + $group) and $match stats.
const count = (filter: Record<string, unknown>) => [{ $match: filter }, { $group: { _id: 1, n: { $sum: 1 } } }];

const HOT_QUERIES: HotQuery[] = [
  {
    name: 'sign-up: subscription update guard',
    index: 'subscriberId_1_list_1',
    explain: (m) => m.subscriptions.find({ subscriberId: id, list: 'e-jaunumi', status: { $ne: 'active' } }).explain(),
  },
  { name: 'campaign stats: deliveries of a campaign (count)', index: 'campaignId_1_subscriberId_1', explain: (m) => m.deliveries.aggregate(count({ campaignId: id })).explain() },
  {
    name: 'campaign stats: outcomes of a campaign',
    index: 'campaignId_1_subscriberId_1',
    explain: (m) => m.deliveryOutcomes.aggregate([{ $match: { campaignId: id } }, { $group: { _id: { status: '$status', reason: '$reason' }, n: { $sum: 1 } } }]).explain(),
  },
  { name: 'campaign progress: finished batches (count)', index: 'campaignId_1', explain: (m) => m.finishedBatches.aggregate(count({ campaignId: id })).explain() },
  { name: 'campaign report: finished batches of a campaign', index: 'campaignId_1', explain: (m) => m.finishedBatches.find({ campaignId: id }, { at: 1, recipients: 1 }).explain() },
  { name: 'campaign report: bounces and complaints of a campaign', index: 'campaignId_1', explain: (m) => m.campaignFeedback.find({ campaignId: id }, { kind: 1 }).explain() },
  { name: 'claims by key', index: 'key_1', explain: (m) => m.claims.find({ key: 'send:x:y' }).explain() },
  { name: 'erasure: erased event already recorded (count)', index: 'emailHash_1', explain: (m) => m.consentEvents.aggregate(count({ emailHash: hash, type: 'erased', requestRef: 'R-1' })).explain() },
  { name: 'ledger: a day\'s anchor', index: 'date_1', explain: (m) => m.ledgerAnchors.find({ date: '2026-12-01' }).explain() },
  { name: 'ledger: a day\'s anchor leaves', index: 'date_1_chunk_1', explain: (m) => m.ledgerAnchorLeaves.find({ date: '2026-12-01' }).sort({ chunk: 1 }).explain() },
  { name: 'person page: inbound mail from the person', index: 'fromHash_1', explain: (m) => m.inboundMessages.find({ fromHash: hash }).explain() },
  { name: 'person page: inbound mail named by the ledger', index: 'dedupeKey_1', explain: (m) => m.inboundMessages.find({ dedupeKey: { $in: ['mid:<a@b>', 'mid:<c@d>'] } }).explain() },
  { name: 'access export: deliveries of a subscriber', index: 'subscriberId_1', explain: (m) => m.deliveries.find({ subscriberId: id }).explain() },
  { name: 'access export: outcomes of a subscriber', index: 'subscriberId_1', explain: (m) => m.deliveryOutcomes.find({ subscriberId: id }).explain() },
  { name: 'audit log: entries of one actor, newest first', index: 'actor_1_at_-1', explain: (m) => m.auditEntries.find({ actor: 'anna@impro.lv' }).sort({ at: -1, _id: -1 }).limit(100).explain() },
  { name: 'audit log: entries of one action', index: 'action_1_at_-1', explain: (m) => m.auditEntries.find({ action: 'subscriber.search' }).sort({ at: -1, _id: -1 }).limit(100).explain() },
  { name: 'audit log, retention: entries of targets', index: 'target_1_at_-1', explain: (m) => m.auditEntries.find({ target: { $in: ['a@example.lv', 'a@EXAMPLE.lv'] } }).explain() },
];

describe('query plans: every hot query is served by an index', () => {
  let conn: Connection;
  let models: Models;
  before(async () => {
    const s = getServices();
    conn = await connectDatabase(`${s.mongoBase}${uniqueName('qp')}${s.mongoQuery}`);
    models = createModels(conn);
    await syncIndexes(models);
  });
  after(async () => {
    await conn.dropDatabase();
    await conn.close();
  });

  const named = Object.entries(QUERIES).flatMap(([collection, queries]) => Object.entries(queries).map(([name, query]) => ({ key: `${collection}.${name}`, query })));
  for (const { key, query } of named) {
    const { plan } = query;
    if ('scan' in plan) {
      it(`${key} reads the whole collection on purpose: ${plan.scan}`, () => expect(plan.scan).to.have.length.above(10));
      continue;
    }
    it(`${key} uses ${plan.index}`, async () => {
      expect(SAMPLE_ARGS, `no sample arguments for ${key}`).to.have.property(key);
      expectIndexed((await explainNamed(models, query, SAMPLE_ARGS[key]!)) as Record<string, unknown>, plan.index);
    });
  }

  for (const q of HOT_QUERIES) {
    it(`${q.name} uses ${q.index}`, async () => {
      expectIndexed((await q.explain(models)) as Record<string, unknown>, q.index);
    });
  }
});

function expectIndexed(explained: Record<string, unknown>, index: string): void {
  const plan = (explained.queryPlanner as { Plan?: unknown } | undefined)?.Plan;
  if (Array.isArray(plan)) {
    // FerretDB/SQLite: rows `id=… parent=… notused=… detail=SEARCH <table> USING INDEX <table>_<index> (…)`.
    const details = plan.map((row) => String(row).replace(/^.*?detail=/, ''));
    expect(explained.filterPushdown, details.join('\n')).to.equal(true);
    expect(details.filter((d) => /^SCAN /.test(d)), 'a full scan').to.deep.equal([]);
    expect(details.some((d) => new RegExp(`^SEARCH \\S+ USING (COVERING )?INDEX \\S+_${index} `).test(d)), details.join('\n')).to.equal(true);
  } else {
    // MongoDB
    const text = JSON.stringify(explained);
    expect(text).not.to.contain('COLLSCAN');
    expect(text).to.match(new RegExp(`"indexName":"${index}"|IDHACK|EXPRESS_IXSCAN`));
  }
}
