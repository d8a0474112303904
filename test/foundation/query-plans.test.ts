// Every query the product sends (the named queries of src/data/*.queries.ts), each with the index
// that must serve it. On the embedded FerretDB a filter the SQLite backend does not push down reads
// and decodes the whole collection (O(collection) per request); on MongoDB a missing index does the
// same. Each is explained on the real server as the product sends it: a scan fails, unless the query
// is declared a scan on purpose, with its reason.
import { expect } from 'chai';
import mongoose, { type Connection } from 'mongoose';
import { connectDatabase } from '../../src/data/connect';
import { createModels, syncIndexes, type Models } from '../../src/data/models';
import { QUERIES, type AnyNamedQuery } from '../../src/data/queries';
import { getServices, uniqueName } from '../helpers/services';

const { ObjectId } = mongoose.Types;

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
  'subscribers.byId': [id],
  'subscribers.hashOf': [id],
  'subscribers.addresseeOf': [id],
  'subscribers.hashesOf': [ids],
  'subscribers.namesAmong': [ids],
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
  'subscriptions.snapshotsAmong': [ids],
  'subscriptions.moveManyTo': [ids, { $set: { status: 'unsubscribed' } }],
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
  'consentEvents.linksOf': [[hash, 'b'.repeat(64)]],
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

// A count as the driver sends it: $match + $group.
const count = (filter: Record<string, unknown>) => [{ $match: filter }, { $group: { _id: 1, n: { $sum: 1 } } }];


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
