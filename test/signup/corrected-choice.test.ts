// A second sign-up inside the cooldown with other lists ticked sends no second mail, but replaces the
// pending choice: the link already mailed confirms the newest lists, and its page names them.
import { expect } from 'chai';
import { DEFAULT_LIST } from '../../src/data/list.model';
import { createTestContext, type TestContext } from '../helpers/context';
import { confirmUrlOf, drainTransactional, signUpForm, to } from './helpers';

const FAMILY = 'celojumi-gimenem';

describe('sign-up: a corrected choice of lists inside the cooldown', () => {
  let t: TestContext;
  before(async () => {
    t = await createTestContext({ workers: true });
    await t.c.models.lists.create({ slug: FAMILY, name: { lv: 'Ceļojumi ģimenēm', en: 'Family trips' }, public: true });
  });
  after(async () => t.close());

  it('replaces the pending lists; the mailed link and its page confirm the newest choice', async () => {
    const email = 'corrected@example.lv';
    await signUpForm(t, { email, consent: 'yes', lists: DEFAULT_LIST, lang: 'lv', policyVersion: '1' });
    const [mail] = await t.waitForMails(1, to(email));
    const confirmUrl = confirmUrlOf(mail!);

    // Oops: meant the family trips instead. Same minute, so no second mail.
    expect((await signUpForm(t, { email, consent: 'yes', lists: FAMILY, lang: 'lv', policyVersion: '1' })).status).to.equal(202);
    await drainTransactional(t);
    expect((await t.mails()).filter(to(email))).to.have.length(1);

    const page = await (await fetch(confirmUrl)).text();
    expect(page).to.match(/<strong class="confirm-lists">„Ceļojumi ģimenēm”<\/strong>/);
    expect(page).to.contain('Izvēlētie saraksti: „Ceļojumi ģimenēm”.');
    expect((await fetch(confirmUrl, { method: 'POST', body: new URLSearchParams({ lang: 'lv', policyVersion: '1' }) })).status).to.equal(200);

    const subscriber = await t.c.models.subscribers.findOne({ emailKey: email }).lean();
    const states = await t.c.models.subscriptions.find({ subscriberId: subscriber!._id }).sort({ list: 1 }).lean();
    expect(states.map((s) => [s.list, s.status])).to.deep.equal([
      [FAMILY, 'active'],
      [DEFAULT_LIST, 'unsubscribed'],
    ]);
    const events = await t.c.ledger.history(subscriber!._id);
    // The withdrawal and the new request share one moment: compare without their order.
    expect(events.map((e) => `${e.type}:${e.list}`).sort()).to.deep.equal(
      [`confirmed:${FAMILY}`, `requested:${FAMILY}`, `requested:${DEFAULT_LIST}`, `withdrawn:${DEFAULT_LIST}`],
    );
    expect(events.find((e) => e.type === 'confirmed')!.consentText).to.contain('Izvēlētie saraksti: „Ceļojumi ģimenēm”.');
  });
});
