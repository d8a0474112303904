// The daily anchor and inclusion proofs, checked by a second implementation from the raw documents
// and the mailed root; the DPO's "verified up to", the access export's proof, and a chain that loses
// its anchored head.
import { expect } from 'chai';
import { Types } from 'mongoose';
import { hashEmail } from '../../src/domain/email-address';
import { AccessExport } from '../../src/domain/requests/access-export';
import type { LedgerExport } from '../../src/domain/requests/access-export-ledger';
import { RequesterMail } from '../../src/domain/requests/requester-mail';
import { createTestContext, type TestContext } from '../helpers/context';
import { createSubscriber, DEFAULT_LIST } from '../helpers/factories';
import { api } from '../requests/helpers';
import { checkChain, rootFromPath, rootOf } from './ledger-independent';
import { createHash } from 'node:crypto';

const DPO_MAIL = 'dpo-anchor@impro.lv';

describe('consent ledger: daily anchor and inclusion proofs', function () {
  this.timeout(120_000);
  let t: TestContext;
  // The clock runs; a test moves it on by whole days.
  let offsetMs = 0;
  const now = () => new Date(Date.now() + offsetMs);
  before(async () => {
    t = await createTestContext({ env: { LEDGER_ANCHOR_TO: DPO_MAIL }, clock: { now } });
  });
  after(async () => t.close());

  it('anchors every chain head under a Merkle root that a second implementation recomputes and the DPO receives', async () => {
    const people = Array.from({ length: 7 }, (_, i) => `enkurs${i}@example.lv`);
    for (const [i, email] of people.entries()) {
      const emailHash = hashEmail(email, t.config.emailHashKey);
      for (let j = 0; j <= i % 3; j++) await t.c.ledger.record({ emailHash, list: DEFAULT_LIST, type: 'confirmed', channel: 'web-form', ip: '192.0.2.7', note: `n${j}` });
    }
    const run = await t.c.ledgerAnchors.anchor();
    expect(run.status).to.equal('anchored');
    expect(run.anchor!.chainStart).to.equal(true);
    // A second run the same day adds nothing.
    expect((await t.c.ledgerAnchors.anchor()).status).to.equal('exists');
    expect(await t.c.models.ledgerAnchors.countDocuments()).to.equal(1);

    // From the raw documents alone: every chain, its head, the root.
    const raw = await t.c.models.consentEvents.collection.find({}).toArray();
    const byKey = new Map<string, typeof raw>();
    for (const e of raw) byKey.set(e.emailHash, [...(byKey.get(e.emailHash) ?? []), e]);
    const heads = [...byKey].map(([key, events]) => {
      const chain = checkChain(events, t.config.ledgerKey);
      expect(chain.firstBad, key).to.equal(undefined);
      return { key, ...chain.head! };
    });
    const root = rootOf(heads);
    const stored = await t.c.models.ledgerAnchors.findOne({}).lean();
    expect(stored).to.deep.include({ root, count: people.length, chainStart: true, date: now().toISOString().slice(0, 10) });
    const [mail] = await t.waitForMails(1, (m) => m.to.includes(DPO_MAIL));
    expect(mail!.parsed.text).to.contain(`root: ${root}`);
    expect(await t.c.models.auditEntries.findOne({ action: 'ledger.anchor' }).lean()).to.deep.include({ target: stored!.date });

    // Each person's proof leads from their head to the mailed root.
    for (const head of heads) {
      const proof = await t.c.ledgerAnchors.proof(head.key);
      expect(proof!.leaf).to.deep.equal(head);
      expect(rootFromPath(proof!.leaf, proof!.path)).to.equal(root);
    }
  });

  it('the DPO sees "verified up to" the anchor day, audited; a marketer sees nothing', async () => {
    const email = 'timeline@example.lv';
    const subscriber = await createSubscriber(t.c, { email, lists: { [DEFAULT_LIST]: 'active' } });
    const emailHash = hashEmail(email, t.config.emailHashKey);
    await t.c.ledger.record({ subscriberId: subscriber._id, emailHash, list: DEFAULT_LIST, type: 'confirmed', channel: 'web-form' });
    const before = await api(t, 'dpo', 'GET', `/subscribers/${String(subscriber._id)}/ledger`);
    expect(before.status).to.equal(200);
    expect(before.body).to.deep.include({ verified: true, events: 1 });
    expect(before.body.verifiedUpTo).to.equal(undefined);

    // Tomorrow's anchor takes the new chain in.
    const firstDay = (await t.c.ledgerAnchors.latest())!.date;
    offsetMs += 86_400_000;
    const run = await t.c.ledgerAnchors.anchor();
    expect(run.anchor!.chainStart).to.equal(false);
    expect(run.anchor!.previousDate).to.equal(firstDay);
    const after = await api(t, 'dpo', 'GET', `/subscribers/${String(subscriber._id)}/ledger`);
    expect(after.body).to.deep.include({ verified: true, verifiedUpTo: run.anchor!.date });
    expect(await t.c.models.auditEntries.countDocuments({ action: 'subscriber.ledger.read', target: String(subscriber._id) })).to.equal(2);
    expect((await api(t, 'marketer', 'GET', `/subscribers/${String(subscriber._id)}/ledger`)).status).to.equal(403);
    expect((await api(t, 'dpo', 'GET', `/subscribers/${String(new Types.ObjectId())}/ledger`)).status).to.equal(404);
    expect((await api(t, 'dpo', 'GET', '/subscribers/nonsense/ledger')).status).to.equal(400);

    // The access export carries the chain and the proof; the person can check both with the document alone.
    const exporter = new AccessExport({
      models: t.c.models,
      requesterMail: new RequesterMail({ mailer: t.c.mailer, emails: t.c.emails, listHeaders: t.c.listHeaders, mailboxAddress: t.config.mailboxAddress }),
      now: () => new Date(),
      settings: { retention: t.config.retention, publicBaseUrl: t.config.publicBaseUrl, mailboxAddress: t.config.mailboxAddress },
    });
    const { document } = await exporter.build({ number: 'DSR-LEDGER-1', email, emailHash, locale: 'lv' });
    const data = document as unknown as { ledger: LedgerExport };
    let prev = data.ledger.genesis;
    for (const link of data.ledger.chain) {
      expect(link.prevHash).to.equal(prev);
      expect(createHash('sha256').update(link.prevHash + link.canonical + link.erasableDigest).digest('hex')).to.equal(link.hash);
      prev = link.hash;
    }
    const anchor = data.ledger.latestAnchor!;
    expect(anchor.leaf).to.deep.equal({ key: emailHash, seq: 0, hash: prev });
    expect(rootFromPath(anchor.leaf, anchor.path)).to.equal(anchor.root);
    expect(anchor.root).to.equal(run.anchor!.root);

    // Deleting the anchored head cannot hide: verify against the anchor names what is missing.
    await t.c.models.consentEvents.deleteOne({ emailHash });
    const report = await t.c.ledgerVerifier.verifyAll({ anchoredHeads: new Map((await t.c.ledgerAnchors.leaves(run.anchor!.date)).map((l) => [l.key, l])) });
    expect(report.broken.map((b) => b.key)).to.deep.equal([emailHash]);
    expect(report.broken[0]!.reason).to.contain('no events left');
    const status = await api(t, 'dpo', 'GET', `/subscribers/${String(subscriber._id)}/ledger`);
    expect(status.body.verifiedUpTo).to.equal(undefined);
  });
});
