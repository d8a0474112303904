// The unsubscribe page: GET and HEAD only show, the form ends one list or all of them and renders
// a result, in Latvian first and English.
import { expect } from 'chai';
import { Types } from 'mongoose';
import { createTestContext, type TestContext } from '../helpers/context';
import { DEFAULT_LIST, SECOND_LIST, createSecondList, statesOf, subscriberWithLink, withdrawals } from './helpers';

describe('unsubscribe: the page at /u/:token', () => {
  let t: TestContext;
  before(async () => {
    t = await createTestContext();
    await createSecondList(t.c);
  });
  after(async () => t.close());

  const choose = (token: string, fields: Record<string, string>) =>
    fetch(`${t.baseUrl}/u/${token}`, { method: 'POST', body: new URLSearchParams(fields), redirect: 'manual', headers: { 'user-agent': 'Firefox-Test' } });

  it('GET and HEAD show the lists and change nothing, however often a scanner fetches them', async () => {
    const { subscriberId, token } = await subscriberWithLink(t.c);
    for (let i = 0; i < 3; i++) {
      const head = await fetch(`${t.baseUrl}/u/${token}`, { method: 'HEAD' });
      expect(head.status).to.equal(200);
      const page = await fetch(`${t.baseUrl}/u/${token}`);
      expect(page.status).to.equal(200);
      expect(page.headers.get('x-robots-tag')).to.contain('noindex');
      expect(page.headers.get('set-cookie')).to.equal(null);
      const html = await page.text();
      expect(html).to.contain('<html lang="lv">');
      expect(html).to.contain('e-Jaunumi');
      expect(html).to.contain('Ceļojumi pēc pieprasījuma');
      expect(html).to.contain('gaida apstiprinājumu');
      expect(html).to.contain('Atteikties no visiem sarakstiem');
      expect(html).to.contain(`action="/u/${token}"`);
      expect(html).to.match(/a•••@example\.lv/);
      expect(html).not.to.match(/anna[^@]*@example\.lv/);
    }
    expect(await statesOf(t.c, subscriberId)).to.deep.equal({ [DEFAULT_LIST]: 'active', [SECOND_LIST]: 'pending' });
    expect(await t.c.models.consentEvents.countDocuments({ subscriberId })).to.equal(0);
  });

  it("speaks the person's stored language, whatever the browser prefers, unless the page is asked for another", async () => {
    const { subscriberId, token } = await subscriberWithLink(t.c);
    await t.c.models.subscribers.updateOne({ _id: subscriberId }, { $set: { locale: 'en' } });
    const html = await (await fetch(`${t.baseUrl}/u/${token}`, { headers: { 'accept-language': 'lv,en;q=0.5' } })).text();
    expect(html).to.contain('<html lang="en">');
    expect(html).to.contain('Unsubscribe from all lists');
    expect(html).to.contain('Tailor-made travel');
    expect(await (await fetch(`${t.baseUrl}/u/${token}?lang=lv`)).text()).to.contain('<html lang="lv">');
  });

  it('ends only the chosen list, shows the result and a way back in through the sign-up form', async () => {
    const campaignId = String(new Types.ObjectId());
    const { subscriberId, token } = await subscriberWithLink(t.c, { campaignId });
    const res = await choose(token, { list: SECOND_LIST, lang: 'lv' });
    expect(res.status).to.equal(200);
    const html = await res.text();
    expect(html).to.contain('Atteikšanās reģistrēta');
    expect(html).to.contain('Ceļojumi pēc pieprasījuma');
    expect(html).to.contain(`href="/subscribe?list=${SECOND_LIST}"`);
    expect(await statesOf(t.c, subscriberId)).to.deep.equal({ [DEFAULT_LIST]: 'active', [SECOND_LIST]: 'unsubscribed' });
    const events = await withdrawals(t.c, subscriberId);
    expect(events).to.have.length(1);
    expect(events[0]).to.include({ list: SECOND_LIST, channel: 'unsubscribe-page', userAgent: 'Firefox-Test' });
    expect(String(events[0]!.campaignId)).to.equal(campaignId);

    // Back on the page the ended list offers a way back in (double opt-in) instead of an unsubscribe button.
    const page = await (await fetch(`${t.baseUrl}/u/${token}`)).text();
    expect(page).to.contain(`name="rejoin" value="${SECOND_LIST}"`);
    expect(page).to.contain('Pierakstīties no jauna');
  });

  it('ends everything with "unsubscribe from all lists"', async () => {
    const { subscriberId, token } = await subscriberWithLink(t.c);
    const res = await choose(token, { scope: 'all', lang: 'en' });
    expect(res.status).to.equal(200);
    const html = await res.text();
    expect(html).to.contain('You are unsubscribed');
    expect(html).to.contain('“Tailor-made travel”, “e-Jaunumi”');
    expect(await statesOf(t.c, subscriberId)).to.deep.equal({ [DEFAULT_LIST]: 'unsubscribed', [SECOND_LIST]: 'unsubscribed' });
    expect((await withdrawals(t.c, subscriberId)).map((e) => e.channel)).to.deep.equal(['unsubscribe-page', 'unsubscribe-page']);
  });

  it('says there is nothing to do for an unknown person, or one who is already out', async () => {
    const unknown = t.c.listHeaders.unsubscribeToken({ subscriberId: String(new Types.ObjectId()) });
    const get = await fetch(`${t.baseUrl}/u/${unknown}`);
    expect(get.status).to.equal(200);
    expect(await get.text()).to.contain('Nekas nav jāmaina');

    const { subscriberId, token } = await subscriberWithLink(t.c);
    await choose(token, { scope: 'all' });
    const again = await choose(token, { list: DEFAULT_LIST });
    expect(again.status).to.equal(200);
    expect(await again.text()).to.contain('Nekas nav mainīts');
    // The preferences page stays the preferences page: every list with its state and a way back in.
    const page = await (await fetch(`${t.baseUrl}/u/${token}`)).text();
    expect(page).to.contain('Jūsu e-Jaunumu abonementi').and.contain('Pašlaik mēs Jums neko nesūtām');
    expect(page).to.contain(`name="rejoin" value="${DEFAULT_LIST}"`);
    expect(page).not.to.contain('name="scope"');
    expect(await withdrawals(t.c, subscriberId)).to.have.length(2);
  });

  it('answers 400, not 500, to a malformed choice', async () => {
    const { subscriberId, token } = await subscriberWithLink(t.c);
    const choices: Array<Record<string, string>> = [{ list: 'NOT A SLUG' }, { scope: 'some' }, { list: DEFAULT_LIST, scope: 'all' }, { list: DEFAULT_LIST, extra: 'x' }];
    for (const fields of choices) {
      expect((await choose(token, fields)).status, JSON.stringify(fields)).to.equal(400);
    }
    expect((await statesOf(t.c, subscriberId))[DEFAULT_LIST]).to.equal('active');
  });
});
