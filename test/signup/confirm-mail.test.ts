// The confirmation mail names each chosen list once, in quotes, and says how long its link lasts with
// the number and noun agreeing ("21 diena").
import { expect } from 'chai';
import { DEFAULT_LIST } from '../../src/data/list.model';
import { createTestContext, type TestContext } from '../helpers/context';
import { signUpForm, signUpJson, to } from './helpers';

describe('sign-up: the confirmation mail', () => {
  let t: TestContext;
  before(async () => {
    t = await createTestContext({ workers: true, env: { CONFIRM_TOKEN_TTL: '21d' } });
    await t.c.models.lists.create({ slug: 'celojumi-gimenem', name: { lv: 'Ceļojumi ģimenēm', en: 'Family trips' }, public: true });
  });
  after(async () => t.close());

  it('names each list once and agrees the number of days (lv)', async () => {
    const email = 'mail-lists@example.lv';
    await signUpForm(t, { email, consent: 'yes', lists: [DEFAULT_LIST, 'celojumi-gimenem'], lang: 'lv' });
    const [mail] = await t.waitForMails(1, to(email));
    const text = mail!.parsed.text ?? '';
    expect(text).to.contain('„Ceļojumi ģimenēm”, „e-Jaunumi”.');
    expect(text).not.to.contain('(e-Jaunumi)');
    expect(text).to.contain('Saites derīguma termiņš: 21 diena.');
    expect(mail!.parsed.html).to.contain('21 diena').and.contain('„e-Jaunumi”');
  });

  it('names the list once in English', async () => {
    const email = 'mail-lists-en@example.lv';
    await signUpJson(t, { email, locale: 'en' });
    const [mail] = await t.waitForMails(1, to(email));
    const text = mail!.parsed.text ?? '';
    expect(text).to.contain('IMPRO CEĻOJUMI mailing lists to this address:\n“e-Jaunumi”.');
    expect(text).not.to.contain("e-Jaunumi (e-Jaunumi)");
    expect(text).to.contain('The link is valid for 21 days.');
  });
});
