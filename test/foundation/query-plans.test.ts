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
  'campaigns.byId': [id],
  'campaigns.withoutContent': [id],
  'campaigns.forSending': [id],
  'campaigns.stateOf': [id],
  'campaigns.versionOf': [id],
  'campaigns.statusOf': [id],
  'campaigns.progressOf': [id],
  'campaigns.complaintsOf': [id],
  'campaigns.audienceBoundOf': [id],
  'campaigns.subjectsAndLists': [ids],
  'campaigns.namesAndSubjects': [ids.map(String)],
  'campaigns.listedInStatus': ['sent', 50],
  'campaigns.unfinished': [],
  'campaigns.sendingWithProgress': [],
  'campaigns.scheduled': [],
  'campaigns.anySending': [],
  'campaigns.saveEdit': [id, { $set: { name: 'x' } }],
  'campaigns.writeState': [id, 2, { status: 'sending' }],
  'campaigns.countFeedback': [id, 'bounced'],
  'campaigns.checkpoint': [id, ids[0], 3, 1500],
  'campaigns.markFannedOut': [id],
  'campaigns.freezeAudience': [id, ids[0]],
  'campaigns.recordRecovery': [id, 1, 4],
  'campaigns.remove': [id],
  'campaignStates.byId': [`${String(id)}:1`],
  'campaignStates.removeOfCampaign': [id],
  'deliveries.recipientsOfCampaign': [id],
  'deliveries.countOfCampaign': [id],
  'deliveries.isClaimed': [id, ids[0]],
  'deliveries.recentTo': [id, new Date()],
  'deliveries.ofSubscriber': [id],
  'deliveries.removeOfSubscriber': [id],
  'deliveries.release': [ids],
  'campaignTallies.ofCampaign': [id],
  'campaigns.recordFinalStats': [id, { sent: 1, skipped: 0, failed: 0, ambiguous: 0, skipReasons: {} }],
  'deliveryOutcomes.countsOfCampaign': [id],
  'deliveryOutcomes.ofSubscriber': [id],
  'deliveryOutcomes.removeOfSubscriber': [id],
  'finishedBatches.countOfCampaign': [id],
  'finishedBatches.ofCampaign': [id],
  'campaignFeedback.kindsOfCampaign': [id],
  'inboundMessages.byId': [id],
  'inboundMessages.decisionOf': [id],
  'inboundMessages.inSlot': ['INBOX', '7:42'],
  'inboundMessages.leftInInboxAmong': ['INBOX', ['7:42', '7:43']],
  'inboundMessages.documentsFrom': [hash],
  'inboundMessages.listedFrom': [hash],
  'inboundMessages.listedByIds': [ids],
  'inboundMessages.listedByDedupeKeys': [['mid:<a@b>', 'mid:<c@d>']],
  'inboundMessages.countWithOutcomes': [['review', 'failed']],
  'inboundMessages.countWithOutcome': ['kept'],
  'inboundMessages.oldestWithOutcome': ['received'],
  'inboundMessages.oldestWithOutcomes': [['review', 'failed']],
  'inboundMessages.kindsOnDays': [['2026-11-30', '2026-12-01']],
  'inboundMessages.reviewPage': [['review', 'failed', 'kept'], 50, new Date()],
  'inboundMessages.markMoved': [id, 'Processed'],
  'inboundMessages.markClassifying': [id, new Date()],
  'inboundMessages.recordUndecided': [id, { outcome: 'applied' }],
  'inboundMessages.recordFailedSlot': ['INBOX', '7:42', { $set: { outcome: 'failed' } }],
  'inboundMessages.addEffect': [id, 'suppress'],
  'inboundMessages.setNote': [id, 'note'],
  'inboundMessages.recordDecision': [id, { outcome: 'applied' }],
  'claims.byKey': ['send:x:y'],
  'claims.amongKeys': [['verify:a', 'verify:b']],
  'claims.release': ['send:x:y'],
  'claims.releaseIfExpired': ['admin-change', new Date()],
  'claims.removeById': [id],
  'auditEntries.pageOfActor': [{ actor: 'anna@impro.lv', limit: 100 }],
  'auditEntries.pageOfAction': [{ action: 'subscriber.search', from: new Date(0), limit: 100 }],
  'auditEntries.pageOfTarget': [{ target: 'a@example.lv', limit: 100, before: new Date(), beforeId: String(id) }],
  'auditEntries.retarget': [['a@example.lv', 'a@EXAMPLE.lv'], `emailHash:${hash}`],
  'staff.byId': [id],
  'staff.ofEmail': ['anna@impro.lv'],
  'staff.activateWithPassword': [id, { hash: 'h' }, new Date()],
  'staff.changePassword': [id, { hash: 'h' }, new Date()],
  'staff.setRole': [id, 'dpo'],
  'staff.deactivate': [id],
  'staff.enableTotp': [id, 'sealed', new Date()],
  'staff.removeTotp': [id],
  'staff.markSignedIn': [id, new Date()],
  'staff.countFailure': ['anna@impro.lv'],
  'ledgerAnchors.ofDate': ['2026-12-01'],
  'ledgerAnchors.markMailed': ['2026-12-01', 'anchor@example.lv', new Date()],
  'ledgerAnchorLeaves.ofDate': ['2026-12-01'],
  'ledgerAnchorLeaves.removeOfDate': ['2026-12-01'],
};

/** Explains the shape a named query sends: finds and aggregates as they are, writes through a find with their filter. */
async function explainNamed(m: Models, query: AnyNamedQuery, args: unknown[]): Promise<unknown> {
  const built = query(m, ...args) as { explain?: () => Promise<unknown>; op?: string; model?: Models[keyof Models]; getFilter?: () => object; getOptions?: () => { sort?: object } };
  // A count's explain() answers the count: it is explained as the $match + $group the driver sends.
  if (built && typeof built.getFilter === 'function' && built.model && built.op === 'countDocuments') {
    return (built.model as Models['subscribers']).aggregate(count(built.getFilter() as Record<string, unknown>)).explain();
  }
  if (built && typeof built.getFilter === 'function' && built.model && built.op && !/^(find|findOne|countDocuments|distinct)$/.test(built.op)) {
    return (built.model as Models['subscribers']).find(built.getFilter() as never).explain();
  }
  if (built && typeof built.explain === 'function') return built.explain();
  throw new Error('a named query must return its Query or Aggregate unawaited');
}

// find().explain() for finds, updates and deletes (they read through the same backend query);
// aggregate().explain() for countDocuments (the driver sends it as $match + $group) and $match stats.
const count = (filter: Record<string, unknown>) => [{ $match: filter }, { $group: { _id: 1, n: { $sum: 1 } } }];

const HOT_QUERIES: HotQuery[] = [
  { name: 'sign-up: subscriber by emailKey', index: 'emailKey_1', explain: (m) => m.subscribers.find({ emailKey: 'anna@example.lv' }).explain() },
  { name: 'requests, erasure: subscriber by emailHash', index: 'emailHash_1', explain: (m) => m.subscribers.find({ emailHash: hash }).explain() },
  { name: 'import: subscribers by emailKey $in', index: 'emailKey_1', explain: (m) => m.subscribers.find({ emailKey: { $in: ['a@example.lv', 'b@example.lv'] } }).explain() },
  { name: 'send batch: subscribers by _id $in', index: '_id_', explain: (m) => m.subscribers.find({ _id: { $in: ids } }).explain() },
  { name: 'one-click: subscription by _id', index: '_id_', explain: (m) => m.subscriptions.find({ _id: id }).explain() },
  { name: 'unsubscribe page: subscriptions by subscriberId', index: 'subscriberId_1_list_1', explain: (m) => m.subscriptions.find({ subscriberId: id }).sort({ list: 1 }).explain() },
  {
    name: 'sign-up: active subscriptions of a subscriber in lists',
    index: 'subscriberId_1_list_1',
    explain: (m) => m.subscriptions.find({ subscriberId: id, list: { $in: ['e-jaunumi', 'other'] }, status: 'active' }).explain(),
  },
  {
    name: 'sign-up: subscription update guard',
    index: 'subscriberId_1_list_1',
    explain: (m) => m.subscriptions.find({ subscriberId: id, list: 'e-jaunumi', status: { $ne: 'active' } }).explain(),
  },
  { name: 'import: subscriptions by subscriberId $in', index: 'subscriberId_1_list_1', explain: (m) => m.subscriptions.find({ subscriberId: { $in: ids } }).explain() },
  {
    name: 'fan-out: a page of active subscriptions of a list',
    index: 'list_1_status_1__id_1',
    explain: (m) =>
      m.subscriptions
        .find({ list: 'e-jaunumi', status: 'active', _id: { $gt: ids[0], $lte: ids[1] } }, { _id: 1, subscriberId: 1 })
        .sort({ _id: 1 })
        .limit(1000)
        .explain(),
  },
  { name: 'stats: subscriptions of a list by status (count)', index: 'list_1_status_1__id_1', explain: (m) => m.subscriptions.aggregate(count({ list: 'e-jaunumi', status: 'active' })).explain() },
  { name: 'campaign report: withdrawals from a campaign', index: 'campaignId_1_type_1', explain: (m) => m.consentEvents.find({ campaignId: id, type: 'withdrawn' }).explain() },
  { name: 'dashboard: consent events of the last days by type', index: 'day_1_type_1', explain: (m) => m.consentEvents.find({ day: { $in: ['2026-11-30', '2026-12-01'] }, type: { $in: ['requested', 'confirmed', 'withdrawn'] } }).explain() },
  { name: 'erasure: erased event already recorded (count)', index: 'emailHash_1', explain: (m) => m.consentEvents.aggregate(count({ emailHash: hash, type: 'erased', requestRef: 'R-1' })).explain() },
  { name: 'ledger: a chain\'s head (append) and its events (verify, export)', index: 'emailHash_1', explain: (m) => m.consentEvents.find({ emailHash: hash }, { seq: 1, hash: 1 }).sort({ seq: -1 }).limit(1).explain() },
  { name: 'erasure: requests by emailHash', index: 'emailHash_1', explain: (m) => m.requests.find({ emailHash: hash }).explain() },
  { name: 'sign-up: public lists by slug $in', index: 'slug_1', explain: (m) => m.lists.find({ slug: { $in: ['e-jaunumi', 'other'] }, public: true }).explain() },
  {
    name: 'confirm: pending subscriptions of a request',
    index: 'subscriberId_1_list_1',
    explain: (m) => m.subscriptions.find({ subscriberId: id, pendingRef: 'r', status: 'pending' }, { list: 1, policyVersion: 1 }).explain(),
  },
  {
    name: 'confirm: consent events of a request',
    index: 'subscriberId_1_at_1',
    explain: (m) => m.consentEvents.find({ subscriberId: id, requestRef: 'r', type: 'requested' }).explain(),
  },
  { name: 'access export: consent history of a subscriber', index: 'subscriberId_1_at_1', explain: (m) => m.consentEvents.find({ subscriberId: id }).sort({ at: 1, _id: 1 }).explain() },
  { name: 'people: members of a list in a state', index: 'list_1_status_1__id_1', explain: (m) => m.subscriptions.find({ list: 'e-jaunumi', status: 'active' }, { _id: 0, subscriberId: 1 }).explain() },
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
