// The DPO's import, audit log and retention pages in Debian's Chromium: upload a CSV with foreign
// headers, map its columns, dry-run it, run it and watch it finish; filter the audit log and download
// it; read the last retention runs. A marketer reaches none of it.
import { readFile } from 'node:fs/promises';
import { expect } from 'chai';
import { DEFAULT_LIST } from '../../src/data/list.model';
import { createSubscriber } from '../helpers/factories';
import { addStaff, type TestStaff } from '../staff/helpers';
import { consoleHarness, DESKTOP, newPage, PHONE, shot, signIn, type ConsoleHarness } from './harness';

const CSV = ['Pasts;Vārds;Datums;Avots', 'dpotools-anna@example.lv;Anna;2021-04-01;veikals', 'dpotools-unsub@example.lv;Ilze;2021-04-01;veikals', 'nav adrese;X;2021-04-01;veikals', 'dpotools-janis@example.lv;Jānis;01.05.2021;'].join('\n');

export function dpoTools(): void {
  describe('console: the DPO’s import, audit log and retention', () => {
    let h: ConsoleHarness;
    let dpo: TestStaff;
    before(async () => {
      h = await consoleHarness();
      dpo = await addStaff(h.t, 'dpo', { totp: true });
      await createSubscriber(h.t.c, { email: 'dpotools-unsub@example.lv', lists: { [DEFAULT_LIST]: 'unsubscribed' } });
    });

    // A TOTP code is accepted once: a second sign-in within the same 30-second step waits for the next.
    let lastStep = -1;
    const signInDpo = async (page: import('playwright-core').Page) => {
      const step = () => Math.floor(Date.now() / 30_000);
      if (step() === lastStep) await new Promise((r) => setTimeout(r, (lastStep + 1) * 30_000 - Date.now() + 200));
      lastStep = step();
      await signIn(page, h, dpo);
    };

    const chooseColumn = async (page: import('playwright-core').Page, field: string, column: string) => {
      await page.getByTestId(`map-${field}`).click();
      await page.getByRole('option', { name: column, exact: true }).click();
    };

    it('imports a CSV: preview, mapping, dry run, then the real run to done', async function () {
      this.timeout(240_000);
      const { page, problems } = await newPage(h, DESKTOP);
      await signInDpo(page);
      const nav = page.getByRole('navigation');
      expect(await nav.getByRole('link').allInnerTexts()).to.include.members(['Imports', 'Audita žurnāls', 'Glabāšana']);
      await nav.getByRole('link', { name: 'Imports' }).click();
      await page.getByRole('heading', { name: 'Imports', level: 2 }).waitFor();
      await page.locator('input[type=file]').setInputFiles({ name: 'klienti.csv', mimeType: 'text/csv', buffer: Buffer.from(CSV) });
      // The first rows as written, and the one header the server recognised (Vārds) already mapped.
      const preview = page.getByRole('table', { name: 'Pirmās rindas' });
      await preview.getByRole('cell', { name: 'dpotools-anna@example.lv' }).waitFor();
      expect(await page.getByTestId('map-name').inputValue()).to.equal('Vārds');
      await chooseColumn(page, 'email', 'Pasts');
      await chooseColumn(page, 'consent_date', 'Datums');
      await chooseColumn(page, 'source', 'Avots');

      await page.getByRole('button', { name: 'Izmēģināt (neko nemainot)' }).click();
      const dry = page.getByTestId('dry-run-report');
      await dry.waitFor();
      expect(await dry.getByTestId('import.wouldAdd').innerText()).to.equal('2');
      expect(await dry.getByTestId('import.skipped').innerText()).to.equal('2');
      await dry.getByRole('cell', { name: 'Atrakstījusies' }).first().waitFor();
      await dry.getByRole('cell', { name: 'Nederīga adrese' }).first().waitFor();
      expect(await h.t.c.models.subscribers.exists({ emailKey: 'dpotools-anna@example.lv' })).to.equal(null);
      await shot(page, 'import-dry-run-1280');

      await page.getByRole('button', { name: 'Importēt', exact: true }).click();
      const progress = page.getByTestId('import-progress');
      await progress.getByRole('progressbar', { name: 'Importa gaita' }).waitFor();
      await progress.locator('[data-status="done"]').waitFor({ timeout: 20_000 });
      expect(await progress.getByTestId('import.added').innerText()).to.equal('2');
      expect(await progress.getByRole('progressbar').getAttribute('aria-valuenow')).to.equal('100');
      await page.getByRole('table', { name: 'Iepriekšējie importi' }).getByRole('cell', { name: 'klienti.csv' }).waitFor();
      await shot(page, 'import-done-1280');
      const anna = await h.t.c.models.subscribers.findOne({ emailKey: 'dpotools-anna@example.lv' }).lean();
      expect((await h.t.c.models.subscriptions.findOne({ subscriberId: anna!._id }).lean())?.status).to.equal('active');
      const unsub = await h.t.c.models.subscribers.findOne({ emailKey: 'dpotools-unsub@example.lv' }).lean();
      expect((await h.t.c.models.subscriptions.findOne({ subscriberId: unsub!._id }).lean())?.status).to.equal('unsubscribed');
      expect(problems).to.deep.equal([]);
      await page.context().close();
    });

    it('filters the audit log and downloads it as CSV', async function () {
      this.timeout(240_000);
      await h.t.c.models.auditEntries.create({ actor: dpo.email, role: 'dpo', action: 'subscriber.search', target: '=HYPERLINK("x")', at: new Date() });
      const { page, problems } = await newPage(h, DESKTOP);
      await signInDpo(page);
      await page.getByRole('navigation').getByRole('link', { name: 'Audita žurnāls' }).click();
      await page.getByRole('heading', { name: 'Audita žurnāls', level: 2 }).waitFor();
      await page.getByLabel('Darbinieks').fill(dpo.email);
      await page.getByLabel('Darbība').fill('subscribers.import');
      await page.getByRole('button', { name: 'Atlasīt' }).click();
      const table = page.getByRole('table', { name: 'Audita žurnāls' });
      await table.locator('tr[data-action="subscribers.import"]').first().waitFor();
      expect(await table.locator('tbody tr').count()).to.equal(1);
      await shot(page, 'audit-1280');

      await page.getByLabel('Darbība').fill('');
      await page.getByRole('button', { name: 'Atlasīt' }).click();
      await table.locator('tr[data-action="subscriber.search"]').waitFor();
      const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('audit-csv').click()]);
      const text = await readFile((await download.path())!, 'utf8');
      expect(text.replace(/^\ufeff/, '').split('\r\n')[0]).to.equal('at,actor,role,action,target,ip,details');
      expect(text).to.contain('subscribers.import');
      expect(text).to.contain(`"'=HYPERLINK(""x"")"`);
      expect(text).not.to.contain('marketer@');
      expect(problems).to.deep.equal([]);
      await page.context().close();
    });

    it('shows the last retention runs, and fits a phone', async function () {
      this.timeout(240_000);
      await h.t.c.retention.sweep('expired-claims');
      await h.t.c.retention.sweep('import-details');
      const { page, problems } = await newPage(h, PHONE);
      await signInDpo(page);
      await page.goto(`${h.t.baseUrl}/admin/retention`);
      const runs = page.getByRole('table', { name: 'Glabāšanas termiņi: pēdējās tīrīšanas' });
      await runs.locator('tr[data-sweep="import-details"]').waitFor();
      expect(await runs.locator('tr[data-sweep="import-details"]').innerText()).to.contain('pēc 90 d.');
      await shot(page, 'retention-390');
      await page.goto(`${h.t.baseUrl}/admin/import`);
      await page.getByRole('table', { name: 'Iepriekšējie importi' }).waitFor();
      await shot(page, 'import-390');
      await page.goto(`${h.t.baseUrl}/admin/audit`);
      await page.getByRole('table', { name: 'Audita žurnāls' }).waitFor();
      await shot(page, 'audit-390');
      await page.setViewportSize(DESKTOP);
      await page.goto(`${h.t.baseUrl}/admin/retention`);
      await runs.waitFor();
      await shot(page, 'retention-1280');
      expect(problems).to.deep.equal([]);
      await page.context().close();
    });

    it('shows a marketer none of these pages', async function () {
      this.timeout(240_000);
      const marketer = await addStaff(h.t, 'marketer');
      const { page } = await newPage(h, DESKTOP);
      await signIn(page, h, marketer);
      const links = await page.getByRole('navigation').getByRole('link').allInnerTexts();
      expect(links).not.to.include.members(['Imports']);
      for (const path of ['/import', '/audit', '/retention']) {
        await page.goto(`${h.t.baseUrl}/admin${path}`);
        await page.getByRole('heading', { name: 'Pārskats', level: 2 }).waitFor();
        expect(await page.getByRole('heading', { level: 2 }).allInnerTexts()).to.deep.equal(['Pārskats']);
      }
      await page.context().close();
    });
  });
}
