// A real browser (Debian's chromium via playwright-core) signs up in Latvian and English, at phone and
// desktop widths: from `/`, through an error that keeps what was filled, to a consent sentence that
// names the ticked lists as they change, the confirmation page naming them again, and the thank-you
// page. Screenshots stay in test-artifacts/ (not committed).
import { expect } from 'chai';
import { DEFAULT_LIST } from '../../src/data/list.model';
import { createTestContext, type TestContext } from '../helpers/context';
import { VIEWPORTS, screenshot, sharedBrowser } from '../pages/browser';
import { confirmUrlOf, to } from './helpers';

const FAMILY = 'celojumi-gimenem';

const WORDS = {
  lv: {
    title: 'Pierakstīties e-Jaunumiem',
    email: 'E-pasta adrese',
    name: 'Vārds',
    consent: /Piekrītu saņemt/,
    submit: 'Pierakstīties',
    noList: 'Izvēlieties vismaz vienu sarakstu.',
    family: 'Ceļojumi ģimenēm',
    lists: (names: string[]) => `Izvēlētie saraksti: ${names.map((n) => `„${n}”`).join(', ')}.`,
    checkInbox: 'Pārbaudiet savu e-pastu',
    confirm: 'Apstiprināt pierakstīšanos',
    thanks: /Paldies! Pierakstīšanās apstiprināta/,
    privacy: 'Privātuma politika',
  },
  en: {
    title: 'Sign up for e-Jaunumi',
    email: 'Email address',
    name: 'Name',
    consent: /I agree to receive/,
    submit: 'Sign up',
    noList: 'Choose at least one list.',
    family: 'Family trips',
    lists: (names: string[]) => `Lists chosen: ${names.map((n) => `“${n}”`).join(', ')}.`,
    checkInbox: 'Check your inbox',
    confirm: 'Confirm my subscription',
    thanks: /Thank you/,
    privacy: 'Privacy policy',
  },
} as const;

describe('sign-up in a browser', function () {
  this.timeout(60_000);
  let t: TestContext;
  before(async () => {
    t = await createTestContext({ workers: true });
    await t.c.models.lists.create({ slug: FAMILY, name: { lv: 'Ceļojumi ģimenēm', en: 'Family trips' }, public: true });
  });
  after(async () => t?.close());

  for (const locale of ['lv', 'en'] as const) {
    for (const size of ['phone', 'desktop'] as const) {
      it(`${locale}, ${size}: an error keeps the form, the consent names the ticked lists, the confirmation names them again`, async () => {
        const w = WORDS[locale];
        const email = `browser-${locale}-${size}@example.lv`;
        const page = await (await sharedBrowser()).newPage({ viewport: VIEWPORTS[size], locale: locale === 'lv' ? 'lv-LV' : 'en-GB' });
        try {
          await page.goto(`${t.baseUrl}/`);
          expect(new URL(page.url()).pathname).to.equal('/subscribe');
          expect(await page.title()).to.contain(w.title);
          await page.getByRole('link', { name: w.privacy, exact: true }).waitFor();

          await page.getByLabel(w.email).fill(email);
          await page.locator('#name').fill('Jānis');
          await page.getByLabel(w.consent).check();
          // No list at all: refused, with everything else kept.
          await page.locator(`input[value="${DEFAULT_LIST}"]`).uncheck();
          await page.getByRole('button', { name: w.submit, exact: true }).click();
          await page.getByText(w.noList).waitFor();
          await screenshot(page, `signup-no-list-${locale}-${size}`);
          expect(await page.getByLabel(w.email).inputValue()).to.equal(email);
          expect(await page.locator('#name').inputValue()).to.equal('Jānis');
          expect(await page.getByLabel(w.consent).isChecked()).to.equal(true);

          // The sentence follows the boxes.
          await page.locator(`input[value="${FAMILY}"]`).check();
          expect(await page.locator('#consent-text').textContent()).to.contain(w.lists([w.family]));
          // A list is chosen again: the "choose at least one list" message no longer stands.
          expect(await page.getByText(w.noList).isVisible()).to.equal(false);
          await page.locator(`input[value="${DEFAULT_LIST}"]`).check();
          const shown = (await page.locator('#consent-text').textContent())!;
          expect(shown).to.contain(w.lists([w.family, 'e-Jaunumi']));
          await screenshot(page, `signup-form-${locale}-${size}`);
          await page.getByRole('button', { name: w.submit, exact: true }).click();
          await page.getByRole('heading', { name: w.checkInbox }).waitFor();

          const [mail] = await t.waitForMails(1, to(email));
          await page.goto(confirmUrlOf(mail!));
          await page.locator('.confirm-lists').getByText(w.family).waitFor();
          await screenshot(page, `signup-confirm-${locale}-${size}`);
          await page.getByRole('button', { name: w.confirm }).click();
          await page.getByRole('heading', { name: w.thanks }).waitFor();
          await screenshot(page, `signup-confirmed-${locale}-${size}`);

          const subscriber = await t.c.models.subscribers.findOne({ emailKey: email }).lean();
          expect(subscriber?.name).to.equal('Jānis');
          const events = await t.c.ledger.history(subscriber!._id);
          const requested = events.filter((e) => e.type === 'requested');
          expect(requested.map((e) => e.list).sort()).to.deep.equal([FAMILY, DEFAULT_LIST]);
          // What the person read beside the box is what the request records.
          for (const e of requested) expect(e.consentText).to.equal(shown);
          const states = await t.c.models.subscriptions.find({ subscriberId: subscriber!._id }).lean();
          expect(states.map((s) => s.status)).to.deep.equal(['active', 'active']);
        } finally {
          await page.close();
        }
      });
    }
  }
});
