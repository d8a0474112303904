// The consent ledger as a hash chain per person: concurrent appends never fork it, a retried event
// is not appended twice, `ledger verify` finds an edit, a deletion, an insertion or a reordering made
// directly in the database and names the right event, and `ledger migrate` chains older events.
import { expect } from 'chai';
import { Types } from 'mongoose';
import { connectDatabase } from '../../src/data/connect';
import { createModels } from '../../src/data/models';
import { ConsentLedger } from '../../src/domain/consent/consent-ledger';
import { hashEmail } from '../../src/domain/email-address';
import { runCli } from '../helpers/cli';
import { createTestContext, type TestContext } from '../helpers/context';
import { DEFAULT_LIST } from '../helpers/factories';
import { checkChain, canonicalOf } from './ledger-independent';

describe('consent ledger: one hash chain per person', function () {
  this.timeout(180_000);
  let t: TestContext;
  before(async () => {
    t = await createTestContext();
  });
  after(async () => t.close());

  const keyOf = (email: string) => hashEmail(email, t.config.emailHashKey);
  const rawEvents = (emailHash: string) => t.c.models.consentEvents.collection.find({ emailHash }).toArray();

  async function chainOf(email: string, n: number): Promise<Types.ObjectId[]> {
    const emailHash = keyOf(email);
    for (let i = 0; i < n; i++) {
      await t.c.ledger.record({ emailHash, subscriberId: new Types.ObjectId(), list: DEFAULT_LIST, type: i % 2 ? 'withdrawn' : 'confirmed', channel: 'web-form', ip: `198.51.100.${i}`, userAgent: 'Firefox', policyVersion: 1 });
    }
    const events = await rawEvents(emailHash);
    return events.sort((a, b) => a.seq - b.seq).map((e) => e._id as Types.ObjectId);
  }

  it('50 events for one person from 10 clients at once make one unbroken chain', async () => {
    const emailHash = keyOf('daudzi@example.lv');
    const clients = await Promise.all(
      Array.from({ length: 10 }, async () => {
        const conn = await connectDatabase(t.config.mongodbUri!);
        return { conn, ledger: new ConsentLedger({ models: createModels(conn), now: () => new Date(), ledgerKey: t.config.ledgerKey }) };
      }),
    );
    try {
      await Promise.all(
        clients.map(async ({ ledger }, client) => {
          for (let i = 0; i < 5; i++) {
            // Every client also retries one keyed event the others write too: it must stay one link.
            const writes = [ledger.record({ emailHash, list: DEFAULT_LIST, type: 'confirmed', channel: 'api', note: `client ${client} event ${i}` })];
            if (i === 2) writes.push(ledger.recordOnce('shared-retry', { emailHash, list: DEFAULT_LIST, type: 'withdrawn', channel: 'one-click' }).then(() => undefined));
            await Promise.all(writes);
          }
        }),
      );
    } finally {
      await Promise.all(clients.map((c) => c.conn.close()));
    }
    const events = await rawEvents(emailHash);
    expect(events).to.have.length(51);
    expect(events.map((e) => e.seq).sort((a, b) => a - b)).to.deep.equal(Array.from({ length: 51 }, (_, i) => i));
    expect(checkChain(events, t.config.ledgerKey).firstBad).to.equal(undefined);
    expect((await t.c.ledgerVerifier.verifyPerson(emailHash)).broken).to.equal(undefined);
  });

  it('a retried keyed event finds itself and appends no second link', async () => {
    const emailHash = keyOf('atkartoti@example.lv');
    expect(await t.c.ledger.recordOnce('retry-1', { emailHash, type: 'confirmed', channel: 'api', list: DEFAULT_LIST })).to.equal(true);
    await t.c.ledger.record({ emailHash, type: 'withdrawn', channel: 'api', list: DEFAULT_LIST });
    expect(await t.c.ledger.recordOnce('retry-1', { emailHash, type: 'confirmed', channel: 'api', list: DEFAULT_LIST })).to.equal(false);
    const events = await rawEvents(emailHash);
    expect(events.map((e) => e.seq).sort()).to.deep.equal([0, 1]);
    // The hash covers the canonical form the document describes (checked by the second implementation).
    expect(canonicalOf(events[0]!)).to.contain('"chainFormat":1');
  });

  it('`ledger verify` names the edited, deleted-after, inserted and reordered event, and exits 1', async () => {
    const events = t.c.models.consentEvents.collection;
    // An edit of what happened.
    const edited = await chainOf('labots@example.lv', 5);
    await events.updateOne({ _id: edited[2] }, { $set: { type: 'confirmed', channel: 'admin' } });
    // An edit of an erasable field (the IP): its digest gives it away.
    const ipEdited = await chainOf('ip@example.lv', 4);
    await events.updateOne({ _id: ipEdited[1] }, { $set: { ip: '203.0.113.66' } });
    // A deletion: the event after the gap is the first broken link.
    const deleted = await chainOf('dzests@example.lv', 5);
    await events.deleteOne({ _id: deleted[2] });
    // An insertion with well-formed chain fields at the end, by someone without the ledger key.
    const inserted = await chainOf('ielikts@example.lv', 3);
    const head = (await rawEvents(keyOf('ielikts@example.lv'))).find((e) => e.seq === 2)!;
    const forgedId = new Types.ObjectId();
    const forged: Record<string, unknown> = { ...head, _id: forgedId, seq: 3, chainLink: `${head.emailHash}:3`, prevHash: head.hash, type: 'confirmed', at: new Date() };
    const { createHash } = await import('node:crypto');
    forged.hash = createHash('sha256').update(String(head.hash) + canonicalOf(forged) + String(head.erasableDigest)).digest('hex');
    await events.insertOne(forged);
    // An insertion without chain fields, as a plain insert makes it.
    await chainOf('bez-kedes@example.lv', 2);
    const plainId = new Types.ObjectId();
    await events.insertOne({ _id: plainId, emailHash: keyOf('bez-kedes@example.lv'), type: 'confirmed', channel: 'web-form', at: new Date(0) });
    // A reordering: events 1 and 2 swap places.
    const reordered = await chainOf('sajaukts@example.lv', 4);
    await events.updateOne({ _id: reordered[1] }, { $set: { seq: 99, chainLink: 'tmp' } });
    await events.updateOne({ _id: reordered[2] }, { $set: { seq: 1, chainLink: `${keyOf('sajaukts@example.lv')}:1` } });
    await events.updateOne({ _id: reordered[1] }, { $set: { seq: 2, chainLink: `${keyOf('sajaukts@example.lv')}:2` } });
    // And one person nobody touched.
    await chainOf('neskarts@example.lv', 3);

    const all = await runCli(t.env, 'ledger', 'verify', '--all', '--json').then(
      () => expect.fail('verify must exit non-zero on a break'),
      (err: { code: number; stdout: string }) => err,
    );
    expect(all.code).to.equal(1);
    const report = JSON.parse(all.stdout);
    const brokenAt = Object.fromEntries(report.broken.map((b: { key: string; eventId: string }) => [b.key, b.eventId]));
    expect(brokenAt).to.deep.equal({
      [keyOf('labots@example.lv')]: String(edited[2]),
      [keyOf('ip@example.lv')]: String(ipEdited[1]),
      [keyOf('dzests@example.lv')]: String(deleted[3]),
      [keyOf('ielikts@example.lv')]: String(forgedId),
      [keyOf('bez-kedes@example.lv')]: String(plainId),
      [keyOf('sajaukts@example.lv')]: String(reordered[2]),
    });
    expect(inserted).to.have.length(3);
    // The second implementation agrees on every one.
    for (const [key, id] of Object.entries(brokenAt)) expect(checkChain(await rawEvents(key), t.config.ledgerKey).firstBad, key).to.equal(id);

    const one = await runCli(t.env, 'ledger', 'verify', '--email', 'Neskarts@Example.LV');
    expect(one.stdout).to.match(/1 chains, 3 events: verified/);
    const text = await runCli(t.env, 'ledger', 'verify', '--email', 'labots@example.lv').catch((err: { stdout: string }) => err);
    expect(text.stdout).to.contain(`at event ${String(edited[2])} seq 2`);
  });

  it('`ledger migrate` chains older events in their order, once, after what the chain already holds', async () => {
    const events = t.c.models.consentEvents.collection;
    const old = keyOf('vecs@example.lv');
    const mixed = keyOf('jaukts@example.lv');
    const ids = [new Types.ObjectId(), new Types.ObjectId(), new Types.ObjectId()];
    await events.insertMany([
      { _id: ids[1]!, emailHash: old, type: 'withdrawn', channel: 'one-click', list: DEFAULT_LIST, at: new Date('2024-02-01T00:00:00Z'), ip: '192.0.2.1' },
      { _id: ids[0]!, emailHash: old, type: 'confirmed', channel: 'web-form', list: DEFAULT_LIST, at: new Date('2024-01-01T00:00:00Z'), userAgent: 'Opera' },
      // Erased before the chain existed: its digest can cover only what is left.
      { _id: ids[2]!, emailHash: old, type: 'erased', channel: 'admin', at: new Date('2024-03-01T00:00:00Z'), anonymised: true },
      { _id: new Types.ObjectId(), emailHash: mixed, type: 'requested', channel: 'web-form', at: new Date('2023-05-01T00:00:00Z') },
    ]);
    await t.c.ledger.record({ emailHash: mixed, type: 'confirmed', channel: 'web-form', list: DEFAULT_LIST });

    const first = await runCli(t.env, 'ledger', 'migrate');
    expect(JSON.parse(first.stdout).eventsChained).to.be.at.least(4);
    const again = await runCli(t.env, 'ledger', 'migrate');
    expect(JSON.parse(again.stdout)).to.deep.equal({ chains: 0, eventsChained: 0 });

    const chained = (await rawEvents(old)).sort((a, b) => a.seq - b.seq);
    expect(chained.map((e) => String(e._id))).to.deep.equal(ids.map(String));
    expect(checkChain(chained, t.config.ledgerKey).firstBad).to.equal(undefined);
    const mixedChain = (await rawEvents(mixed)).sort((a, b) => a.seq - b.seq);
    expect(mixedChain.map((e) => e.type)).to.deep.equal(['confirmed', 'requested']);
    expect(checkChain(mixedChain, t.config.ledgerKey).firstBad).to.equal(undefined);
    expect(await t.c.models.auditEntries.countDocuments({ action: 'ledger.migrate' })).to.equal(2);
  });
});
