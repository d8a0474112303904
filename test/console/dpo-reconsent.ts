// The DPO's re-consent day in Debian's Chromium: sign in with TOTP, register a material policy
// version, start the re-consent campaign, confirm as one person from the link in the `.eml`, let the
// deadline pass (the sweep runs through the domain with a clock past the deadline: the shared server
// keeps real time), and see the coverage chart and the lapsed person. Marketers see none of it.
//
// It registers a policy version and lapses older consents on the shared server: it runs last.
import { expect } from 'chai';
import { DEFAULT_LIST } from '../../src/data/list.model';
import { ReConsent } from '../../src/domain/consent/re-consent';
import { createSubscriber } from '../helpers/factories';
import type { SinkMail } from '../helpers/context';
import { addStaff, type TestStaff } from '../staff/helpers';
import { consoleHarness, DESKTOP, newPage, PHONE, shot, signIn, type ConsoleHarness } from './harness';

const DAY = 86_400_000;

export function dpoReConsent(): void {
  describe('console: re-consent after a material policy change (DPO)', () => {
    let h: ConsoleHarness;
    let dpo: TestStaff;
    const stamp = Date.now();
    const confirms = `rc-apstiprina-${stamp}@example.lv`;
    const silent = `rc-kluse-${stamp}@example.lv`;
    let silentId: string;
    before(async () => {
      h = await consoleHarness();
      dpo = await addStaff(h.t, 'dpo', { totp: true });
      await createSubscriber(h.t.c, { email: confirms, name: 'Ilze', lists: { [DEFAULT_LIST]: 'active' } });
      silentId = String((await createSubscriber(h.t.c, { email: silent, name: 'Pēteris', lists: { [DEFAULT_LIST]: 'active' } }))._id);
    });

    const reConsentMail = (address: string) => (m: SinkMail) => m.to.includes(address) && /\/re-consent\//.test(m.parsed.text ?? '');

    it('registers a material version, runs the campaign, sees one confirm and one lapse, and the coverage chart', async function () {
      // The longest walk of the console suites: two browsers, the sink and a sweep.
      this.timeout(240_000);
      const { page, problems } = await newPage(h, DESKTOP);
      await signIn(page, h, dpo);
      const nav = page.getByRole('navigation');
      await nav.getByRole('link', { name: 'Privātuma politika' }).click();
      await page.getByRole('heading', { name: 'Privātuma politika', level: 2 }).waitFor();

      // Register version 2, marked material, with what changed in both languages.
      await page.getByLabel('Politikas teksts').fill('IMPRO privātuma politika, 2. versija.\n\nJaunumus sūtām arī par partneru ceļojumiem.');
      await page.getByLabel('Piekrišanas teksts latviski').fill('Piekrītu saņemt IMPRO CEĻOJUMI un partneru jaunumus: {lists}.');
      await page.getByLabel('Piekrišanas teksts angliski').fill('I agree to receive news from IMPRO CEĻOJUMI and its partners: {lists}.');
      await page.getByLabel('Kas mainījies (latviski)').fill('Turpmāk sūtīsim arī partneru piedāvājumus.');
      await page.getByLabel('Kas mainījies (angliski)').fill('From now on we also send our partners’ offers.');
      await page.getByLabel(/Būtiskas izmaiņas/).check();
      await page.getByRole('button', { name: 'Reģistrēt versiju' }).click();
      const registered = page.getByRole('status').filter({ hasText: /Versija \d+ reģistrēta\./ });
      await registered.waitFor();
      const version = Number(/Versija (\d+)/.exec(await registered.innerText())![1]);
      expect(await h.t.c.models.auditEntries.countDocuments({ action: 'policy-version.register', target: String(version) })).to.equal(1);

      // Start the campaign behind its confirmation.
      await page.getByRole('button', { name: 'Sākt atkārtotas piekrišanas kampaņu' }).click();
      const dialog = page.getByRole('dialog', { name: 'Sākt atkārtotas piekrišanas kampaņu' });
      await dialog.getByText(/Nosūtīt e-pastu apmēram \d+ personām/).waitFor();
      await shot(page, 'reconsent-confirm-1280');
      await dialog.getByRole('button', { name: 'Jā, sūtīt' }).click();
      const card = page.getByTestId('reconsent-campaign');
      await card.getByText(`Kampaņa versijai ${version}`).waitFor();

      // The person reads the mail and confirms on the page behind its link (GET shows, POST confirms).
      const [mail] = await h.t.waitForMails(1, reConsentMail(confirms), 30_000);
      expect(mail!.parsed.subject).to.match(/^Mūsu privātuma politika ir mainījusies/);
      expect(mail!.raw).to.match(/^List-Unsubscribe-Post: List-Unsubscribe=One-Click\r?$/m);
      const link = /(https?:\/\/\S+\/re-consent\/[A-Za-z0-9_.-]+)/.exec(mail!.parsed.text ?? '')![1]!;
      const person = await newPage(h, PHONE);
      await person.page.goto(link);
      await person.page.getByText('Piekrītu saņemt IMPRO CEĻOJUMI un partneru jaunumus: „e-Jaunumi”.').waitFor();
      await shot(person.page, 'reconsent-page-390');
      await person.page.getByRole('button', { name: 'Apstiprināt piekrišanu' }).click();
      await person.page.getByRole('heading', { name: /Jūsu piekrišana ir apstiprināta/ }).waitFor();
      await shot(person.page, 'reconsent-confirmed-390');
      expect(person.problems, person.problems.join('\n')).to.deep.equal([]);

      // The deadline passes: the sweep runs with a clock 30 days and a minute ahead.
      await h.t.waitForMails(1, reConsentMail(silent), 30_000);
      const [campaign] = await h.t.c.models.reConsentCampaigns.find({ policyVersion: version }).lean();
      await waitFor(async () => (await h.t.c.models.reConsentCampaigns.findById(campaign!._id).lean())?.status === 'open');
      const later = new Date(Date.now() + 30 * DAY + 60_000);
      const sweep = new ReConsent({ ...h.t.c, jobs: h.t.c.queues.reconsent, settings: h.t.c.config, now: () => later });
      expect(await sweep.lapseDue()).to.be.at.least(1);
      const lapsed = await h.t.c.models.subscriptions.findOne({ subscriberId: silentId, list: DEFAULT_LIST }).lean();
      expect(lapsed).to.include({ status: 'lapsed' });

      // The console shows the closed campaign with its progress, and the chart.
      await page.reload();
      await page.locator('[data-testid="reconsent-campaign"][data-status="closed"]').waitFor();
      expect(await card.locator('[data-figure="confirmed"]').innerText()).to.match(/\n1$/);
      expect(Number((await card.locator('[data-figure="lapsed"]').innerText()).split('\n').pop())).to.be.at.least(1);
      expect(Number((await card.locator('[data-figure="waiting"]').innerText()).split('\n').pop())).to.equal(0);
      const chart = page.getByTestId('coverage');
      await chart.locator('.recharts-line').first().waitFor({ state: 'attached' });
      expect(await chart.getByText(`Versija ${version}`).count()).to.be.at.least(1);
      await shot(page, 'policy-1280');
      expect(problems, problems.join('\n')).to.deep.equal([]);

      // The lapsed person's preferences page says why nothing comes and offers the way back.
      const prefs = await newPage(h, PHONE);
      await prefs.page.goto(`${h.t.baseUrl}/u/${h.t.c.signer.sign({ purpose: 'unsubscribe', subject: silentId })}`);
      await prefs.page.getByText(/piekrišana netika atjaunota/).waitFor();
      await shot(prefs.page, 'reconsent-lapsed-preferences-390');
    });

    it('fits a phone: the policy desk at 390 px', async () => {
      const { page, problems } = await newPage(h, PHONE);
      await signIn(page, h, dpo);
      await page.goto(`${h.t.baseUrl}/admin/policy`);
      await page.getByTestId('coverage').locator('.recharts-line').first().waitFor({ state: 'attached' });
      await shot(page, 'policy-390');
      const overflow = await page.evaluate<number>('document.documentElement.scrollWidth - document.documentElement.clientWidth');
      expect(overflow, 'no sideways scrolling').to.be.at.most(0);
      expect(problems, problems.join('\n')).to.deep.equal([]);
    });

    it('shows a marketer neither the page nor its link', async () => {
      const marketer = await addStaff(h.t, 'marketer');
      const { page } = await newPage(h, DESKTOP);
      await signIn(page, h, marketer);
      expect(await page.getByRole('navigation').getByRole('link', { name: 'Privātuma politika' }).count()).to.equal(0);
      await page.goto(`${h.t.baseUrl}/admin/policy`);
      await page.getByRole('heading', { name: 'Pārskats', level: 2 }).waitFor();
      expect(await page.getByRole('heading', { name: 'Privātuma politika' }).count()).to.equal(0);
    });
  });
}

async function waitFor(check: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > until) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 100));
  }
}
