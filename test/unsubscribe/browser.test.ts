// A person in a real browser: opens the unsubscribe link of a mail that went through SMTP into the
// sink, leaves one list, and sees the result. Debian's chromium, driven by playwright-core.
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { expect } from 'chai';
import { chromium, type Browser } from 'playwright-core';
import { ROOT_DIR } from '../../src/paths';
import { createTestContext, type TestContext } from '../helpers/context';
import { DEFAULT_LIST, SECOND_LIST, createSecondList, statesOf, subscriberWithLink } from './helpers';

const CHROMIUM = '/usr/bin/chromium';
const ARTIFACTS = path.join(ROOT_DIR, 'test-artifacts');

describe('unsubscribe: in a browser, from a real mail', function () {
  this.timeout(60_000);
  let t: TestContext;
  let browser: Browser;
  before(async () => {
    t = await createTestContext();
    await createSecondList(t.c);
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
  });
  after(async () => {
    await browser?.close();
    await t?.close();
  });

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

      await mkdir(ARTIFACTS, { recursive: true });
      await page.screenshot({ path: path.join(ARTIFACTS, 'unsubscribe-page.png'), fullPage: true });
      await page.getByRole('button', { name: 'Atteikties no saraksta Ceļojumi pēc pieprasījuma' }).click();
      await page.waitForURL(httpsLink!);
      expect(await page.locator('h1').textContent()).to.equal('Atteikšanās reģistrēta');
      expect(await page.locator('main').textContent()).to.contain('Ceļojumi pēc pieprasījuma');
      await page.screenshot({ path: path.join(ARTIFACTS, 'unsubscribe-result.png'), fullPage: true });
    } finally {
      await page.close();
    }
    expect(await statesOf(t.c, subscriberId)).to.deep.equal({ [DEFAULT_LIST]: 'active', [SECOND_LIST]: 'unsubscribed' });
    const [event] = await t.c.models.consentEvents.find({ subscriberId, type: 'withdrawn' }).lean();
    expect(event).to.include({ list: SECOND_LIST, channel: 'unsubscribe-page' });
    expect(event!.userAgent).to.match(/Chrome/);
  });
});
