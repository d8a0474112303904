// Invariant 6: the sign-up answer is the same whatever the address's state; the difference happens
// behind it, in the mails, and the per-address cooldown holds under concurrency.
import { expect } from 'chai';
import { DEFAULT_LIST } from '../../src/data/list.model';
import { hashEmail } from '../../src/domain/email-address';
import { createTestContext, type TestContext } from '../helpers/context';
import { createSubscriber } from '../helpers/factories';
import { confirmUrlOf, DAY, drainTransactional, manualClock, MINUTE, signUpForm, signUpJson, to } from './helpers';

describe('sign-up: no enumeration, cooldown, honeypot', () => {
  const clock = manualClock();
  let t: TestContext;
  before(async () => {
    t = await createTestContext({ workers: true, clock, env: { SIGNUP_IP_LIMIT_PER_MINUTE: '1000' } });
  });
  after(async () => t.close());

  const hash = (email: string) => hashEmail(email, t.config.emailHashKey);

  it('answers byte-identically for new, pending, active, unsubscribed and suppressed addresses', async () => {
    const states = {
      new: 'state-new@example.lv',
      pending: 'state-pending@example.lv',
      active: 'state-active@example.lv',
      unsubscribed: 'state-unsubscribed@example.lv',
      bounced: 'state-bounced@example.lv',
      complained: 'state-complained@example.lv',
    };
    await createSubscriber(t.c, { email: states.pending, lists: { [DEFAULT_LIST]: 'pending' } });
    await createSubscriber(t.c, { email: states.active, lists: { [DEFAULT_LIST]: 'active' } });
    await createSubscriber(t.c, { email: states.unsubscribed, lists: { [DEFAULT_LIST]: 'unsubscribed' } });
    await createSubscriber(t.c, { email: states.bounced, lists: { [DEFAULT_LIST]: 'active' } });
    await t.c.suppressions.suppress(hash(states.bounced), 'hard-bounce');
    await t.c.suppressions.suppress(hash(states.complained), 'complaint');

    const answers = new Set<string>();
    const formAnswers = new Set<string>();
    for (const email of Object.values(states)) {
      const json = await signUpJson(t, { email });
      answers.add(`${json.status} ${json.headers.get('content-type')} ${await json.text()}`);
      const form = await signUpForm(t, { email, consent: 'yes' });
      formAnswers.add(`${form.status} ${form.headers.get('content-type')} ${await form.text()}`);
    }
    expect(answers.size).to.equal(1);
    expect([...answers][0]).to.match(/^202 application\/json/);
    expect(formAnswers.size).to.equal(1);
    expect([...formAnswers][0]).to.match(/^202 text\/html/);

    await drainTransactional(t);
    const mails = await t.mails();
    const subjects = (email: string) => mails.filter(to(email)).map((m) => m.parsed.subject);
    // The form request of each address fell into the cooldown of its API request: one mail each.
    expect(subjects(states.new)).to.deep.equal(['Apstipriniet pierakstīšanos e-Jaunumiem']);
    expect(subjects(states.pending)).to.deep.equal(['Apstipriniet pierakstīšanos e-Jaunumiem']);
    expect(subjects(states.unsubscribed)).to.deep.equal(['Apstipriniet pierakstīšanos e-Jaunumiem']);
    expect(subjects(states.active)).to.deep.equal(['Jūsu adrese jau ir pierakstīta e-Jaunumiem']);
    expect(subjects(states.bounced)).to.deep.equal([]);
    expect(subjects(states.complained)).to.deep.equal([]);
    const active = mails.find(to(states.active))!;
    expect(active.parsed.text).to.match(/Pārvaldīt sarakstus: http:\/\/127\.0\.0\.1:\d+\/u\//);
    expect(await t.c.models.subscribers.countDocuments({ emailKey: states.complained })).to.equal(0);
  });

  it('sends one mail for 20 parallel sign-ups of one address', async () => {
    const email = 'parallel@example.lv';
    const responses = await Promise.all(Array.from({ length: 20 }, (_, i) => signUpJson(t, { email: i % 2 ? email : email.toUpperCase() })));
    expect(responses.map((r) => r.status)).to.deep.equal(Array(20).fill(202));
    await t.waitForMails(1, to(email));
    await drainTransactional(t);
    expect((await t.mails()).filter(to(email))).to.have.length(1);
    const subscriber = await t.c.models.subscribers.findOne({ emailKey: email }).lean();
    expect((await t.c.ledger.history(subscriber!._id)).filter((e) => e.type === 'requested')).to.have.length(1);
  });

  it('holds one mail per cooldown and five a day per address, and keeps the mailed link valid meanwhile', async () => {
    const email = 'cooldown@example.lv';
    // 01:00 UTC of a day ahead: the hour below stays within one UTC day.
    clock.jumpTo(new Date((Math.floor(clock.now().getTime() / DAY) + 1) * DAY + 60 * MINUTE));
    await signUpJson(t, { email });
    const [first] = await t.waitForMails(1, to(email));
    clock.advance(9 * MINUTE);
    await signUpJson(t, { email });
    await drainTransactional(t);
    expect((await t.mails()).filter(to(email))).to.have.length(1);
    // The request inside the cooldown did not void the link already mailed.
    expect((await fetch(confirmUrlOf(first!))).status).to.equal(200);

    // Five a day: the first and four more, each after a cooldown; the sixth gets nothing.
    for (let n = 2; n <= 6; n++) {
      clock.advance(11 * MINUTE);
      await signUpJson(t, { email });
      await drainTransactional(t);
    }
    expect((await t.mails()).filter(to(email))).to.have.length(5);

    clock.advance(DAY);
    await signUpJson(t, { email });
    await t.waitForMails(6, to(email));
  });

  it('treats a filled honeypot like any sign-up on the outside and does nothing behind it', async () => {
    const email = 'honeypot@example.lv';
    const bot = await signUpForm(t, { email, consent: 'yes', website: 'http://spam.example' });
    const human = await signUpForm(t, { email: 'human@example.lv', consent: 'yes' });
    expect(bot.status).to.equal(202);
    expect(await bot.text()).to.equal(await human.text());
    await drainTransactional(t);
    expect((await t.mails()).filter(to(email))).to.have.length(0);
    expect(await t.c.models.subscribers.countDocuments({ emailKey: email })).to.equal(0);
  });

  it('lets an erased person sign up afresh; only their confirmation lifts the tombstone', async () => {
    const email = 'erased@example.lv';
    await t.c.suppressions.suppress(hash(email), 'erasure');
    expect((await signUpJson(t, { email })).status).to.equal(202);
    const [mail] = await t.waitForMails(1, to(email));
    expect(await t.c.suppressions.reasonFor(hash(email))).to.equal('erasure');
    expect((await fetch(confirmUrlOf(mail!), { method: 'POST' })).status).to.equal(200);
    expect(await t.c.suppressions.isSuppressed(hash(email))).to.equal(false);
    const subscriber = await t.c.models.subscribers.findOne({ emailKey: email }).lean();
    const confirmed = (await t.c.ledger.history(subscriber!._id)).find((e) => e.type === 'confirmed');
    expect(confirmed?.note).to.contain('tombstone lifted');
  });

  it('sends nothing to a restricted subscriber (GDPR art. 18)', async () => {
    const email = 'restricted@example.lv';
    await createSubscriber(t.c, { email, restricted: true, lists: { [DEFAULT_LIST]: 'unsubscribed' } });
    expect((await signUpJson(t, { email })).status).to.equal(202);
    await drainTransactional(t);
    expect((await t.mails()).filter(to(email))).to.have.length(0);
  });
});
