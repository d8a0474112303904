// A confirmation click and a new sign-up for the same address at the same moment. On FerretDB a
// status guard in an update filter is not atomic, so an active subscription could be put back to
// pending behind the ledger's back (and then removed by retention as unconfirmed). Whatever the
// interleaving, the state must be the one the ledger's last word describes.
import { expect } from 'chai';
import { createTestContext, type TestContext } from '../helpers/context';
import { DEFAULT_LIST } from '../helpers/factories';
import { manualClock, MINUTE } from '../signup/helpers';

const ROUNDS = 30;
const CLICKS = 6;

describe('consent: confirmation racing a new sign-up', function () {
  this.timeout(120_000);
  let t: TestContext;
  const clock = manualClock();
  before(async () => {
    t = await createTestContext({ clock, env: { SIGNUP_DAILY_LIMIT: '1000' } });
  });
  after(async () => t.close());

  it('ends with the state the ledger describes, each link confirmed at most once', async () => {
    const email = 'racer@example.lv';
    const signUp = () => t.c.signup.request({ email, locale: 'lv', channel: 'web-form' });
    await signUp();
    const subscriber = (await t.c.models.subscribers.findOne({ emailKey: email }).lean())!;
    const subscription = () => t.c.models.subscriptions.findOne({ subscriberId: subscriber._id, list: DEFAULT_LIST }).lean();
    const stateAfter: Record<string, string> = { requested: 'pending', confirmed: 'active', withdrawn: 'unsubscribed' };
    const expectStateAsLedgerSays = async (round: number) => {
      const final = (await subscription())!;
      const events = await t.c.models.consentEvents
        .find({ subscriberId: subscriber._id, list: DEFAULT_LIST, type: { $in: ['requested', 'confirmed', 'withdrawn'] } })
        .lean();
      events.sort((a, b) => a.at.getTime() - b.at.getTime() || (a.fromVersion ?? 0) - (b.fromVersion ?? 0));
      const last = events[events.length - 1]!;
      const story = events.map((e) => `${e.type}:${e.requestRef ?? ''}`).join(' ');
      expect(final.status, `round ${round}: ${story}; now ${final.status} ${final.pendingRef ?? ''}`).to.equal(stateAfter[last.type]);
      if (final.status === 'pending') expect(final.pendingRef, `round ${round}: ${story}`).to.equal(last.requestRef);
      const confirmedPerRef = new Map<string, number>();
      for (const e of events.filter((e) => e.type === 'confirmed')) confirmedPerRef.set(e.requestRef!, (confirmedPerRef.get(e.requestRef!) ?? 0) + 1);
      expect([...confirmedPerRef.values()].filter((n) => n > 1), 'a link confirmed twice').to.deep.equal([]);
      return { final, events };
    };
    const tokenFor = (ref: string) => t.c.signer.sign({ purpose: 'confirm', subject: String(subscriber._id), ref, exp: Math.floor(clock.now().getTime() / 1000) + 3600 });

    for (let round = 0; round < ROUNDS; round++) {
      // Each round starts from a pending sign-up (after a withdrawal if the last round confirmed).
      let current = (await subscription())!;
      if (current.status === 'active') await t.c.unsubscribes.unsubscribe({ subscriberId: subscriber._id, lists: 'all', channel: 'one-click' });
      if (current.status !== 'pending') {
        clock.advance(11 * MINUTE);
        await signUp();
        current = (await subscription())!;
      }
      // Past the cooldown, so a sign-up of this round really reaches the subscription.
      clock.advance(11 * MINUTE);
      const token = tokenFor(current.pendingRef!);
      // Spread over a few tens of milliseconds, so each round interleaves the two differently.
      const jittered = (run: () => Promise<unknown>) => new Promise((r) => setTimeout(r, Math.random() * 40)).then(run);
      await Promise.allSettled([...Array.from({ length: CLICKS }, () => jittered(() => t.c.signup.confirm(token, {}))), signUp(), jittered(signUp)]);
      await expectStateAsLedgerSays(round);
    }
    // Every change of the subscription has its event, in order, with none missing.
    const { final, events } = await expectStateAsLedgerSays(ROUNDS);
    expect(events.map((e) => e.fromVersion)).to.deep.equal(events.map((_e, i) => i));
    expect(final.version).to.equal(events.length);
  });
});
