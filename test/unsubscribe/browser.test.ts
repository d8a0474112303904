// A person in a real browser: opens the unsubscribe link of a mail that went through SMTP into the
// sink, leaves one list, and sees the result. Debian's chromium, driven by playwright-core.
import { expect } from 'chai';
import type { Browser } from 'playwright-core';
import { createTestContext, type TestContext } from '../helpers/context';
import { createSubscriber } from '../helpers/factories';
import { uniqueName } from '../helpers/services';
import { VIEWPORTS, screenshot, sharedBrowser } from '../pages/browser';
import { to } from '../signup/helpers';
import { DEFAULT_LIST, SECOND_LIST, createSecondList, statesOf, subscriberWithLink } from './helpers';

describe('unsubscribe: in a browser, from a real mail', function () {
  this.timeout(60_000);
  let t: TestContext;
  let browser: Browser;
  before(async () => {
    t = await createTestContext({ workers: true });
    await createSecondList(t.c);
    browser = await sharedBrowser();
  });
  after(async () => t?.close());

  it('opens the footer link, leaves one list and sees the result', async () => {
    const { subscriber, subscriberId } = await subscriberWithLink(t.c);
    const links = t.c.listHeaders.build({ subscriberId, list: SECOND_LIST });
    await t.c.mailer.send({
      to: subscriber.email,
      subject: 'Ceļojumi pēc pieprasījuma: marts',
      html: `<p>Sveiki!</p><p><a href="${links.unsubscribeUrl}">Atteikties no e-Jaunumiem</a></p>`,
      text: `Sveiki!\n\nAtteikties no e-Jaunumiem: ${links.unsubscribeUrl}\n`,
      headers: links.headers,
    });
    const [mail] = await t.waitForMails(1, (m) => m.to.includes(subscriber.email));
    const header = mail!.parsed.headerLines.find((h) => h.key === 'list-unsubscribe')?.line.replace(/\r?\n[ \t]+/g, ' ') ?? '';
    expect(header).to.match(/<mailto:unsubscribe\+/);
    const httpsLink = /<(http[^>]+)>/.exec(header)?.[1];
    expect(httpsLink).to.be.a('string');
    expect(mail!.parsed.html).to.contain(`href="${httpsLink}"`);
    expect(mail!.parsed.text).to.contain(httpsLink);

    const page = await browser.newPage({ locale: 'lv-LV' });
    try {
      await page.goto(httpsLink!);
      expect(await page.locator('h1').textContent()).to.equal('Jūsu e-Jaunumu abonementi');
      // Opening the page changed nothing.
      expect(await statesOf(t.c, subscriberId)).to.deep.equal({ [DEFAULT_LIST]: 'active', [SECOND_LIST]: 'pending' });

      await screenshot(page, 'unsubscribe-page');
      await page.getByRole('button', { name: 'Atteikties no saraksta „Ceļojumi pēc pieprasījuma”' }).click();
      await page.waitForURL(httpsLink!);
      expect(await page.locator('h1').textContent()).to.equal('Atteikšanās reģistrēta');
      expect(await page.locator('main').textContent()).to.contain('Ceļojumi pēc pieprasījuma');
      await screenshot(page, 'unsubscribe-result');
    } finally {
      await page.close();
    }
    expect(await statesOf(t.c, subscriberId)).to.deep.equal({ [DEFAULT_LIST]: 'active', [SECOND_LIST]: 'unsubscribed' });
    const [event] = await t.c.models.consentEvents.find({ subscriberId, type: 'withdrawn' }).lean();
    expect(event).to.include({ list: SECOND_LIST, channel: 'unsubscribe-page' });
    expect(event!.userAgent).to.match(/Chrome/);
  });

  const WORDS = {
    lv: { heading: 'Jūsu e-Jaunumu abonementi', leave: 'Atteikties no saraksta „e-Jaunumi”', done: 'Atteikšanās reģistrēta', manage: 'Mainīt iestatījumus', rejoin: 'Pierakstīties sarakstam „e-Jaunumi” no jauna', rejoined: 'Pārbaudiet savu e-pastu', language: 'Saglabāt valodu', saved: 'Language saved' },
    en: { heading: 'Your e-Jaunumi subscriptions', leave: 'Unsubscribe from “e-Jaunumi”', done: 'You are unsubscribed', manage: 'Change your preferences', rejoin: 'Join the list “e-Jaunumi” again', rejoined: 'Check your inbox', language: 'Save language', saved: 'Valoda saglabāta' },
  } as const;

  for (const locale of ['lv', 'en'] as const) {
    for (const size of ['phone', 'desktop'] as const) {
      it(`${locale}, ${size}: one list, one button; the preferences page re-joins by double opt-in and changes the language`, async () => {
        const w = WORDS[locale];
        const subscriber = await createSubscriber(t.c, { email: `${uniqueName('pref')}@example.lv`, locale, lists: { [DEFAULT_LIST]: 'active' } });
        const subscriberId = String(subscriber._id);
        const link = t.c.listHeaders.build({ subscriberId, list: DEFAULT_LIST }).unsubscribeUrl;
        // The browser prefers the other language: the page follows the person's stored one.
        const page = await browser.newPage({ viewport: VIEWPORTS[size], locale: locale === 'lv' ? 'en-GB' : 'lv-LV' });
        try {
          await page.goto(link);
          expect(await page.locator('h1').textContent()).to.equal(w.heading);
          expect(await page.locator('button[name="list"], button[name="scope"]').count()).to.equal(1);
          await screenshot(page, `preferences-one-list-${locale}-${size}`);
          await page.getByRole('button', { name: w.leave }).click();
          await page.getByRole('heading', { name: w.done }).waitFor();
          await screenshot(page, `unsubscribe-done-${locale}-${size}`);

          await page.getByRole('link', { name: w.manage }).click();
          expect(await page.locator('h1').textContent()).to.equal(w.heading);
          await screenshot(page, `preferences-left-${locale}-${size}`);
          await page.getByRole('button', { name: w.rejoin }).click();
          await page.getByRole('heading', { name: w.rejoined }).waitFor();
          await screenshot(page, `preferences-rejoin-${locale}-${size}`);
          await t.signupsDone();
          await t.waitForMails(1, to(subscriber.email));
          expect(await statesOf(t.c, subscriberId)).to.deep.equal({ [DEFAULT_LIST]: 'pending' });

          await page.goto(link);
          await page.locator('#locale').selectOption(locale === 'lv' ? 'en' : 'lv');
          await page.getByRole('button', { name: w.language }).click();
          await page.getByText(w.saved).waitFor();
          await screenshot(page, `preferences-language-${locale}-${size}`);
          expect((await t.c.models.subscribers.findById(subscriberId).lean())?.locale).to.equal(locale === 'lv' ? 'en' : 'lv');

          // A broken link still offers a way out, not a sign-up.
          await page.goto(`${link.slice(0, -12)}?lang=${locale}`);
          const mailto = page.locator('main a[href^="mailto:impro@impro.lv?subject="]');
          expect(await mailto.count()).to.equal(1);
          expect(await page.locator('main a[href^="/subscribe"]').count()).to.equal(0);
          await screenshot(page, `unsubscribe-broken-link-${locale}-${size}`);
        } finally {
          await page.close();
        }
      });
    }
  }
});
