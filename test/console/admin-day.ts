// An admin's day in the console, in Debian's Chromium: invite a marketer (the link goes by mail),
// change a colleague's role, deactivate another, each behind a confirmation; create a list and
// rename it. Addresses and list names are unique: the suites share one server.
import { expect } from 'chai';
import { addStaff, type TestStaff } from '../staff/helpers';
import { consoleHarness, DESKTOP, newPage, PHONE, shot, signIn, type ConsoleHarness } from './harness';

export function adminDay(): void {
  describe('console: an admin’s day', () => {
    let h: ConsoleHarness;
    let admin: TestStaff;
    const stamp = Date.now();
    before(async () => {
      h = await consoleHarness();
    });
    // A fresh admin for each test: a TOTP code is accepted once, and two sign-ins within its
    // 30-second step would offer the same one.
    beforeEach(async () => {
      admin = await addStaff(h.t, 'admin', { totp: true });
    });

    it('invites a marketer, changes a role and deactivates an account, each after a confirmation', async () => {
      const colleague = await addStaff(h.t, 'marketer');
      const leaving = await addStaff(h.t, 'marketer');
      const { page, problems } = await newPage(h, DESKTOP);
      await signIn(page, h, admin);
      const nav = page.getByRole('navigation');
      expect(await nav.getByRole('link').allInnerTexts()).to.include('Darbinieki');
      await nav.getByRole('link', { name: 'Darbinieki' }).click();
      await page.getByRole('heading', { name: 'Darbinieki', level: 2 }).waitFor();

      // Invite: the one-time link goes to the invitee's mailbox; the page says so.
      const invitee = `uzaicinats-${stamp}@impro.lv`;
      await page.getByLabel('E-pasta adrese').fill(invitee);
      await page.getByLabel('Vārds').fill('Jauna Kolēģe');
      await page.getByRole('button', { name: 'Uzaicināt' }).click();
      await page.getByTestId('staff-notice').getByText(`Uzaicinājums izveidots: ${invitee}.`, { exact: false }).waitFor();
      const invitedRow = page.locator(`tr[data-email="${invitee}"]`);
      // textContent: the badge upper-cases its text with CSS only.
      expect(await invitedRow.getByTestId('staff-status').textContent()).to.equal('uzaicināts');
      expect(await invitedRow.getByTestId('staff-role').innerText()).to.equal('mārketinga speciālists');
      const [mail] = await h.t.waitForMails(1, (m) => m.to.includes(invitee));
      expect(mail!.parsed.text).to.contain('/admin/set-password#token=');
      await shot(page, 'staff-1280');

      // Change a role: the dialog names the person and the new role.
      await page.getByRole('button', { name: `Darbības: ${colleague.email}` }).click();
      await page.getByRole('menuitem', { name: 'Mainīt lomu…' }).click();
      const roleDialog = page.getByRole('dialog', { name: `Mainīt lomu: ${colleague.email}` });
      await roleDialog.getByText(`Darbiniekam ${colleague.email} būs loma „datu aizsardzības speciālists”.`, { exact: false }).waitFor();
      await shot(page, 'staff-role-dialog-1280');
      await roleDialog.getByRole('button', { name: 'Apstiprināt' }).click();
      await page.locator(`tr[data-email="${colleague.email}"]`).getByTestId('staff-role').getByText('datu aizsardzības speciālists').waitFor();
      expect((await h.t.c.models.staff.findById(colleague.id).lean())?.role).to.equal('dpo');

      // Deactivate: asked first; cancelling changes nothing.
      await page.getByRole('button', { name: `Darbības: ${leaving.email}` }).click();
      await page.getByRole('menuitem', { name: 'Deaktivizēt…' }).click();
      const offDialog = page.getByRole('dialog', { name: `Deaktivizēt ${leaving.email}?` });
      await offDialog.getByRole('button', { name: 'Atcelt' }).click();
      expect((await h.t.c.models.staff.findById(leaving.id).lean())?.status).to.equal('active');
      await page.getByRole('button', { name: `Darbības: ${leaving.email}` }).click();
      await page.getByRole('menuitem', { name: 'Deaktivizēt…' }).click();
      await offDialog.getByRole('button', { name: 'Apstiprināt' }).click();
      await page.locator(`tr[data-email="${leaving.email}"]`).getByTestId('staff-status').getByText('deaktivizēts').waitFor();
      expect((await h.t.c.models.staff.findById(leaving.id).lean())?.status).to.equal('deactivated');

      // The admin's own row offers no role change and no deactivation.
      await page.getByRole('button', { name: `Darbības: ${admin.email}` }).click();
      await page.getByRole('menuitem').first().waitFor();
      expect(await page.getByRole('menuitem').allInnerTexts()).to.deep.equal(['Nosūtīt jaunu paroles saiti…', 'Atiestatīt otro faktoru…']);
      await page.keyboard.press('Escape');

      const actions = (await h.t.c.models.auditEntries.find({ actor: admin.email, action: /^staff\./ }).lean()).map((a) => `${a.action} ${a.target}`);
      expect(actions).to.include.members([`staff.invite ${invitee}`, `staff.role ${colleague.email}`, `staff.deactivate ${leaving.email}`]);
      expect(problems, problems.join('\n')).to.deep.equal([]);
    });

    it('creates a list and renames it from the Lists page', async () => {
      const slug = `rudens-${stamp}`;
      const { page, problems } = await newPage(h, DESKTOP);
      await signIn(page, h, admin);
      await page.getByRole('navigation').getByRole('link', { name: 'Saraksti' }).click();
      await page.getByRole('button', { name: 'Jauns saraksts' }).click();
      const dialog = page.getByRole('dialog', { name: 'Jauns saraksts' });
      await dialog.getByLabel('Identifikators').fill(slug);
      await dialog.getByLabel('Nosaukums latviski').fill('Rudens ceļojumi');
      await dialog.getByLabel('Nosaukums angliski').fill('Autumn travel');
      await dialog.getByLabel('Apraksts latviski').fill('Ceļojumi septembrī un oktobrī');
      await dialog.getByLabel('Rādīt pierakstīšanās lapā').uncheck();
      await shot(page, 'list-new-1280');
      await dialog.getByRole('button', { name: 'Izveidot' }).click();
      await page.getByTestId('lists-notice').getByText(`Saraksts izveidots: ${slug}.`).waitFor();
      const row = page.locator(`tr[data-slug="${slug}"]`);
      await row.getByText('Rudens ceļojumi').waitFor();
      await row.getByText('Paslēpts').waitFor();

      await row.getByRole('button', { name: `Labot: ${slug}` }).click();
      const edit = page.getByRole('dialog', { name: `Labot sarakstu: ${slug}` });
      expect(await edit.getByLabel('Identifikators').count()).to.equal(0);
      await edit.getByLabel('Nosaukums latviski').fill('Zelta rudens');
      await edit.getByRole('button', { name: 'Saglabāt' }).click();
      await row.getByText('Zelta rudens').waitFor();
      const stored = await h.t.c.models.lists.findOne({ slug }).lean();
      expect(stored).to.deep.include({ public: false, name: { lv: 'Zelta rudens', en: 'Autumn travel' } });
      await page.getByRole('dialog').waitFor({ state: 'detached' });
      await shot(page, 'lists-admin-1280');

      // A slug that exists already: said in words, not as a stack.
      await page.getByRole('button', { name: 'Jauns saraksts' }).click();
      await dialog.getByLabel('Identifikators').fill(slug);
      await dialog.getByLabel('Nosaukums latviski').fill('Dublikāts');
      await dialog.getByLabel('Nosaukums angliski').fill('Duplicate');
      await dialog.getByRole('button', { name: 'Izveidot' }).click();
      await dialog.getByRole('alert').getByText('Saraksts ar šo identifikatoru jau ir.').waitFor();
      // The refused create is the one failed request this test expects.
      expect(problems.filter((p) => !/^409 .*\/lists$/.test(p)), problems.join('\n')).to.deep.equal([]);
    });

    it('fits a phone: staff and lists pages', async () => {
      const { page } = await newPage(h, PHONE);
      await signIn(page, h, admin);
      await page.goto(`${h.t.baseUrl}/admin/staff`);
      await page.getByRole('heading', { name: 'Darbinieki', level: 2 }).waitFor();
      await page.getByRole('button', { name: `Darbības: ${admin.email}` }).waitFor();
      await shot(page, 'staff-390');
      expect(await page.evaluate<number>('document.documentElement.scrollWidth')).to.be.at.most(PHONE.width);
      await page.goto(`${h.t.baseUrl}/admin/lists`);
      await page.getByRole('button', { name: 'Jauns saraksts' }).click();
      await page.getByRole('dialog', { name: 'Jauns saraksts' }).getByLabel('Identifikators').waitFor();
      await shot(page, 'list-new-390');
    });

    it('shows no staff page to a marketer, and the server refuses it too', async () => {
      const marketer = await addStaff(h.t, 'marketer');
      const { page, problems } = await newPage(h, DESKTOP);
      await signIn(page, h, marketer);
      expect(await page.getByRole('navigation').getByRole('link').allInnerTexts()).not.to.include('Darbinieki');
      await page.goto(`${h.t.baseUrl}/admin/staff`);
      await page.getByRole('heading', { name: 'Pārskats', level: 2 }).waitFor();
      expect(await page.getByRole('heading', { name: 'Darbinieki' }).count()).to.equal(0);
      const status = await page.evaluate(async () => (await fetch('/api/v1/admin/staff', { credentials: 'same-origin' })).status);
      expect(status).to.equal(403);
      expect(problems.filter((p) => !/^403 .*\/staff$/.test(p))).to.deep.equal([]);
    });
  });
}
