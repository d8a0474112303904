// The unsubscribe page's lists read as separate blocks: each list's name stands clear of the divider
// above it, on a phone and on a desktop. Measured in Debian's chromium; screenshots in test-artifacts/.
import { expect } from 'chai';
import type { Browser } from 'playwright-core';
import { createTestContext, type TestContext } from '../helpers/context';
import { createSubscriber } from '../helpers/factories';
import { VIEWPORTS, screenshot, sharedBrowser } from '../pages/browser';
import { DEFAULT_LIST, SECOND_LIST, createSecondList } from './helpers';

const THIRD_LIST = 'celojumi-gimenem';
/** The least room between a divider and the name under it, in CSS pixels. */
const MIN_GAP_PX = 12;

describe('unsubscribe page: room between the lists', function () {
  this.timeout(60_000);
  let t: TestContext;
  let browser: Browser;
  let token: string;
  before(async () => {
    t = await createTestContext();
    await createSecondList(t.c);
    await t.c.models.lists.create({ slug: THIRD_LIST, name: { lv: 'Ceļojumi ģimenēm', en: 'Family trips' }, public: true });
    const subscriber = await createSubscriber(t.c, {
      email: 'spacing@example.lv',
      lists: { [DEFAULT_LIST]: 'active', [SECOND_LIST]: 'pending', [THIRD_LIST]: 'unsubscribed' },
    });
    token = t.c.listHeaders.unsubscribeToken({ subscriberId: String(subscriber._id) });
    browser = await sharedBrowser();
  });
  after(async () => t?.close());

  for (const size of ['phone', 'desktop'] as const) {
    for (const locale of ['lv', 'en'] as const) {
      it(`leaves at least ${MIN_GAP_PX}px between each divider and the next list's name (${locale}, ${VIEWPORTS[size].width}px)`, async () => {
        const page = await browser.newPage({ viewport: VIEWPORTS[size] });
        try {
          await page.goto(`${t.baseUrl}/u/${token}?lang=${locale}`);
          const rows = page.locator('ul.lists > li');
          expect(await rows.count()).to.equal(3);
          const gaps = await rows.evaluateAll((items) =>
            items.slice(1).map((li, i) => {
              // The divider is the previous row's bottom border; the name is the row's <strong>.
              const divider = items[i]!.getBoundingClientRect().bottom;
              return li.querySelector('strong')!.getBoundingClientRect().top - divider;
            }),
          );
          await screenshot(page, `unsubscribe-lists-${locale}-${size}`);
          for (const gap of gaps) expect(gap).to.be.at.least(MIN_GAP_PX);
        } finally {
          await page.close();
        }
      });
    }
  }
});
