// The campaign editor in Debian's Chromium: both language versions with their previews and test
// sends, MJML problems in the code editor's gutter, the warning for {{name}} without a fallback,
// merge-field insertion, leaving the editor by keyboard, scheduling in Riga time, duplicating and
// deleting a draft.
import { expect } from 'chai';
import { Types } from 'mongoose';
import { createSubscriber } from '../helpers/factories';
import { addStaff, type TestStaff } from '../staff/helpers';
import { consoleHarness, DESKTOP, newPage, PHONE, shot, signIn, type ConsoleHarness } from './harness';

const LIST = 'redaktors';
const LV = '<mj-section><mj-column><mj-text>Labdien, {{name}}! Vasara Itālijā.</mj-text></mj-column></mj-section>';
const EN = '<mj-section><mj-column><mj-text>Hello {{name|friend}}! Summer in Italy.</mj-text></mj-column></mj-section>';
const PREVIEW = 'iframe[title="E-pasta priekšskatījums"]';

export function campaignEditor(): void {
  describe('console: the campaign editor', function () {
    // Each test signs in and waits for several server previews: slow on a busy machine.
    this.timeout(180_000);
    let h: ConsoleHarness;
    let marketer: TestStaff;
    before(async () => {
      h = await consoleHarness();
      marketer = await addStaff(h.t, 'marketer');
      await h.t.c.models.lists.create({ slug: LIST, name: { lv: 'Redaktora saraksts', en: 'Editor list' } });
      await createSubscriber(h.t.c, { email: 'ar-vardu@example.lv', name: 'Ilze', lists: { [LIST]: 'active' } });
      await createSubscriber(h.t.c, { email: 'bez-varda-1@example.lv', lists: { [LIST]: 'active' } });
      await createSubscriber(h.t.c, { email: 'bez-varda-2@example.com', locale: 'en', lists: { [LIST]: 'active' } });
    });

    it('writes a Latvian and an English version, previews each, warns about {{name}} without a fallback, tests both', async () => {
      const { page, problems } = await newPage(h, DESKTOP);
      await signIn(page, h, marketer);
      await page.goto(`${h.t.baseUrl}/admin/campaigns/new`);
      await page.getByLabel(/Kampaņas nosaukums/).fill('Divās valodās');
      await page.getByLabel('Saraksts').selectOption(LIST);
      await page.getByLabel('Temats', { exact: false }).first().fill('Vasara, {{name|draugs}}');
      await page.getByLabel('MJML saturs').fill(LV);
      const preview = page.frameLocator(PREVIEW);
      await preview.getByText('Labdien, Anna Paraugs! Vasara Itālijā.').waitFor();
      await preview.getByText('Atteikties no e-Jaunumiem').waitFor();
      // Two of the three people on the list have no name, and {{name}} has no fallback.
      await page.getByTestId('nameless-warning').getByText('{{name}} ir tukšs 2 cilvēkiem sarakstā „Redaktora saraksts”', { exact: false }).waitFor();

      // The merge-field help inserts at the cursor: a fallback makes the warning go.
      await page.getByLabel('MJML saturs').fill('');
      await page.getByRole('button', { name: 'Ievietot {{name|draugs}}' }).click();
      expect(await page.getByLabel('MJML saturs').innerText()).to.equal('{{name|draugs}}');
      await page.getByLabel('MJML saturs').fill(LV.replace('{{name}}', '{{name|draugs}}'));
      await page.getByTestId('nameless-warning').waitFor({ state: 'detached' });

      await page.getByRole('tab', { name: 'Angliski (nav)' }).click();
      await page.getByRole('button', { name: 'Pievienot angļu versiju' }).click();
      await page.getByLabel('Temats (angliski)').fill('Summer, {{name|friend}}');
      await page.getByLabel('Priekšvārds (redzams iesūtnē aiz temata) (angliski)').fill('Italy awaits');
      await page.getByLabel('MJML saturs (angliski)').fill(EN);
      await preview.getByText('Hello Anna Paraugs! Summer in Italy.').waitFor();
      await preview.getByText('Unsubscribe from e-Jaunumi').waitFor();
      await page.getByTestId('inbox-subject').getByText('Summer, Anna Paraugs').waitFor();
      await shot(page, 'editor-english-1280');

      await page.getByLabel(/Adreses/).fill('tulks@impro.lv');
      await page.getByRole('button', { name: 'Sūtīt testu' }).click();
      await page.getByText('Tests nosūtīts: 2 no 2.').waitFor();
      const tests = await h.t.waitForMails(2, (m) => m.to.includes('tulks@impro.lv'));
      expect(tests.map((m) => m.parsed.subject).sort()).to.deep.equal(['[TEST] Summer, friend', '[TEST] Vasara, draugs']);
      const stored = await h.t.c.models.campaigns.findOne({ name: 'Divās valodās' }).lean();
      expect(stored!.en).to.include({ subject: 'Summer, {{name|friend}}', preheader: 'Italy awaits', mjml: EN });

      // Back on the Latvian tab: its own source and preview.
      await page.getByRole('tab', { name: 'Latviski' }).click();
      await preview.getByText('Labdien, Anna Paraugs! Vasara Itālijā.').waitFor();
      await shot(page, 'editor-latvian-1280');
      expect(problems, problems.join('\n')).to.deep.equal([]);
    });

    it('marks broken MJML in the gutter, on its line, and lets the keyboard out with Escape then Tab', async () => {
      const { page } = await newPage(h, DESKTOP);
      await signIn(page, h, marketer);
      await page.goto(`${h.t.baseUrl}/admin/campaigns/new`);
      const source = page.getByLabel('MJML saturs');
      await source.fill('<mj-section>\n<mj-column>\n<mj-text bogus="1">Sveiki</mj-text>\n</mj-column>\n</mj-section>');
      await page.getByTestId('mjml-problems').getByText(/^3\. rinda: /).waitFor();
      const marker = page.getByTestId('mjml-editor').locator('.cm-gutter-lint .cm-gutterElement').filter({ has: page.locator('.cm-lint-marker-error') });
      await marker.waitFor();
      // The marker stands beside line 3.
      const markerBox = (await marker.boundingBox())!;
      const line3 = (await page.getByTestId('mjml-editor').locator('.cm-lineNumbers .cm-gutterElement', { hasText: /^3$/ }).boundingBox())!;
      expect(Math.abs(markerBox.y - line3.y)).to.be.below(2);
      expect(await page.getByTestId('mjml-editor').locator('.cm-lintRange-error').count()).to.be.greaterThan(0);
      await page.getByText('Escape un tad Tab', { exact: false }).waitFor();
      await shot(page, 'editor-gutter-error-1280');

      await source.click();
      await page.keyboard.press('Escape');
      await page.keyboard.press('Tab');
      const inEditor = await page.evaluate<boolean>("!!document.activeElement?.closest('.cm-editor')");
      expect(inEditor).to.equal(false);
    });

    it('schedules in Riga time (summer time included), shows it back in Riga time, and stores UTC', async () => {
      const { page } = await newPage(h, DESKTOP);
      await signIn(page, h, marketer);
      await page.goto(`${h.t.baseUrl}/admin/campaigns/new`);
      await page.getByLabel(/Kampaņas nosaukums/).fill('Jāņi');
      await page.getByLabel('Saraksts').selectOption(LIST);
      await page.getByLabel('Temats', { exact: false }).first().fill('Līgo!');
      await page.getByRole('button', { name: 'Ieplānot…' }).click();
      const when = page.getByRole('dialog', { name: 'Ieplānot sūtīšanu' });
      await when.getByLabel('Datums').fill('2099-06-23');
      await when.getByLabel('Laiks (Rīgas laiks)').fill('10:00');
      await when.getByRole('button', { name: 'Tālāk' }).click();
      const confirm = page.getByRole('dialog', { name: 'Ieplānot kampaņu?' });
      await confirm.getByTestId('send-summary').getByText('sarakstam „Redaktora saraksts” — 2099. gada 23. jūnijs, 10:00 (Rīgas laiks). Šobrīd sarakstā 3 saņēmēji.', { exact: false }).waitFor();
      await shot(page, 'schedule-confirmation-1280');
      await confirm.getByRole('button', { name: 'Ieplānot' }).click();
      await page.locator('[data-status="scheduled"]').waitFor();
      await page.getByTestId('scheduled-for').getByText(/10:00 \(Rīgas laiks\)/).waitFor();
      const stored = await h.t.c.models.campaigns.findOne({ name: 'Jāņi' }).lean();
      // Riga is UTC+3 in June.
      expect(stored!.scheduledAt!.toISOString()).to.equal('2099-06-23T07:00:00.000Z');
      expect(stored!.status).to.equal('scheduled');
    });

    it('duplicates a campaign and deletes the copy, after asking', async () => {
      const original = await h.t.c.campaigns.create({ name: 'Rudens', list: LIST, subject: 'Rudens', preheader: '', mjml: LV, en: { subject: 'Autumn', preheader: '', mjml: EN } }, marketer.email);
      const { page } = await newPage(h, PHONE);
      await signIn(page, h, marketer);
      await page.goto(`${h.t.baseUrl}/admin/campaigns/${original.id}`);
      await page.getByRole('heading', { name: 'Kampaņa: Rudens' }).waitFor();
      await page.getByRole('tab', { name: 'Angliski' }).click();
      await page.locator(`${PREVIEW}[srcdoc*="Summer in Italy."]`).scrollIntoViewIfNeeded();
      await page.frameLocator(PREVIEW).getByText('Hello Anna Paraugs! Summer in Italy.').waitFor();
      await shot(page, 'editor-english-390');
      expect(await page.evaluate<number>('document.documentElement.scrollWidth')).to.be.at.most(PHONE.width);

      await page.getByRole('button', { name: 'Dublēt' }).click();
      await page.getByRole('heading', { name: 'Kampaņa: Rudens (kopija)' }).waitFor();
      const copyId = new URL(page.url()).pathname.split('/').pop()!;
      expect(copyId).not.to.equal(original.id);
      expect((await h.t.c.models.campaigns.findById(copyId).lean())!.en).to.include({ subject: 'Autumn' });

      await page.getByRole('button', { name: 'Dzēst melnrakstu' }).click();
      await page.getByRole('dialog', { name: 'Dzēst melnrakstu?' }).getByRole('button', { name: 'Dzēst' }).click();
      await page.getByRole('heading', { name: 'Kampaņas', level: 2 }).waitFor();
      expect(await h.t.c.models.campaigns.findById(new Types.ObjectId(copyId)).lean()).to.equal(null);
      expect(await h.t.c.models.campaigns.findById(original.id).lean()).not.to.equal(null);
      expect(await h.t.c.models.auditEntries.countDocuments({ action: 'campaign.delete', target: copyId })).to.equal(1);
    });
  });
}
