// The console's sign-in pages in Chromium: served under a CSP without inline script, errors in the
// console's language, the TOTP step, enrolment with a QR code, the one-time set-password link read
// from the fragment, and signing out.
import { expect } from 'chai';
import { Secret, TOTP } from 'otpauth';
import { OPERATOR, PASSWORD, addStaff, totpCode, type TestStaff } from '../staff/helpers';
import { consoleHarness, DESKTOP, newPage, PHONE, shot, type ConsoleHarness } from './harness';

export function signingIn(): void {
  describe('console: signing in', () => {
    let h: ConsoleHarness;
    before(async () => {
      h = await consoleHarness();
    });

    it('serves the app at /admin/* under a strict CSP, and leaves /admin/api to the API docs', async () => {
      for (const path of ['/admin', '/admin/login', '/admin/campaigns/new']) {
        const res = await fetch(`${h.t.baseUrl}${path}`);
        expect(res.status, path).to.equal(200);
        const csp = res.headers.get('content-security-policy')!;
        expect(csp).to.contain("script-src 'self'").and.not.match(/script-src[^;]*unsafe-inline/);
        const html = await res.text();
        expect(html).to.match(/<script type="module" crossorigin src="\/admin\/assets\/index-[\w-]+\.js"><\/script>/);
        expect(html).not.to.match(/<script(?![^>]*\ssrc=)[^>]*>/);
      }
      const docs = await fetch(`${h.t.baseUrl}/admin/api`);
      expect(await docs.text()).to.contain('openapi.json');
      expect((await fetch(`${h.t.baseUrl}/admin/assets/nothing-here.js`)).status).to.equal(404);
    });

    it('says a wrong password in Latvian, and in English after the switch, without saying which part was wrong', async () => {
      const marketer = await addStaff(h.t, 'marketer');
      const { page, problems } = await newPage(h, PHONE);
      await page.goto(`${h.t.baseUrl}/admin/login`);
      await page.getByLabel('E-pasta adrese').fill(marketer.email);
      await page.getByLabel('Parole').fill('nepareiza parole 123');
      await page.getByRole('button', { name: 'Pieslēgties' }).click();
      await page.getByRole('alert').getByText('Nepareiza e-pasta adrese vai parole.').waitFor();
      await shot(page, 'login-error-390');
      await page.getByText('EN', { exact: true }).click();
      await page.getByRole('textbox', { name: 'Password', exact: true }).fill('still the wrong one');
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByRole('alert').getByText('Wrong email address or password.').waitFor();
      expect(problems.filter((p) => !p.startsWith('401 '))).to.deep.equal([]);
    });

    it('asks for the TOTP code when the account has one, and signs out', async () => {
      const marketer = await addStaff(h.t, 'marketer', { totp: true });
      const { page } = await newPage(h, DESKTOP);
      await page.goto(`${h.t.baseUrl}/admin/login`);
      await page.getByLabel('E-pasta adrese').fill(marketer.email);
      await page.getByLabel('Parole').fill(marketer.password);
      await page.getByRole('button', { name: 'Pieslēgties' }).click();
      await page.getByRole('heading', { name: 'Divpakāpju pārbaude' }).waitFor();
      await shot(page, 'totp-1280');
      await page.locator('#totp-code input').first().click();
      await page.keyboard.type(totpCode(marketer.totpSecret!));
      await page.getByRole('button', { name: 'Apstiprināt' }).click();
      await page.getByRole('heading', { name: 'Pārskats', level: 2 }).waitFor();

      await page.getByRole('button', { name: 'Iziet' }).click();
      await page.waitForURL(/\/admin\/login$/);
      await page.goto(`${h.t.baseUrl}/admin/campaigns`);
      await page.waitForURL(/\/admin\/login$/);
    });

    it('enrols a second factor with the QR code when the role needs one', async () => {
      const dpo = await addStaff(h.t, 'dpo');
      const { page } = await newPage(h, DESKTOP);
      await page.goto(`${h.t.baseUrl}/admin/login`);
      await page.getByLabel('E-pasta adrese').fill(dpo.email);
      await page.getByLabel('Parole').fill(dpo.password);
      await page.getByRole('button', { name: 'Pieslēgties' }).click();
      const qr = page.getByRole('img', { name: 'QR kods autentifikācijas lietotnei' });
      await qr.waitFor();
      expect(await qr.getAttribute('src')).to.match(/^data:image\//);
      await shot(page, 'totp-enrol-1280');
      const secret = (await page.locator('code').innerText()).trim();
      await page.locator('#totp-code input').first().click();
      await page.keyboard.type(new TOTP({ secret: Secret.fromBase32(secret), algorithm: 'SHA1', digits: 6, period: 30 }).generate());
      await page.getByRole('button', { name: 'Apstiprināt' }).click();
      await page.getByRole('heading', { name: 'Pārskats', level: 2 }).waitFor();
      // A DPO sees none of the marketer's pages, only the DPO's own.
      const links = await page.getByRole('navigation').getByRole('link').allInnerTexts();
      expect(links).to.include('Pārskats').and.include('Cilvēki').and.include('Pieprasījumi').and.include('Pastkaste').and.include('Privātuma politika');
      expect(links).to.not.include.members(['Kampaņas', 'Saraksti']);
    });

    it('sets the password from the one-time link’s fragment, refusing a short one in Latvian first', async () => {
      const email = `jauna-${Date.now()}@impro.lv`;
      const { link } = await h.t.c.staff.accounts.invite({ email, role: 'marketer' }, OPERATOR);
      const { page } = await newPage(h, PHONE);
      await page.goto(`${h.t.baseUrl}/admin/set-password#token=${encodeURIComponent(link.token)}`);
      await page.getByLabel('Jaunā parole').fill('īsa parole');
      await page.getByLabel('Atkārtojiet paroli').fill('īsa parole');
      await page.getByRole('button', { name: 'Saglabāt paroli' }).click();
      await page.getByRole('alert').getByText('Parole ir par īsu: vajag vismaz 12 rakstzīmes.').waitFor();
      await page.getByLabel('Jaunā parole').fill(PASSWORD);
      await page.getByLabel('Atkārtojiet paroli').fill(PASSWORD);
      await page.getByRole('button', { name: 'Saglabāt paroli' }).click();
      await page.getByText('Parole saglabāta. Tagad varat pieslēgties.').waitFor();
      expect(page.url()).not.to.contain('token');
      await shot(page, 'set-password-done-390');

      const who: TestStaff = { id: '', email, role: 'marketer', password: PASSWORD };
      await page.getByRole('link', { name: 'Uz pieslēgšanos' }).click();
      await page.getByLabel('E-pasta adrese').fill(who.email);
      await page.getByLabel('Parole').fill(who.password);
      await page.getByRole('button', { name: 'Pieslēgties' }).click();
      await page.getByRole('heading', { name: 'Pārskats', level: 2 }).waitFor();
    });
  });
}
