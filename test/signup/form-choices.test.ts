// The form keeps what the person filled after an error, refuses a sign-up with no list ticked, and
// records a consent sentence naming each chosen list, the very sentence the form showed.
import { expect } from 'chai';
import { DEFAULT_LIST } from '../../src/data/list.model';
import { CONSENT_TEXT_V1 } from '../../src/domain/seed';
import { createTestContext, type TestContext } from '../helpers/context';
import { signUpForm, signUpJson } from './helpers';

const FAMILY = 'celojumi-gimenem';

/** The consent sentence as the form renders it (tags removed, entities of the quotes left as text). */
function consentShownIn(html: string): string {
  const span = /<span id="consent-text">([\s\S]*?)<\/span><\/label>/.exec(html)?.[1] ?? '';
  return span.replace(/<[^>]+>/g, '').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&');
}

describe('sign-up form: choices kept, a list required, consent naming each list', () => {
  let t: TestContext;
  before(async () => {
    t = await createTestContext({ workers: true });
    await t.c.models.lists.create({ slug: FAMILY, name: { lv: 'Ceļojumi ģimenēm', en: 'Family trips' }, public: true });
  });
  after(async () => t.close());

  it('keeps every filled field after an error, the consent box and the ticked lists too', async () => {
    const res = await signUpForm(t, { email: 'not-an-address', name: 'Līga', consent: 'yes', lists: FAMILY, lang: 'lv' });
    expect(res.status).to.equal(400);
    const html = await res.text();
    expect(html).to.contain('value="not-an-address"').and.contain('value="Līga"');
    expect(html).to.match(/id="consent" name="consent" value="yes"[^>]* checked>/);
    expect(html).to.match(/value="celojumi-gimenem" data-name="Ceļojumi ģimenēm" checked>/);
    expect(html).to.match(/value="e-jaunumi" data-name="e-Jaunumi">/);
    // The sentence beside the box names what is ticked.
    expect(consentShownIn(html)).to.equal(`${CONSENT_TEXT_V1.lv} Izvēlētie saraksti: „Ceļojumi ģimenēm”.`);
  });

  it('refuses a form with no list ticked when it offered a choice, and keeps the rest', async () => {
    const email = 'no-list@example.lv';
    const res = await signUpForm(t, { email, name: 'Jānis', consent: 'yes', lang: 'lv' });
    expect(res.status).to.equal(400);
    const html = await res.text();
    expect(html).to.contain('Izvēlieties vismaz vienu sarakstu');
    expect(html).to.contain(`value="${email}"`).and.match(/id="consent" name="consent" value="yes"[^>]* checked>/);
    expect(html).not.to.match(/name="lists" value="[^"]+" data-name="[^"]*" checked>/);
    expect(await t.c.models.subscribers.findOne({ emailKey: email }).lean()).to.equal(null);
  });

  it('records the sentence naming each chosen list, exactly as the form showed it', async () => {
    const shownForm = await (
      await signUpForm(t, { email: 'bad@', consent: 'yes', lists: [DEFAULT_LIST, FAMILY], lang: 'lv', policyVersion: '1' })
    ).text();
    const shown = consentShownIn(shownForm);
    expect(shown).to.equal(`${CONSENT_TEXT_V1.lv} Izvēlētie saraksti: „Ceļojumi ģimenēm”, „e-Jaunumi”.`);

    const email = 'specific@example.lv';
    expect((await signUpForm(t, { email, consent: 'yes', lists: [DEFAULT_LIST, FAMILY], lang: 'lv', policyVersion: '1' })).status).to.equal(202);
    const subscriber = await t.c.models.subscribers.findOne({ emailKey: email }).lean();
    const events = await t.c.ledger.history(subscriber!._id);
    expect(events.map((e) => e.list).sort()).to.deep.equal([FAMILY, DEFAULT_LIST]);
    for (const e of events) expect(e.consentText).to.equal(shown);
  });

  it('the JSON API keeps its default list when `lists` is absent, its consent naming that list', async () => {
    const email = 'api-default@example.lv';
    expect((await signUpJson(t, { email, locale: 'en' })).status).to.equal(202);
    const subscriber = await t.c.models.subscribers.findOne({ emailKey: email }).lean();
    const [requested] = await t.c.ledger.history(subscriber!._id);
    expect(requested).to.deep.include({ list: DEFAULT_LIST, consentText: `${CONSENT_TEXT_V1.en} Lists chosen: “e-Jaunumi”.` });
  });

  it('sends / to the sign-up form, and every page footer links the policy', async () => {
    const root = await fetch(`${t.baseUrl}/`, { redirect: 'manual' });
    expect(root.status).to.equal(302);
    expect(root.headers.get('location')).to.equal('/subscribe');
    expect((await fetch(`${t.baseUrl}/?lang=en`, { redirect: 'manual' })).headers.get('location')).to.equal('/subscribe?lang=en');
    for (const [url, link] of [
      ['/subscribe', '<a href="/privacy">Privātuma politika</a></footer>'],
      ['/subscribe?lang=en', '<a href="/privacy?lang=en">Privacy policy</a></footer>'],
      ['/no-such-page', '<a href="/privacy">Privātuma politika</a></footer>'],
      ['/unsubscribe/broken', '<a href="/privacy">Privātuma politika</a></footer>'],
    ] as const) {
      const html = await (await fetch(`${t.baseUrl}${url}`, { headers: { accept: 'text/html' } })).text();
      expect(html, url).to.contain(link);
    }
  });
});
