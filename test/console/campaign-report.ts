// After a send, in Chromium: the campaign's report (sent, the unsubscribe its mail led to, and the
// note that opens and clicks are not tracked), and the dashboard's chart of sign-ups and
// unsubscribes. Its own list and addresses: the suites share one server.
import { expect } from 'chai';
import { createSubscriber } from '../helpers/factories';
import { rawHeader } from '../campaigns/helpers';
import { addStaff, type TestStaff } from '../staff/helpers';
import { consoleHarness, DESKTOP, newPage, PHONE, shot, signIn, type ConsoleHarness } from './harness';

export function campaignReportDay(): void {
  describe('console: a campaign’s report and the dashboard chart', () => {
    let h: ConsoleHarness;
    let marketer: TestStaff;
    let campaignId: string;
    const list = `atskaite-${Date.now()}`;
    const readers = ['zane', 'edgars', 'ilze'].map((n) => `${n}.${Date.now()}@report.example.lv`);

    before(async () => {
      h = await consoleHarness();
      marketer = await addStaff(h.t, 'marketer');
      await h.t.c.lists.create({ slug: list, name: { lv: 'Atskaites saraksts', en: 'Report list' } });
      for (const email of readers) await createSubscriber(h.t.c, { email, name: email.split('.')[0], lists: { [list]: 'active' } });
      const campaign = await h.t.c.campaigns.create(
        { name: 'Atskaites kampaņa', list, subject: 'Jaunumi', preheader: '', mjml: '<mj-section><mj-column><mj-text>Sveiki!</mj-text></mj-column></mj-section>' },
        marketer.email,
      );
      campaignId = campaign.id;
      await h.t.c.campaigns.send(campaignId, {});
      const mails = await h.t.waitForMails(readers.length, (m) => m.raw.includes(`X-Ejaunumi-Campaign: ${campaignId}`), 30_000);
      // One reader leaves with one click from the campaign's own mail.
      const url = /<(http[^>]+\/u\/[^>]+)>/.exec(rawHeader(mails[0]!.raw, 'List-Unsubscribe')!)![1]!;
      const res = await fetch(url, { method: 'POST', body: new URLSearchParams({ 'List-Unsubscribe': 'One-Click' }) });
      expect(res.status).to.equal(200);
    });

    for (const [viewport, width] of [[DESKTOP, 1280], [PHONE, 390]] as const) {
      it(`shows the report after the send, at ${width} px`, async () => {
        const { page, problems } = await newPage(h, viewport);
        await signIn(page, h, marketer);
        await page.goto(`${h.t.baseUrl}/admin/campaigns/${campaignId}`);
        await page.locator('[data-status="sent"]').waitFor({ timeout: 30_000 });
        const report = page.getByTestId('campaign-report');
        await report.getByTestId('report.unsubscribes').getByText('1', { exact: true }).waitFor();
        expect(await page.getByTestId('progress.sent').innerText()).to.equal(String(readers.length));
        expect(await report.getByTestId('report.hardBounces').innerText()).to.equal('0');
        expect(await report.getByTestId('report.complaints').innerText()).to.equal('0');
        await report.getByText('viens klikšķis e-pasta programmā: 1').waitFor();
        expect(await report.getByTestId('report.noTracking').innerText()).to.contain('nav izsekošanas pikseļu');
        await shot(page, `report-${width}`);
        expect(await page.evaluate<number>('document.documentElement.scrollWidth')).to.be.at.most(viewport.width);
        expect(problems, problems.join('\n')).to.deep.equal([]);
      });
    }

    for (const [viewport, width] of [[DESKTOP, 1280], [PHONE, 390]] as const) {
      it(`draws the sign-up and unsubscribe chart on the dashboard, 30 and 90 days, at ${width} px`, async () => {
        const { page, problems } = await newPage(h, viewport);
        await signIn(page, h, marketer);
        const chart = page.getByTestId('activity-chart');
        // A day with no events draws a flat line (an empty box to Playwright): wait for the lines to exist.
        await chart.locator('svg .recharts-line').first().waitFor({ state: 'attached' });
        // Today's sign-ups and the one-click unsubscribe above are in the totals.
        const totals = page.getByTestId('activity-totals');
        await totals.getByText(/^Kopā: \d+ pieteikumi, \d+ apstiprinājumi, [1-9]\d* atrakstījušies/).waitFor();
        expect(await chart.locator('svg .recharts-line').count()).to.equal(3);
        const ninety = page.waitForResponse((r) => r.url().endsWith('/dashboard/activity?days=90'));
        await page.getByText('90 dienas').click();
        expect((await ninety).status()).to.equal(200);
        await shot(page, `dashboard-chart-${width}`);
        expect(problems, problems.join('\n')).to.deep.equal([]);
      });
    }
  });
}
