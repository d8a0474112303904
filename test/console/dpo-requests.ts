// The DPO's desk in Debian's Chromium: a question dropped into the mailbox waits in the review
// queue; the DPO reads it as text and calls it a rectification request; the person verifies from the
// mail in the sink; the DPO completes the request; another request is rejected with a reason, and
// the person's mail names the Datu valsts inspekcija. A marketer sees none of it.
import { mkdtemp, rm, utimes } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { createMailboxPoller } from '../../src/mailbox/create-poller';
import { deliverToMaildir } from '../../src/mailbox/maildir-mailbox';
import { verifyTokenIn } from '../requests/helpers';
import { addStaff, type TestStaff } from '../staff/helpers';
import { consoleHarness, DESKTOP, newPage, PHONE, shot, signIn, type ConsoleHarness } from './harness';

export function dpoRequests(): void {
  describe('console: the DPO’s requests desk and mailbox review', function () {
    // A mail, a poll, two browsers and several mails each way: minutes when the machine is busy.
    this.timeout(240_000);
    let h: ConsoleHarness;
    let dpo: TestStaff;
    let dir: string;
    const stamp = `${process.pid}${Date.now()}`;
    const person = `rita.${stamp}@example.lv`;
    const other = `otto.${stamp}@example.lv`;

    before(async () => {
      h = await consoleHarness();
      dpo = await addStaff(h.t, 'dpo', { totp: true });
      dir = await mkdtemp(path.join(os.tmpdir(), 'ej-console-inbox-'));
    });
    after(async () => {
      await rm(dir, { recursive: true, force: true });
    });

    /** A mail arrives at impro@impro.lv and the poller (as the mailbox worker builds it) reads it. */
    async function mailArrives(from: string, subject: string, body: string): Promise<string> {
      const messageId = `<desk.${stamp}.${subject.length}@example.lv>`;
      const raw = [`From: Rita <${from}>`, 'To: impro@impro.lv', `Subject: ${subject}`, `Message-ID: ${messageId}`, 'MIME-Version: 1.0', 'Content-Type: text/plain; charset=utf-8', '', body, ''].join('\r\n');
      const file = await deliverToMaildir(dir, Buffer.from(raw, 'utf8'));
      // The Maildir reader leaves files that may still be settling; this one arrived a while ago.
      const earlier = new Date(Date.now() - 10_000);
      await utimes(file, earlier, earlier);
      await createMailboxPoller(h.t.c, { imapUrl: `maildir:${dir}` }).pollOnce();
      const record = await h.t.c.models.inboundMessages.findOne({ messageId }).lean();
      expect(record?.outcome, 'left for a person').to.be.oneOf(['kept', 'review']);
      return String(record!._id);
    }

    const goTo = async (page: Page, label: string, heading: string) => {
      await page.getByRole('navigation').getByRole('link', { name: label }).click();
      await page.getByRole('heading', { name: heading, level: 2 }).waitFor();
    };

    it('opens a request from the review queue, the person verifies it, the DPO completes it', async () => {
      const messageId = await mailArrives(person, 'Mani dati', 'Labdien! Manā profilā ir nepareizi uzrakstīts uzvārds: jābūt Bērziņa, nevis Berzina. Paldies, Rita');
      const { page, problems } = await newPage(h, DESKTOP);
      await signIn(page, h, dpo);
      const nav = page.getByRole('navigation');
      expect(await nav.getByRole('link').allInnerTexts()).to.include.members(['Pārskats', 'Pieprasījumi', 'Pastkaste']);

      // The queue: the message with the classifier's guess, and the figures above it.
      await goTo(page, 'Pastkaste', 'Pastkastes pārskatīšana');
      const row = page.locator(`tr[data-message="${messageId}"]`);
      await row.waitFor();
      expect(await row.innerText()).to.contain(person);
      expect(Number(await page.getByTestId('mailbox.reviewSize').innerText())).to.be.a('number');
      await page.locator('.recharts-surface').first().waitFor();
      await shot(page, 'mailbox-review-1280');

      // The message, as text; then one click makes it a rectification request.
      await row.getByRole('link', { name: 'Mani dati' }).click();
      await page.getByRole('heading', { name: 'Mani dati', level: 2 }).waitFor();
      expect(await page.getByTestId('mailbox.text').innerText()).to.contain('jābūt Bērziņa, nevis Berzina');
      await shot(page, 'mailbox-message-1280');
      await page.getByRole('button', { name: 'Labošanas pieprasījums' }).click();
      await page.getByRole('status').getByText(`Izlemts: Labošanas pieprasījums (${dpo.email}).`).waitFor();
      const request = await h.t.c.models.requests.findOne({ inboundMessageId: messageId }).lean();
      expect(request).to.include({ type: 'rectification', status: 'awaiting-verification', email: person });

      // The desk lists it, with the message it came from.
      await goTo(page, 'Pieprasījumi', 'Datu subjektu pieprasījumi');
      const listed = page.locator(`tr[data-number="${request!.number}"]`);
      await listed.getByText('Gaida apstiprinājumu').waitFor();
      expect(await listed.getByRole('link', { name: 'Atvērt vēstuli' }).getAttribute('href')).to.equal(`/admin/mailbox/${messageId}`);
      await shot(page, 'requests-1280');

      // The person follows the link in the mail from the sink, in a browser of their own.
      const [mail] = await h.t.waitForMails(1, (m) => m.to.includes(person) && /Apstipriniet/.test(m.parsed.subject ?? ''));
      const personContext = await h.browser.newContext({ viewport: PHONE, locale: 'lv-LV' });
      const personPage = await personContext.newPage();
      await personPage.goto(`${h.t.baseUrl}/r/${verifyTokenIn(mail!)}`);
      await personPage.getByRole('button', { name: 'Apstiprinu, ka šī ir mana e-pasta adrese' }).click();
      await personPage.waitForLoadState('load');
      await personContext.close();
      expect((await h.t.c.models.requests.findById(request!._id).lean())!.verifiedAt).to.be.instanceOf(Date);

      // The DPO opens it, sees the verification in its history, and completes it.
      await listed.getByRole('link', { name: request!.number }).click();
      await page.getByRole('heading', { name: request!.number, level: 2 }).waitFor();
      await page.reload();
      await page.locator('[data-action="verified"]').waitFor();
      await page.getByLabel('Piezīme personai (nav obligāta)').fill('Uzvārds izlabots uz Bērziņa.');
      await shot(page, 'request-open-1280');
      await page.getByRole('button', { name: 'Atzīmēt kā izpildītu' }).click();
      await page.locator('[data-status="done"]').waitFor();
      await page.locator('[data-action="completed"]').waitFor();
      await shot(page, 'request-done-1280');
      expect((await h.t.c.models.requests.findById(request!._id).lean())!.status).to.equal('done');
      const [done] = await h.t.waitForMails(1, (m) => m.to.includes(person) && (m.parsed.text ?? '').includes('Uzvārds izlabots uz Bērziņa.'));
      expect(done).to.not.equal(undefined);
      expect(problems, problems.join('\n')).to.deep.equal([]);
    });

    it('rejects a request with a reason, and the person’s mail names the Datu valsts inspekcija', async () => {
      const request = await h.t.c.requests.create({ type: 'erasure', email: other, channel: 'letter', note: 'vēstule papīrā' });
      const day = 86_400_000;
      const late = await h.t.c.requests.create({ type: 'access', email: `late.${stamp}@example.lv`, channel: 'letter', receivedAt: new Date(Date.now() - 40 * day) });
      const soon = await h.t.c.requests.create({ type: 'restriction', email: `soon.${stamp}@example.lv`, channel: 'letter', receivedAt: new Date(Date.now() - 27 * day), verifyFirst: true });
      const { page, problems } = await newPage(h, DESKTOP);
      await signIn(page, h, dpo);
      await goTo(page, 'Pieprasījumi', 'Datu subjektu pieprasījumi');
      // Overdue in red, due within 7 days marked.
      await page.locator(`tr[data-number="${late.number}"]`).getByText('nokavēts').waitFor();
      expect(await page.locator(`tr[data-number="${late.number}"] [data-overdue]`).count()).to.equal(1);
      await page.locator(`tr[data-number="${soon.number}"] [data-due-soon]`).waitFor();
      expect(await page.locator(`tr[data-number="${request.number}"] [data-due-soon], tr[data-number="${request.number}"] [data-overdue]`).count()).to.equal(0);
      await shot(page, 'requests-deadlines-1280');
      await page.locator(`tr[data-number="${request.number}"]`).getByRole('link', { name: request.number }).click();
      await page.getByRole('heading', { name: request.number, level: 2 }).waitFor();
      const reason = 'Pieprasījumu nav iespējams saistīt ar šo adresi.';
      await page.getByRole('form', { name: 'Noraidīt' }).getByLabel('Iemesls').fill(reason);
      await page.getByRole('button', { name: 'Noraidīt' }).click();
      await page.locator('[data-status="rejected"]').waitFor();
      await page.getByText(`Noraidīšanas iemesls: ${reason}`).waitFor();
      const [mail] = await h.t.waitForMails(1, (m) => m.to.includes(other) && /Atbilde uz Jūsu pieprasījumu/.test(m.parsed.subject ?? ''));
      expect(mail!.parsed.text).to.contain(reason);
      expect(mail!.parsed.text).to.contain('Datu valsts inspekcij');

      // Closed requests, and the same pages on a phone.
      await page.getByRole('link', { name: 'Atpakaļ uz pieprasījumiem' }).click();
      await page.getByText('Slēgtie', { exact: true }).click();
      await page.locator(`tr[data-number="${request.number}"]`).getByText('Noraidīts').waitFor();
      await shot(page, 'requests-closed-1280');
      await page.setViewportSize(PHONE);
      await page.getByText('Atvērtie', { exact: true }).click();
      await page.getByRole('heading', { name: 'Datu subjektu pieprasījumi', level: 2 }).waitFor();
      await shot(page, 'requests-390');
      await page.getByRole('button', { name: 'Izvēlne' }).click();
      await goTo(page, 'Pastkaste', 'Pastkastes pārskatīšana');
      await page.locator('.recharts-surface').first().waitFor();
      await shot(page, 'mailbox-review-390');
      await page.goto(`${h.t.baseUrl}/admin/requests/${request.id}`);
      await page.getByRole('heading', { name: request.number, level: 2 }).waitFor();
      await shot(page, 'request-rejected-390');
      const width = await page.evaluate<number>('document.documentElement.scrollWidth');
      expect(width).to.be.at.most(PHONE.width);
      expect(problems, problems.join('\n')).to.deep.equal([]);
    });

    it('shows a marketer neither the desk nor the mailbox', async () => {
      const marketer = await addStaff(h.t, 'marketer');
      const { page } = await newPage(h, DESKTOP);
      await signIn(page, h, marketer);
      const links = await page.getByRole('navigation').getByRole('link').allInnerTexts();
      expect(links).not.to.include('Pieprasījumi');
      expect(links).not.to.include('Pastkaste');
      for (const where of ['requests', 'mailbox']) {
        await page.goto(`${h.t.baseUrl}/admin/${where}`);
        await page.getByRole('heading', { name: 'Pārskats', level: 2 }).waitFor();
        expect(await page.getByRole('heading', { name: /Pieprasījumi|Pastkaste|pieprasījumi|pārskatīšana/ }).count()).to.equal(0);
      }
    });
  });
}
