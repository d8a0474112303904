// The preferences page behind every unsubscribe link: one button for one list, a way back into a list
// through double opt-in, the language of mails and pages; and broken links that still offer a way out.
import { expect } from 'chai';
import { createTestContext, type TestContext } from '../helpers/context';
import { createSubscriber } from '../helpers/factories';
import { uniqueName } from '../helpers/services';
import { confirmUrlOf, to } from '../signup/helpers';
import { DEFAULT_LIST, SECOND_LIST, createSecondList, statesOf } from './helpers';

describe('unsubscribe: the preferences page and broken links', () => {
  let t: TestContext;
  before(async () => {
    t = await createTestContext({ workers: true });
    await createSecondList(t.c);
  });
  after(async () => t.close());

  async function person(lists: Record<string, 'active' | 'pending' | 'unsubscribed'>, locale: 'lv' | 'en' = 'lv') {
    const subscriber = await createSubscriber(t.c, { email: `${uniqueName('prefs')}@example.lv`, locale, lists });
    const subscriberId = String(subscriber._id);
    return { subscriber, subscriberId, token: t.c.listHeaders.unsubscribeToken({ subscriberId }) };
  }
  const post = (token: string, fields: Record<string, string>) => fetch(`${t.baseUrl}/u/${token}`, { method: 'POST', body: new URLSearchParams(fields) });

  it('shows one button for a person with one list', async () => {
    const { token } = await person({ [DEFAULT_LIST]: 'active' });
    const html = await (await fetch(`${t.baseUrl}/u/${token}`)).text();
    expect(html.match(/<button type="submit"[^>]*name="(list|scope)"/g)).to.have.length(1);
    expect(html).to.contain('Atteikties no saraksta „e-Jaunumi”');
    const two = await person({ [DEFAULT_LIST]: 'active', [SECOND_LIST]: 'active' });
    const both = await (await fetch(`${t.baseUrl}/u/${two.token}`)).text();
    expect(both.match(/name="list"/g)).to.have.length(2);
    expect(both).to.contain('Atteikties no visiem sarakstiem');
  });

  it('re-joins a list the person left through double opt-in, from the same link', async () => {
    const { subscriber, subscriberId, token } = await person({ [DEFAULT_LIST]: 'active', [SECOND_LIST]: 'unsubscribed' });
    const res = await post(token, { rejoin: SECOND_LIST, lang: 'lv' });
    expect(res.status).to.equal(200);
    expect(await res.text()).to.contain('„Ceļojumi pēc pieprasījuma”');
    await t.signupsDone();
    const [mail] = await t.waitForMails(1, to(subscriber.email));
    expect(await statesOf(t.c, subscriberId)).to.deep.equal({ [DEFAULT_LIST]: 'active', [SECOND_LIST]: 'pending' });
    await fetch(confirmUrlOf(mail!), { method: 'POST', body: new URLSearchParams({ lang: 'lv', policyVersion: '1' }) });
    expect(await statesOf(t.c, subscriberId)).to.deep.equal({ [DEFAULT_LIST]: 'active', [SECOND_LIST]: 'active' });
    // Only a list the person left can be re-joined this way.
    expect((await post(token, { rejoin: DEFAULT_LIST })).status).to.equal(400);
  });

  it('changes the language of mails and pages', async () => {
    const { subscriberId, token } = await person({ [DEFAULT_LIST]: 'active' });
    const res = await post(token, { locale: 'en', lang: 'lv' });
    const html = await res.text();
    expect(html).to.contain('<html lang="en">').and.contain('Language saved');
    expect((await t.c.models.subscribers.findById(subscriberId).lean())?.locale).to.equal('en');
    expect(await (await fetch(`${t.baseUrl}/u/${token}`)).text()).to.contain('<option value="en" selected>');
  });

  it('a broken unsubscribe link offers a way out, not a sign-up', async () => {
    for (const [lang, words] of [['lv', 'Atteikties no e-Jaunumiem'], ['en', 'Unsubscribe']] as const) {
      const res = await fetch(`${t.baseUrl}/u/not-a-token?lang=${lang}`, { headers: { accept: 'text/html' } });
      expect(res.status).to.equal(400);
      const html = await res.text();
      expect(html).to.contain('href="mailto:impro@impro.lv?subject=Atteikties%20no%20e-Jaunumiem%20%2F%20Unsubscribe"');
      expect(html).to.contain(words);
      expect(html).not.to.contain('href="/subscribe');
    }
  });

  it('an expired verification link of a data request says how to get a new one', async () => {
    const expired = t.c.signer.sign({ purpose: 'verify', subject: '0123456789abcdef01234567', exp: Math.floor(Date.now() / 1000) - 60 });
    const res = await fetch(`${t.baseUrl}/r/${expired}`, { headers: { accept: 'text/html' } });
    const html = await res.text();
    expect(html).to.contain('Lai saņemtu jaunu apstiprinājuma e-pastu');
    expect(html).not.to.contain('pierakstieties vēlreiz');
  });
});
