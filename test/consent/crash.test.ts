// Invariant 8 across crashes: a real process (test/consent/crash-run.ts) is killed by SIGKILL between
// the two writes of each consent path; a rerun of the same path, or the reconciliation job, then
// leaves the ledger matching the states, with every change recorded once.
import { spawn } from 'node:child_process';
import { expect } from 'chai';
import { Types } from 'mongoose';
import type { ConsentEventType } from '../../src/data/consent-event.model';
import { importSubscribers } from '../../src/domain/consent/import';
import { transitionEventId } from '../../src/domain/consent/subscription-state';
import { ROOT_DIR } from '../../src/paths';
import { createTestContext, type TestContext } from '../helpers/context';
import { createSubscriber, DEFAULT_LIST } from '../helpers/factories';
import { manualClock, MINUTE } from '../signup/helpers';

describe('consent: a crash between a state change and its event', function () {
  this.timeout(120_000);
  let t: TestContext;
  const clock = manualClock();
  before(async () => {
    t = await createTestContext({ clock });
  });
  after(async () => t.close());

  /** Runs one path in a child process that must die at `point`. */
  async function crashAt(point: string, path: string, args: Record<string, string>): Promise<void> {
    const child = spawn(process.execPath, ['--import', 'tsx', 'test/consent/crash-run.ts', point, path, JSON.stringify(args)], {
      cwd: ROOT_DIR,
      env: { ...process.env, ...t.env },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const [code, signal] = await new Promise<[number | null, string | null]>((resolve) => child.once('exit', (c, s) => resolve([c, s])));
    expect(signal, `the child did not die at ${point} (exit ${code}):\n${stderr.slice(-2000)}`).to.equal('SIGKILL');
  }

  const eventsOf = (subscriberId: Types.ObjectId, type: ConsentEventType) => t.c.models.consentEvents.countDocuments({ subscriberId, type });
  const subscriptionOf = (subscriberId: Types.ObjectId) => t.c.models.subscriptions.findOne({ subscriberId, list: DEFAULT_LIST }).lean();

  async function pendingSignup(email: string) {
    await t.c.signup.request({ email, locale: 'lv', channel: 'web-form' });
    const subscriber = (await t.c.models.subscribers.findOne({ emailKey: email }).lean())!;
    const ref = (await subscriptionOf(subscriber._id))!.pendingRef!;
    const token = t.c.signer.sign({ purpose: 'confirm', subject: String(subscriber._id), ref, exp: Math.floor(clock.now().getTime() / 1000) + 3600 });
    return { subscriber, token };
  }

  describe('unsubscribe (event, then state)', () => {
    it('a second unsubscribe completes it, one event', async () => {
      const person = await createSubscriber(t.c, { email: 'crash.unsub1@example.lv', lists: { [DEFAULT_LIST]: 'active' } });
      await crashAt('withdrawn:after-event', 'unsubscribe', { subscriberId: String(person._id) });
      expect((await subscriptionOf(person._id))!.status).to.equal('active');
      expect(await eventsOf(person._id, 'withdrawn')).to.equal(1);

      const { changed } = await t.c.unsubscribes.unsubscribe({ subscriberId: person._id, lists: 'all', channel: 'one-click' });
      expect(changed).to.deep.equal([DEFAULT_LIST]);
      expect((await subscriptionOf(person._id))!.status).to.equal('unsubscribed');
      expect(await eventsOf(person._id, 'withdrawn')).to.equal(1);
      expect(await t.c.optOuts.has(person.emailHash, DEFAULT_LIST)).to.equal(true);
    });

    it('or the reconciliation job does', async () => {
      const person = await createSubscriber(t.c, { email: 'crash.unsub2@example.lv', lists: { [DEFAULT_LIST]: 'active' } });
      await crashAt('withdrawn:after-event', 'unsubscribe', { subscriberId: String(person._id) });
      // The job runs later; an event younger than a second may still have a live writer.
      clock.advance(MINUTE);
      const counts = await t.c.reconciliation.run();
      expect(counts.statesRolledForward).to.equal(1);
      expect((await subscriptionOf(person._id))!.status).to.equal('unsubscribed');
      expect(await eventsOf(person._id, 'withdrawn')).to.equal(1);
      expect(await t.c.optOuts.has(person.emailHash, DEFAULT_LIST)).to.equal(true);
    });
  });

  describe('one-click from a newsletter, committed in a group (events, then states)', () => {
    const oneClick = (person: { _id: Types.ObjectId }, subscriptionId: Types.ObjectId) => ({
      subscriberId: String(person._id),
      subscriptionId: String(subscriptionId),
      list: DEFAULT_LIST,
    });

    it('the same link again completes it, one event', async () => {
      const person = await createSubscriber(t.c, { email: 'crash.group1@example.lv', lists: { [DEFAULT_LIST]: 'active' } });
      const subscription = (await subscriptionOf(person._id))!;
      await crashAt('withdrawn:after-event', 'one-click', oneClick(person, subscription._id));
      expect((await subscriptionOf(person._id))!.status).to.equal('active');
      expect(await eventsOf(person._id, 'withdrawn')).to.equal(1);

      const { changed } = await t.c.unsubscribes.unsubscribe({ subscriberId: person._id, subscriptionId: String(subscription._id), lists: [DEFAULT_LIST], channel: 'one-click' });
      expect(changed).to.deep.equal([DEFAULT_LIST]);
      expect((await subscriptionOf(person._id))!.status).to.equal('unsubscribed');
      expect(await eventsOf(person._id, 'withdrawn')).to.equal(1);
      expect(await t.c.optOuts.has(person.emailHash, DEFAULT_LIST)).to.equal(true);
    });

    it('or the reconciliation job does', async () => {
      const person = await createSubscriber(t.c, { email: 'crash.group2@example.lv', lists: { [DEFAULT_LIST]: 'active' } });
      const subscription = (await subscriptionOf(person._id))!;
      await crashAt('withdrawn:after-event', 'one-click', oneClick(person, subscription._id));
      clock.advance(MINUTE);
      const counts = await t.c.reconciliation.run();
      expect(counts.statesRolledForward).to.equal(1);
      expect((await subscriptionOf(person._id))!.status).to.equal('unsubscribed');
      expect(await eventsOf(person._id, 'withdrawn')).to.equal(1);
      expect(await t.c.optOuts.has(person.emailHash, DEFAULT_LIST)).to.equal(true);
    });
  });

  describe('confirm (event, then state)', () => {
    it('a second click completes it, one event', async () => {
      const { subscriber, token } = await pendingSignup('crash.confirm1@example.lv');
      await crashAt('confirmed:after-event', 'confirm', { token });
      expect((await subscriptionOf(subscriber._id))!.status).to.equal('pending');
      expect(await eventsOf(subscriber._id, 'confirmed')).to.equal(1);

      await t.c.signup.confirm(token, {});
      expect((await subscriptionOf(subscriber._id))!.status).to.equal('active');
      expect(await eventsOf(subscriber._id, 'confirmed')).to.equal(1);
    });

    it('or the reconciliation job does', async () => {
      const { subscriber, token } = await pendingSignup('crash.confirm2@example.lv');
      await crashAt('confirmed:after-event', 'confirm', { token });
      clock.advance(MINUTE);
      expect((await t.c.reconciliation.run()).statesRolledForward).to.equal(1);
      const subscription = (await subscriptionOf(subscriber._id))!;
      expect(subscription.status).to.equal('active');
      expect(subscription.pendingRef).to.equal(undefined);
      expect(await eventsOf(subscriber._id, 'confirmed')).to.equal(1);
    });
  });

  describe('import (subscriptions, then events)', () => {
    const csv = (prefix: string) =>
      ['email,name,locale,consent_date,source', ...[1, 2, 3].map((i) => `${prefix}${i}@example.lv,Persona ${i},lv,2020-05-0${i},old list`)].join('\n');

    async function importedWithoutEvents(prefix: string) {
      await crashAt('import:after-subscriptions', 'import', { csv: csv(prefix), list: DEFAULT_LIST });
      const subscribers = await t.c.models.subscribers.find({ emailKey: { $regex: `^${prefix}` } }).lean();
      const subscriptions = await t.c.models.subscriptions.find({ subscriberId: { $in: subscribers.map((s) => s._id) } }).lean();
      expect(subscriptions.map((s) => s.status)).to.deep.equal(['active', 'active', 'active']);
      expect(await t.c.models.consentEvents.countDocuments({ subscriberId: { $in: subscribers.map((s) => s._id) } })).to.equal(0);
      return subscriptions;
    }

    async function expectOneImportedEventEach(subscriptions: Array<{ _id: Types.ObjectId; subscriberId: Types.ObjectId }>) {
      for (const s of subscriptions) {
        const events = await t.c.models.consentEvents.find({ subscriberId: s.subscriberId }).lean();
        expect(events.map((e) => e.type)).to.deep.equal(['imported']);
        expect(String(events[0]!._id)).to.equal(String(transitionEventId(s._id, 0)));
      }
    }

    it('a rerun records the missing events from its rows', async () => {
      const subscriptions = await importedWithoutEvents('crash.imp.a');
      const report = await importSubscribers(t.c, { csv: csv('crash.imp.a'), list: DEFAULT_LIST, actor: 'test' });
      expect(report).to.include({ added: 0, repaired: 3 });
      await expectOneImportedEventEach(subscriptions);
      const first = await t.c.models.consentEvents.findOne({ subscriberId: subscriptions[0]!.subscriberId }).lean();
      expect(first).to.include({ source: 'old list', channel: 'import' });
    });

    it('or the reconciliation job records them from the states', async () => {
      const subscriptions = await importedWithoutEvents('crash.imp.b');
      expect((await t.c.reconciliation.run()).eventsRecorded).to.equal(3);
      await expectOneImportedEventEach(subscriptions);
      expect((await t.c.reconciliation.run()).eventsRecorded).to.equal(0);
    });
  });

  describe('data-subject request verification (claim, then status)', () => {
    async function claimedRequest(email: string) {
      clock.jumpTo(new Date());
      await createSubscriber(t.c, { email, lists: { [DEFAULT_LIST]: 'active' } });
      const request = await t.c.requests.create({ type: 'rectification', email, channel: 'admin' });
      const token = t.c.signer.sign({ purpose: 'verify', subject: request.id, exp: Math.floor(clock.now().getTime() / 1000) + 3600 });
      await crashAt('verify:after-claim', 'verify', { token });
      expect((await t.c.requests.get(request.id)).status).to.equal('awaiting-verification');
      // Right away, a second click is a double click of the first.
      expect((await t.c.requests.verify(token, {})).outcome).to.equal('already-verified');
      return { request, token };
    }

    it('a later click proceeds', async () => {
      const { request, token } = await claimedRequest('crash.dsr1@example.lv');
      clock.advance(2 * MINUTE);
      expect((await t.c.requests.verify(token, {})).outcome).to.equal('verified');
      expect(await t.c.requests.get(request.id)).to.include({ status: 'open' });
      expect((await t.c.requests.verify(token, {})).outcome).to.equal('already-verified');
    });

    it('or the reconciliation job records the verification, and the DPO can retry', async () => {
      const { request } = await claimedRequest('crash.dsr2@example.lv');
      clock.advance(2 * MINUTE);
      expect((await t.c.reconciliation.run()).requestsUnstuck).to.equal(1);
      const view = await t.c.requests.get(request.id);
      expect(view.status).to.equal('open');
      expect(view.verifiedAt).to.be.instanceOf(Date);
      await t.c.requests.retryFulfilment(request.id, 'dpo@impro.lv');
    });
  });

  describe('afterwards', () => {
    it('leaves nothing for a further reconciliation to find', async () => {
      const counts = await t.c.reconciliation.run();
      expect(counts).to.include({ statesRolledForward: 0, eventsRecorded: 0, requestsUnstuck: 0 });
    });
  });
});
