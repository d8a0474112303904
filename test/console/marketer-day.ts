// A marketer's day in the console, in Debian's Chromium: sign in, write a campaign, watch the live
// preview, send a test, send to the list after the confirmation, and watch it reach `sent`.
import { expect } from 'chai';
import { DEFAULT_LIST } from '../../src/data/list.model';
import { createSubscriber } from '../helpers/factories';
import { addStaff, OPERATOR, type TestStaff } from '../staff/helpers';
import { consoleHarness, DESKTOP, newPage, PHONE, shot, signIn, type ConsoleHarness } from './harness';

const RECIPIENTS = ['anna@example.lv', 'janis@example.lv', 'liga@example.lv'];

export function marketerDay(): void {
  describe('console: a marketer’s day', () => {
    let h: ConsoleHarness;
    let marketer: TestStaff;
    before(async () => {
      h = await consoleHarness();
      marketer = await addStaff(h.t, 'marketer');
      for (const email of RECIPIENTS) await createSubscriber(h.t.c, { email, name: email.split('@')[0], lists: { [DEFAULT_LIST]: 'active' } });
    });

    it('writes a campaign, previews it, tests it, sends it after the confirmation and sees it sent', async () => {
      const { page, problems } = await newPage(h, DESKTOP);
      await signIn(page, h, marketer);
      // The marketer's navigation: campaigns, lists, dashboard, and nothing for DPOs.
      const nav = page.getByRole('navigation');
      expect(await nav.getByRole('link').allInnerTexts()).to.deep.equal(['Pārskats', 'Kampaņas', 'Saraksti']);
      await shot(page, 'dashboard-1280');

      await nav.getByRole('link', { name: 'Kampaņas' }).click();
      await page.getByRole('link', { name: 'Jauna kampaņa' }).click();
      await page.getByLabel(/Kampaņas nosaukums/).fill('Pavasara piedāvājumi');
      await page.getByLabel('Temats', { exact: false }).first().fill('Pavasaris ar IMPRO');
      await page.getByLabel(/Priekšvārds/).fill('Ceļojumi uz Itāliju');
      const mjml = page.getByLabel('MJML saturs');
      await mjml.fill('<mj-section><mj-column><mj-text>Sveiki, {{name}}! Pavasara ceļojumi gaida.</mj-text></mj-column></mj-section>');
      const preview = page.frameLocator('iframe[title="E-pasta priekšskatījums"]');
      await preview.getByText('Sveiki, Anna Paraugs! Pavasara ceļojumi gaida.').waitFor();
      expect(await page.locator('iframe[title="E-pasta priekšskatījums"]').getAttribute('sandbox')).to.equal('');

      // The preview follows the unsaved source.
      await mjml.fill('<mj-section><mj-column><mj-text>Sveiki, {{name}}! Rudens ceļojumi gaida.</mj-text></mj-column></mj-section>');
      await preview.getByText('Sveiki, Anna Paraugs! Rudens ceļojumi gaida.').waitFor();
      await shot(page, 'editor-1280');

      await page.getByLabel(/Adreses/).fill('kolega@impro.lv');
      await page.getByRole('button', { name: 'Sūtīt testu' }).click();
      await page.getByText('Tests nosūtīts: 1 no 1.').waitFor();
      const [test] = await h.t.waitForMails(1, (m) => m.to.includes('kolega@impro.lv'));
      expect(test!.parsed.subject).to.equal('[TEST] Pavasaris ar IMPRO');
      expect(test!.parsed.html).to.contain('Rudens ceļojumi gaida.');

      await page.getByRole('button', { name: 'Sūtīt sarakstam…' }).click();
      const dialog = page.getByRole('dialog', { name: 'Sūtīt kampaņu?' });
      await dialog.getByText(/sarakstam „.+”: 3 saņēmēji/).waitFor();
      await shot(page, 'send-confirmation-1280');
      await dialog.getByRole('button', { name: 'Sūtīt 3 saņēmējiem' }).click();

      await page.locator('[data-status="sent"]').waitFor({ timeout: 30_000 });
      await page.getByTestId('progress.sent').getByText('3').waitFor();
      await shot(page, 'progress-sent-1280');
      const mails = await h.t.waitForMails(RECIPIENTS.length, (m) => RECIPIENTS.includes(m.to[0]!));
      expect(mails.map((m) => m.parsed.subject)).to.deep.equal(RECIPIENTS.map(() => 'Pavasaris ar IMPRO'));

      // Back on the list: the campaign is there, sent, with its progress.
      await page.getByRole('link', { name: 'Atpakaļ uz kampaņām' }).click();
      await page.getByRole('link', { name: 'Pavasara piedāvājumi' }).waitFor();
      expect(await page.locator('[data-status="sent"]').count()).to.equal(1);
      await shot(page, 'campaigns-1280');

      // Lists: counts and the sign-up link that preselects the list.
      await page.getByRole('navigation').getByRole('link', { name: 'Saraksti' }).click();
      const row = page.getByRole('row').filter({ hasText: `/subscribe?list=${DEFAULT_LIST}` });
      await row.waitFor();
      expect(await row.getByRole('cell').nth(1).innerText()).to.equal(String(RECIPIENTS.length));
      expect(await row.getByRole('link').getAttribute('href')).to.equal(`${h.t.baseUrl}/subscribe?list=${DEFAULT_LIST}`);
      await shot(page, 'lists-1280');
      expect(problems, problems.join('\n')).to.deep.equal([]);
    });

    it('cancels a scheduled campaign from its progress view, after asking', async () => {
      const campaign = await h.t.c.campaigns.create({ name: 'Ziemas sezona', list: DEFAULT_LIST, subject: 'Ziema', preheader: '', mjml: '<mj-section><mj-column><mj-text>Ziema</mj-text></mj-column></mj-section>' }, marketer.email);
      await h.t.c.campaigns.send(campaign.id, { at: new Date(Date.now() + 86_400_000).toISOString() });
      const { page } = await newPage(h, PHONE);
      await signIn(page, h, marketer);
      await page.goto(`${h.t.baseUrl}/admin/campaigns/${campaign.id}`);
      await page.locator('[data-status="scheduled"]').waitFor();
      // Before the start there is nothing to count: the view says when it starts, in Riga time.
      await page.getByTestId('scheduled-for').getByText(/^Sūtīšana sāksies .+ \(Rīgas laiks\)\.$/).waitFor();
      await shot(page, 'progress-scheduled-390');
      await page.getByRole('button', { name: 'Atcelt sūtīšanu' }).click();
      await page.getByRole('dialog').getByRole('button', { name: 'Atcelt sūtīšanu' }).click();
      await page.locator('[data-status="cancelled"]').waitFor();
      expect((await h.t.c.campaigns.get(campaign.id)).status).to.equal('cancelled');
    });

    it('sends a marketer whose session ended back to sign-in, saying so', async () => {
      const leaving = await addStaff(h.t, 'marketer');
      const { page } = await newPage(h, DESKTOP);
      await signIn(page, h, leaving);
      await h.t.c.staff.accounts.deactivate(leaving.id, OPERATOR);
      await page.getByRole('navigation').getByRole('link', { name: 'Kampaņas' }).click();
      await page.getByRole('status').getByText('Sesija ir beigusies. Lūdzu, pieslēdzieties vēlreiz.').waitFor();
      expect(new URL(page.url()).pathname).to.equal('/admin/login');
    });

    it('shows MJML errors with line numbers under the editor, and saves nothing', async () => {
      const { page } = await newPage(h, DESKTOP);
      await signIn(page, h, marketer);
      await page.goto(`${h.t.baseUrl}/admin/campaigns/new`);
      await page.getByLabel('MJML saturs').fill('<mj-section>\n<mj-column>\n<mj-text>Sveiki {{vards}}</mj-text>\n</mj-column>\n</mj-section>');
      await page.getByTestId('mjml-problems').getByText(/^3\. rinda: .*\{\{vards\}\} is not a merge field/).waitFor();
      const before = await h.t.c.models.campaigns.countDocuments();
      await page.getByLabel(/Kampaņas nosaukums/).fill('Kļūdains');
      await page.getByLabel('Temats', { exact: false }).first().fill('Kļūdains');
      await page.getByRole('button', { name: 'Saglabāt' }).click();
      await page.getByRole('alert').filter({ hasText: 'MJML nav derīgs' }).waitFor();
      expect(await h.t.c.models.campaigns.countDocuments()).to.equal(before);
    });

    it('fits a phone: the navigation folds into a menu, the campaign list scrolls sideways', async () => {
      const { page } = await newPage(h, PHONE);
      await page.goto(`${h.t.baseUrl}/admin/login`);
      await page.getByRole('button', { name: 'Pieslēgties' }).waitFor();
      await shot(page, 'login-390');
      await page.getByLabel('E-pasta adrese').fill(marketer.email);
      await page.getByLabel('Parole').fill(marketer.password);
      await page.getByRole('button', { name: 'Pieslēgties' }).click();
      await page.getByRole('heading', { name: 'Pārskats', level: 2 }).waitFor();
      await shot(page, 'dashboard-390');
      await page.getByRole('button', { name: 'Izvēlne' }).click();
      await page.getByRole('navigation').getByRole('link', { name: 'Kampaņas' }).click();
      await page.getByRole('heading', { name: 'Kampaņas', level: 2 }).waitFor();
      await shot(page, 'campaigns-390');
      await page.goto(`${h.t.baseUrl}/admin/campaigns/new`);
      // A sandboxed frame paints only once scrolled into view; on a phone it sits below the editor.
      await page.locator('iframe[title="E-pasta priekšskatījums"][srcdoc*="Labdien, Anna Paraugs!"]').scrollIntoViewIfNeeded();
      await page.frameLocator('iframe[title="E-pasta priekšskatījums"]').getByText('Labdien, Anna Paraugs!').waitFor();
      await shot(page, 'editor-390');
      const width = await page.evaluate<number>('document.documentElement.scrollWidth');
      expect(width).to.be.at.most(PHONE.width);
    });
  });
}
