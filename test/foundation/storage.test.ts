// Mongoose on the real MongoDB-compatible server (FerretDB in tests unless MONGODB_URI is given):
// the behaviours the rest of the code relies on.
import { expect } from 'chai';
import mongoose from 'mongoose';
import { DEFAULT_LIST } from '../../src/data/list.model';
import { createTestContext, type TestContext } from '../helpers/context';
import { DuplicateError, isDuplicateKeyError } from '../../src/errors';
import { createSubscriber } from '../helpers/factories';
import { subscriberQueries } from '../../src/data/subscriber.queries';

describe('storage: Mongoose on the MongoDB-compatible server', () => {
  let t: TestContext;
  before(async () => {
    t = await createTestContext();
  });
  after(async () => t.close());

  it('seeds the default list and privacy-policy version 1', async () => {
    const list = await t.c.models.lists.findOne({ slug: DEFAULT_LIST }).lean();
    expect(list?.name?.lv).to.equal('e-Jaunumi');
    const policy = await t.c.models.policyVersions.findOne({ version: 1 }).lean();
    expect(policy?.text).to.contain('e-Jaunumi');
    expect(policy?.textHash).to.match(/^[0-9a-f]{64}$/);
  });

  it('round-trips a document with dates, nested objects and ObjectIds', async () => {
    const sub = await createSubscriber(t.c, { email: 'Anna.Berzina@Example.LV', name: 'Anna Bērziņa' });
    const back = await t.c.models.subscribers.findById(sub._id).lean();
    expect(back?.name).to.equal('Anna Bērziņa');
    expect(back?.email).to.equal('Anna.Berzina@example.lv');
    expect(back?.createdAt).to.be.instanceOf(Date);
    expect(String(back?._id)).to.equal(String(sub._id));
  });

  it('reports a unique-index violation as a duplicate-key error the domain can map', async () => {
    await createSubscriber(t.c, { email: 'dup@example.lv' });
    const err = await createSubscriber(t.c, { email: 'DUP@example.lv' }).catch((e: unknown) => e);
    expect(isDuplicateKeyError(err)).to.equal(true);
    expect(new DuplicateError('x')).to.have.property('code', 'duplicate');
  });

  it('upserts: inserts once, then updates the same document', async () => {
    const filter = { key: 'upsert-test' };
    const expiresAt = new Date(Date.now() + 60_000);
    await t.c.models.claims.updateOne(filter, { $setOnInsert: { expiresAt } }, { upsert: true });
    await t.c.models.claims.updateOne(filter, { $set: { expiresAt: new Date(0) } }, { upsert: true });
    const all = await t.c.models.claims.find(filter).lean();
    expect(all).to.have.length(1);
    expect(all[0]!.expiresAt.getTime()).to.equal(0);
  });

  it('pages with a cursor by _id and counts', async () => {
    const subscriberId = new mongoose.Types.ObjectId();
    const docs = Array.from({ length: 25 }, (_, i) => ({ subscriberId: new mongoose.Types.ObjectId(), list: `paging-${i % 2}`, status: 'active' }));
    await t.c.models.subscriptions.insertMany(docs);
    expect(await t.c.models.subscriptions.countDocuments({ list: 'paging-0', status: 'active' })).to.equal(13);
    const seen: string[] = [];
    let last: mongoose.Types.ObjectId | undefined;
    for (;;) {
      const page = await t.c.models.subscriptions
        .find({ list: 'paging-1', status: 'active', ...(last ? { _id: { $gt: last } } : {}) })
        .sort({ _id: 1 })
        .limit(5)
        .lean();
      if (page.length === 0) break;
      seen.push(...page.map((p) => String(p._id)));
      last = page[page.length - 1]!._id;
    }
    expect(seen).to.have.length(12);
    expect([...seen].sort()).to.deep.equal(seen);
    const streamed: string[] = [];
    for await (const doc of t.c.models.subscriptions.find({ list: 'paging-1' }).sort({ _id: 1 }).cursor({ batchSize: 4 })) {
      streamed.push(String(doc._id));
    }
    expect(streamed).to.deep.equal(seen);
    expect(subscriberId).to.be.instanceOf(mongoose.Types.ObjectId);
  });

  it('lets exactly one of many concurrent inserts claim a unique key', async () => {
    const results = await Promise.allSettled(
      Array.from({ length: 20 }, () => t.c.models.claims.create({ key: 'race', expiresAt: new Date() })),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).to.have.length(1);
    expect(results.filter((r) => r.status === 'rejected' && isDuplicateKeyError(r.reason))).to.have.length(19);
  });

  // The hot paths (one-click unsubscribe, the send worker) find documents by _id only. On FerretDB's
  // SQLite backend that is a seek only with the build patch in src/infra/ferretdb.ts; without it,
  // SQLite's plan is `SCAN <table>` (the whole collection, every time).
  it('finds a document by _id through an index, not a scan', async () => {
    const sub = await createSubscriber(t.c, { email: 'seek@example.lv' });
    const explained = (await t.c.models.subscribers.collection.find({ _id: sub._id }).explain()) as Record<string, unknown>;
    const plan = JSON.stringify(explained.queryPlanner);
    if (Array.isArray((explained.queryPlanner as { Plan?: unknown }).Plan)) {
      expect(plan).to.match(/SEARCH \S+ USING INDEX \S+__id_/); // FerretDB/SQLite
    } else {
      expect(plan).to.match(/IDHACK|EXPRESS_IXSCAN|IXSCAN/); // MongoDB
    }
  });

  it('reads many documents by _id in one $in, missing ids left out', async () => {
    const people = await Promise.all(['by-id-a', 'by-id-b', 'by-id-c'].map((name) => createSubscriber(t.c, { email: `${name}@example.lv` })));
    const ids = [...people.map((p) => p._id), new mongoose.Types.ObjectId()];
    // The send batch's read of its recipients (src/data/subscriber.queries.ts).
    const found = await subscriberQueries.recipientsAmong(t.c.models, ids).lean();
    expect(found.map((d) => d.email).sort()).to.deep.equal(['by-id-a@example.lv', 'by-id-b@example.lv', 'by-id-c@example.lv']);
    expect(found[0]).not.to.have.property('createdAt');
    expect(await subscriberQueries.recipientsAmong(t.c.models, []).lean()).to.deep.equal([]);
  });
});
