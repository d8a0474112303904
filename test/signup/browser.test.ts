// A real browser (Debian's chromium via playwright-core) signs up on the Latvian form, opens the
// link from the sink mail, presses the button and sees the thank-you page. The screenshot stays in
// test-artifacts/ (not committed).
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { expect } from 'chai';
import { chromium, type Browser } from 'playwright-core';
import { ROOT_DIR } from '../../src/paths';
import { createTestContext, type TestContext } from '../helpers/context';
import { confirmUrlOf, to } from './helpers';

const ARTIFACTS = path.join(ROOT_DIR, 'test-artifacts');

describe('sign-up in a browser', function () {
  this.timeout(60_000);
  let t: TestContext;
  let browser: Browser;
  before(async () => {
    t = await createTestContext({ workers: true });
    browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
  });
  after(async () => {
    await browser?.close();
    await t?.close();
  });

  it('fills the Latvian form on a phone-sized screen, confirms from the mail, and sees the thank-you page', async () => {
    const page = await browser.newPage({ viewport: { width: 390, height: 844 }, locale: 'lv-LV' });
    await page.goto(`${t.baseUrl}/subscribe`);
    expect(await page.title()).to.contain('Pierakstīties e-Jaunumiem');
    await page.getByLabel('E-pasta adrese').fill('browser@example.lv');
    await page.getByLabel('Vārds').fill('Kārlis');
    await page.getByLabel(/Piekrītu saņemt/).check();
    await page.getByRole('button', { name: 'Pierakstīties' }).click();
    await page.getByRole('heading', { name: 'Pārbaudiet savu e-pastu' }).waitFor();

    const [mail] = await t.waitForMails(1, to('browser@example.lv'));
    await page.goto(confirmUrlOf(mail!));
    await page.getByRole('button', { name: 'Apstiprināt pierakstīšanos' }).click();
    await page.getByRole('heading', { name: /Paldies! Pierakstīšanās apstiprināta/ }).waitFor();

    await mkdir(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: path.join(ARTIFACTS, 'signup-confirmed-lv.png'), fullPage: true });
    const subscriber = await t.c.models.subscribers.findOne({ emailKey: 'browser@example.lv' }).lean();
    expect(subscriber?.name).to.equal('Kārlis');
    expect((await t.c.models.subscriptions.findOne({ subscriberId: subscriber!._id }).lean())?.status).to.equal('active');
  });
});
