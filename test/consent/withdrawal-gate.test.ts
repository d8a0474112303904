// The withdrawal gate (src/domain/consent/recent-withdrawals.ts) for everything that stops mail to a person,
// and its flags once the person has come back.
import { expect } from 'chai';
import { Types } from 'mongoose';
import { Erasure } from '../../src/domain/requests/erasure';
import { sendBatch, type SendDeps } from '../../src/domain/campaigns/send-batch';
import { SendPacer } from '../../src/mail/send-pacer';
import { batchOf, copiesPerRecipient, createCampaign, HookedPacer, seedAudience } from '../campaigns/helpers';
import { createTestContext, type TestContext } from '../helpers/context';
import { DEFAULT_LIST } from '../helpers/factories';

describe('consent: one withdrawal gate for every stop', function () {
  this.timeout(60_000);
  let t: TestContext;
  before(async () => {
    t = await createTestContext();
  });
  after(async () => t.close());

  const erasure = () =>
    new Erasure({ models: t.c.models, ledger: t.c.ledger, suppressions: t.c.suppressions, optOuts: t.c.optOuts, personalQueues: [], logger: t.c.logger });
  const hashOf = async (id: string) => (await t.c.models.subscribers.findById(id, { emailHash: 1 }).lean())!.emailHash;

  async function send(id: string, audience: Array<{ id: string; subscriptionId: string }>, pacer: SendPacer, run: string) {
    const deps: SendDeps = { ...t.c, now: () => new Date(), pacer, settings: t.c.config };
    return sendBatch(deps, { campaignId: id, recipients: batchOf(audience) }, { batchJobId: `${id}-${run}`, runId: run, finalAttempt: false });
  }

  async function sendingCampaign() {
    const id = await createCampaign(t);
    await t.c.models.campaigns.updateOne({ _id: id }, { $set: { status: 'sending' } });
    return id;
  }

  it('a restriction, a suppression and an erasure during a batch stop every send that starts after them', async () => {
    const audience = await seedAudience(t.c, 40, { prefix: 'gate' });
    const id = await sendingCampaign();
    const [restricted, suppressed, erased] = [audience.slice(20, 27), audience.slice(27, 34), audience.slice(34)];
    const pacer = new HookedPacer(async (chunk) => {
      // The batch has already read everyone as mailable; then, before the third chunk:
      if (chunk !== 3) return;
      for (const p of restricted) await t.c.restrictions.restrict(p.id, { channel: 'admin', actor: 'dpo@impro.lv' });
      for (const p of suppressed) await t.c.suppressions.suppress(await hashOf(p.id), 'manual', 'asked by phone');
      for (const p of erased) await erasure().erase({ emailHash: await hashOf(p.id), email: p.email, requestRef: `DSR-GATE-${p.id}`, channel: 'admin' });
    });
    const outcome = await send(id, audience, pacer, 'gate');
    expect(outcome).to.deep.include({ state: 'done', sent: 20, skipped: 20 });

    const mails = await t.waitForMails(20, (m) => m.parsed.headers.get('x-ejaunumi-campaign') === id);
    expect([...copiesPerRecipient(mails, id).keys()].sort()).to.deep.equal(audience.slice(0, 20).map((p) => p.email).sort());
    const skipped = await t.c.models.deliveryOutcomes.find({ campaignId: new Types.ObjectId(id), status: 'skipped' }).lean();
    const reasonOf = new Map(skipped.map((s) => [String(s.subscriberId), s.reason]));
    for (const p of restricted) expect(reasonOf.get(p.id), 'restricted').to.equal('restricted');
    for (const p of suppressed) expect(reasonOf.get(p.id), 'suppressed').to.equal('suppressed');
    // The erasure removed the claim and outcome with the person; what matters is no mail.
  });

  /** What a FLUSHALL or a restart without persistence does to the gate: its flags, marks and generation go. */
  async function loseGateMemory() {
    const prefix = t.config.queuePrefix;
    const keys = [
      ...(await t.c.redis.keys(`${prefix}:withdrawn:*`)),
      ...(await t.c.redis.keys(`${prefix}:sending:*`)),
      `${prefix}:withdrawals:generation`,
    ];
    await t.c.redis.del(...keys);
  }

  it('Redis losing its data mid-batch loses no withdrawal: the batch reads consent again', async () => {
    const audience = await seedAudience(t.c, 40, { prefix: 'flushed' });
    const id = await sendingCampaign();
    const leaving = audience.slice(25, 35);
    const pacer = new HookedPacer(async (chunk) => {
      // The batch has read everyone as mailable; they unsubscribe (flags raised, answered), then
      // Redis forgets everything before the third chunk.
      if (chunk !== 3) return;
      for (const p of leaving) await t.c.unsubscribes.unsubscribe({ subscriberId: p.id, lists: 'all', channel: 'one-click' });
      await loseGateMemory();
    });
    const outcome = await send(id, audience, pacer, 'flushed');
    expect(outcome).to.deep.include({ state: 'done', sent: 30, skipped: 10 });
    const mails = await t.waitForMails(30, (m) => m.parsed.headers.get('x-ejaunumi-campaign') === id);
    const mailed = new Set(copiesPerRecipient(mails, id).keys());
    for (const p of leaving) expect(mailed.has(p.email), p.email).to.equal(false);
  });

  it('a stop right after Redis lost its data waits while a campaign is sending, and not otherwise', async () => {
    const [person] = await seedAudience(t.c, 1, { prefix: 'young' });
    const hash = await hashOf(person!.id);
    const generationKey = `${t.config.queuePrefix}:withdrawals:generation`;
    await t.c.models.campaigns.updateMany({ status: 'sending' }, { $set: { status: 'sent' } });
    await t.c.redis.set(generationKey, String(Date.now() - 9_000));
    expect(await t.c.withdrawals.settle(hash, DEFAULT_LIST), 'nothing sending: no mark can have been lost').to.equal(false);

    await sendingCampaign();
    await t.c.redis.set(generationKey, String(Date.now() - 9_500));
    const started = Date.now();
    expect(await t.c.withdrawals.settle(hash, DEFAULT_LIST)).to.equal(true);
    expect(Date.now() - started).to.be.at.least(400);
  });

  it('a restriction, a suppression and an erasure each wait while a mail to that person is with SMTP', async () => {
    const [a, b, c] = await seedAudience(t.c, 3, { prefix: 'inflight' });
    const hashes = await Promise.all([a!, b!, c!].map((p) => hashOf(p.id)));
    await t.c.withdrawals.beginSending(hashes, DEFAULT_LIST);
    let done = 0;
    const stops = [
      t.c.restrictions.restrict(a!.id, { channel: 'admin' }).then(() => done++),
      t.c.suppressions.suppress(hashes[1]!, 'complaint').then(() => done++),
      erasure()
        .erase({ emailHash: hashes[2]!, email: c!.email, requestRef: 'DSR-INFLIGHT', channel: 'admin' })
        .then(() => done++),
    ];
    await new Promise((r) => setTimeout(r, 300));
    expect(done, 'answered while the mails were still in flight').to.equal(0);
    await t.c.withdrawals.endSending(hashes, DEFAULT_LIST);
    await Promise.all(stops);
    expect(done).to.equal(3);
  });

  it('someone who unsubscribed and confirmed again gets this week’s campaign', async () => {
    const [person] = await seedAudience(t.c, 1, { prefix: 'comeback' });
    await t.c.unsubscribes.unsubscribe({ subscriberId: person!.id, lists: 'all', channel: 'one-click' });
    await t.c.signup.request({ email: person!.email, locale: 'lv', channel: 'web-form' });
    const pending = await t.c.models.subscriptions.findOne({ subscriberId: person!.id, list: DEFAULT_LIST }).lean();
    await t.c.signup.confirm(t.c.signer.sign({ purpose: 'confirm', subject: person!.id, ref: pending!.pendingRef!, exp: Math.floor(Date.now() / 1000) + 3600 }), {});

    const id = await sendingCampaign();
    const outcome = await send(id, [{ id: person!.id, subscriptionId: String(pending!._id) }], new HookedPacer(async () => undefined), 'comeback');
    expect(outcome).to.deep.include({ state: 'done', sent: 1, skipped: 0 });
  });

  it('a flag older than the person’s last confirmation stops nobody; a newer one does', async () => {
    const [stale, fresh] = await seedAudience(t.c, 2, { prefix: 'flagged' });
    const confirmedAt = new Date(Date.now() - 60_000);
    await t.c.models.subscriptions.updateMany({ _id: { $in: [stale!.subscriptionId, fresh!.subscriptionId] } }, { $set: { confirmedAt } });
    const key = async (id: string) => `${t.config.queuePrefix}:withdrawn:${await hashOf(id)}:${DEFAULT_LIST}`;
    // A withdrawal flag from before the confirmation, left behind (its clearing never ran) ...
    await t.c.redis.set(await key(stale!.id), String(confirmedAt.getTime() - 3_600_000), 'EX', 600);
    // ... and one raised a moment ago by a withdrawal that has not committed yet.
    await t.c.redis.set(await key(fresh!.id), String(Date.now()), 'EX', 600);

    const id = await sendingCampaign();
    const outcome = await send(id, [stale!, fresh!], new HookedPacer(async () => undefined), 'flags');
    expect(outcome).to.deep.include({ state: 'done', sent: 1, skipped: 1 });
    const mails = await t.waitForMails(1, (m) => m.parsed.headers.get('x-ejaunumi-campaign') === id);
    expect([...copiesPerRecipient(mails, id).keys()]).to.deep.equal([stale!.email]);
  });
});
