// Invariant 11: a "no" is remembered per (address, list) after every other trace of the person is
// gone; imports and sign-ups by others honour it; only the person's own confirmed opt-in lifts it.
import { expect } from 'chai';
import { Types } from 'mongoose';
import { hashEmail } from '../../src/domain/email-address';
import { importSubscribers } from '../../src/domain/consent/import';
import { createTestContext, type TestContext } from '../helpers/context';
import { createSubscriber, DEFAULT_LIST } from '../helpers/factories';
import { DAY, manualClock } from '../signup/helpers';

const HEADER = 'email,name,locale,consent_date,source';

describe('consent: the opt-out record', function () {
  this.timeout(60_000);
  let t: TestContext;
  const clock = manualClock();
  before(async () => {
    t = await createTestContext({ clock });
  });
  after(async () => t.close());

  const statusOf = async (email: string) => {
    const subscriber = await t.c.models.subscribers.findOne({ emailKey: email }).lean();
    return subscriber ? (await t.c.models.subscriptions.findOne({ subscriberId: subscriber._id, list: DEFAULT_LIST }).lean())?.status : undefined;
  };
  const importRow = (email: string) =>
    importSubscribers(t.c, { csv: `${HEADER}\n${email},Ilze,lv,2019-03-01,old list\n`, list: DEFAULT_LIST, actor: 'test' });

  it('an unsubscribe survives a stranger’s sign-up, retention and a re-import', async () => {
    const email = 'ilze.optout@example.lv';
    const person = await createSubscriber(t.c, { email, lists: { [DEFAULT_LIST]: 'active' } });
    await t.c.unsubscribes.unsubscribe({ subscriberId: person._id, lists: 'all', channel: 'one-click' });
    expect(await statusOf(email)).to.equal('unsubscribed');

    // Someone else types her address into the form; the confirmation is never clicked.
    expect(await t.c.signup.request({ email, locale: 'lv', channel: 'web-form' })).to.equal('confirmation-queued');
    expect(await statusOf(email)).to.equal('pending');
    clock.advance(t.config.retention.unconfirmedMs + DAY);
    const swept = await t.c.retention.sweep('unconfirmed-signups');
    expect(swept).to.include({ subscriptionsRemoved: 1, subscribersRemoved: 1 });
    expect(await t.c.models.subscribers.countDocuments({ emailKey: email })).to.equal(0);

    // The old list is imported again: her "no" still stands.
    const report = await importRow(email);
    expect(report).to.include({ added: 0, skipped: 1 });
    expect(report.reasons).to.deep.equal({ 'opted-out': 1 });
    expect(await statusOf(email)).to.equal(undefined);
  });

  it('only the person’s own confirmed opt-in lifts it, and the ledger says so', async () => {
    const email = 'liga.optout@example.lv';
    const emailHash = hashEmail(email, t.config.emailHashKey);
    const person = await createSubscriber(t.c, { email, lists: { [DEFAULT_LIST]: 'active' } });
    await t.c.unsubscribes.unsubscribe({ subscriberId: person._id, lists: [DEFAULT_LIST], channel: 'unsubscribe-page' });
    expect(await t.c.optOuts.has(emailHash, DEFAULT_LIST)).to.equal(true);

    await t.c.signup.request({ email, locale: 'lv', channel: 'web-form' });
    expect(await t.c.optOuts.has(emailHash, DEFAULT_LIST), 'a sign-up alone lifts nothing').to.equal(true);
    const pending = await t.c.models.subscriptions.findOne({ subscriberId: person._id, list: DEFAULT_LIST }).lean();
    const token = t.c.signer.sign({ purpose: 'confirm', subject: String(person._id), ref: pending!.pendingRef!, exp: Math.floor(clock.now().getTime() / 1000) + 3600 });
    await t.c.signup.confirm(token, { ip: '198.51.100.7' });

    expect(await statusOf(email)).to.equal('active');
    expect(await t.c.optOuts.has(emailHash, DEFAULT_LIST)).to.equal(false);
    const history = (await t.c.ledger.history(person._id)).map((e) => e.type);
    expect(history).to.have.members(['withdrawn', 'requested', 'confirmed', 'opt-out-lifted']);
    expect(history[0]).to.equal('withdrawn');
  });

  it('an erasure leaves an opt-out for every list, beside the tombstone', async () => {
    const emailHash = hashEmail('erased.optout@example.lv', t.config.emailHashKey);
    const { Erasure } = await import('../../src/domain/requests/erasure');
    const erasure = new Erasure({ models: t.c.models, ledger: t.c.ledger, suppressions: t.c.suppressions, optOuts: t.c.optOuts, personalQueues: [], logger: t.c.logger });
    await createSubscriber(t.c, { email: 'erased.optout@example.lv', lists: { [DEFAULT_LIST]: 'active' } });
    await erasure.erase({ emailHash, email: 'erased.optout@example.lv', requestRef: 'DSR-TEST-1', channel: 'admin' });
    const lists = (await t.c.models.lists.find({}, { slug: 1 }).lean()).map((l) => l.slug);
    for (const list of lists) expect(await t.c.optOuts.has(emailHash, list), list).to.equal(true);
  });

  it('the reconciliation job backfills records for older withdrawals, once', async () => {
    const legacy = await createSubscriber(t.c, { email: 'legacy.unsub@example.lv', lists: { [DEFAULT_LIST]: 'unsubscribed' } });
    // A person retention removed long ago: only the anonymised ledger remembers the withdrawal.
    const goneHash = hashEmail('gone.unsub@example.lv', t.config.emailHashKey);
    await t.c.ledger.record({ emailHash: goneHash, list: DEFAULT_LIST, type: 'withdrawn', channel: 'mailbox' });
    // One who withdrew and later confirmed again on her own keeps no record.
    const backHash = hashEmail('back.again@example.lv', t.config.emailHashKey);
    await t.c.ledger.record({ emailHash: backHash, list: DEFAULT_LIST, type: 'withdrawn', channel: 'mailbox', at: new Date(Date.now() - 2 * DAY) });
    await t.c.ledger.record({ emailHash: backHash, subscriberId: new Types.ObjectId(), list: DEFAULT_LIST, type: 'confirmed', channel: 'web-form', at: new Date(Date.now() - DAY) });

    const first = await t.c.reconciliation.run();
    expect(first.optOutsRecorded).to.be.at.least(2);
    expect(await t.c.optOuts.has(legacy.emailHash, DEFAULT_LIST)).to.equal(true);
    expect(await t.c.optOuts.has(goneHash, DEFAULT_LIST)).to.equal(true);
    expect(await t.c.optOuts.has(backHash, DEFAULT_LIST)).to.equal(false);
    const again = await t.c.reconciliation.run();
    expect(again).to.include({ optOutsRecorded: 0, optOutsLifted: 0, eventsRecorded: 0, statesRolledForward: 0 });

    expect((await importRow('gone.unsub@example.lv')).reasons).to.deep.equal({ 'opted-out': 1 });
  });
});
