// The DPO's people pages in Debian's Chromium: find a person, read the consent timeline, restrict
// and lift (the art. 18(3) notice in the sink), rectify a name, erase on a checked paper letter; at
// desktop and phone widths. A marketer sees none of it.
import { expect } from 'chai';
import { DEFAULT_LIST } from '../../src/data/list.model';
import { hashEmail } from '../../src/domain/email-address';
import { createSubscriber } from '../helpers/factories';
import { addStaff } from '../staff/helpers';
import { consoleHarness, DESKTOP, newPage, PHONE, shot, signIn, type ConsoleHarness } from './harness';

export function dpoPeople(): void {
  describe('console: the DPO’s people pages', () => {
    let h: ConsoleHarness;
    // The suites share one server: addresses of their own.
    const tag = Date.now().toString(36);
    const liene = `liene.${tag}@cilveki.example.lv`;
    const letterWriter = `vestule.${tag}@cilveki.example.lv`;
    let lieneId: string;
    let letterWriterId: string;

    before(async () => {
      h = await consoleHarness();
      const c = h.t.c;
      const person = await createSubscriber(c, { email: liene, name: 'Liene Kalna', lists: { [DEFAULT_LIST]: 'active' } });
      lieneId = String(person._id);
      const base = { subscriberId: person._id, emailHash: person.emailHash, list: DEFAULT_LIST };
      await c.ledger.record({
        ...base,
        type: 'requested',
        channel: 'web-form',
        ip: '198.51.100.23',
        userAgent: 'Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0',
        policyVersion: 1,
        consentText: 'Piekrītu saņemt IMPRO e-Jaunumus par ceļojumiem.',
        at: new Date('2026-03-02T08:15:00Z'),
      });
      await c.ledger.record({ ...base, type: 'confirmed', channel: 'web-form', ip: '198.51.100.23', policyVersion: 1, at: new Date('2026-03-02T08:20:00Z') });
      letterWriterId = String((await createSubscriber(c, { email: letterWriter, name: 'Vēstules Rakstītājs', lists: { [DEFAULT_LIST]: 'active' } }))._id);
    });

    it('finds a person, reads the timeline, restricts and lifts, and rectifies the name', async () => {
      const dpo = await addStaff(h.t, 'dpo', { totp: true });
      const { page, problems } = await newPage(h, DESKTOP);
      await signIn(page, h, dpo);
      const nav = page.getByRole('navigation');
      expect(await nav.getByRole('link').allInnerTexts()).to.include('Cilvēki');
      await nav.getByRole('link', { name: 'Cilvēki' }).click();
      await page.getByRole('heading', { name: 'Cilvēki', level: 2 }).waitFor();

      // A part of the address, in another case.
      await page.getByLabel('E-pasta adrese').fill(`LIENE.${tag}`);
      await page.getByRole('button', { name: 'Meklēt' }).click();
      const row = page.getByRole('row').filter({ hasText: liene });
      await row.waitFor();
      expect(await row.innerText()).to.contain('Liene Kalna');
      await shot(page, 'people-search-1280');

      await row.getByRole('link', { name: liene }).click();
      await page.waitForURL(new RegExp(`/admin/people/${lieneId}$`));
      await page.getByRole('heading', { name: liene, level: 2 }).waitFor();
      const timeline = page.getByRole('region', { name: 'Piekrišanas vēsture' });
      await timeline.getByText('Pieteicās · e-jaunumi').waitFor();
      expect(await timeline.innerText()).to.contain('Piekrītu saņemt IMPRO e-Jaunumus par ceļojumiem.');
      expect(await timeline.innerText()).to.contain('198.51.100.23');
      expect(await timeline.innerText()).to.contain('Firefox/128.0');
      await timeline.getByText('Apstiprināja piekrišanu · e-jaunumi').waitFor();
      // The ledger's word on the chain: intact, and, after the day's anchor, verified up to that day.
      await timeline.locator('[data-ledger="chained"]').waitFor();
      const anchored = await h.t.c.ledgerAnchors.anchor();
      await page.reload();
      const badge = page.getByRole('region', { name: 'Piekrišanas vēsture' }).locator('[data-ledger="anchored"]');
      await badge.waitFor();
      expect(anchored.anchor, 'the day’s anchor').to.not.equal(undefined);
      expect(await badge.innerText()).to.match(/^Ķēde pārbaudīta līdz \d/);
      await shot(page, 'person-1280');

      // Restrict, after the modal says what it does.
      await page.getByRole('button', { name: 'Ierobežot apstrādi' }).click();
      const restrict = page.getByRole('dialog', { name: 'Ierobežot apstrādi' });
      await restrict.getByRole('button', { name: 'Ierobežot', exact: true }).click();
      await restrict.waitFor({ state: 'detached' });
      await page.getByRole('button', { name: 'Atcelt ierobežojumu' }).waitFor();
      expect((await h.t.c.models.subscribers.findById(lieneId).lean())?.restricted).to.equal(true);
      await page.getByRole('region', { name: 'Piekrišanas vēsture' }).getByText('Apstrāde ierobežota').waitFor();

      // Lift: the modal names the art. 18(3) notice, which is in the sink afterwards.
      await page.getByRole('button', { name: 'Atcelt ierobežojumu' }).click();
      const lift = page.getByRole('dialog', { name: 'Atcelt ierobežojumu' });
      expect(await lift.innerText()).to.contain('18. panta 3. punkts').and.contain(liene);
      await shot(page, 'person-lift-1280');
      await lift.getByRole('button', { name: 'Nosūtīt paziņojumu un atcelt' }).click();
      await lift.waitFor({ state: 'detached' });
      await page.getByRole('button', { name: 'Ierobežot apstrādi' }).waitFor();
      const [notice] = await h.t.waitForMails(1, (m) => m.to.includes(liene));
      expect(notice!.parsed.subject).to.equal('Jūsu datu apstrādes ierobežojums tiek atcelts');
      expect((await h.t.c.models.subscribers.findById(lieneId).lean())?.restricted).to.equal(false);

      // Rectify the name.
      await page.getByRole('button', { name: 'Labot vārdu un valodu' }).click();
      const rectify = page.getByRole('dialog', { name: 'Labot vārdu un valodu' });
      await rectify.getByLabel('Vārds').fill('Liene Kalniņa');
      await rectify.getByRole('button', { name: 'Saglabāt labojumu' }).click();
      await page.getByRole('status').getByText('Labots: Vārds.').waitFor();
      await page.getByRole('region', { name: 'Dati' }).getByText('Liene Kalniņa').waitFor();
      expect((await h.t.c.models.subscribers.findById(lieneId).lean())?.name).to.equal('Liene Kalniņa');
      await page.getByRole('region', { name: 'Piekrišanas vēsture' }).getByText('Dati laboti').waitFor();
      await shot(page, 'person-after-1280');
      expect(problems, problems.join('\n')).to.deep.equal([]);
    });

    it('erases on a checked paper letter, with the reason, and says so back on the search', async () => {
      const dpo = await addStaff(h.t, 'dpo', { totp: true });
      const { page, problems } = await newPage(h, DESKTOP);
      await signIn(page, h, dpo);
      await page.goto(`${h.t.baseUrl}/admin/people/${letterWriterId}`);
      await page.getByRole('heading', { name: letterWriter, level: 2 }).waitFor();
      await page.getByRole('button', { name: 'Dzēst datus' }).click();
      const erase = page.getByRole('dialog', { name: 'Dzēst datus' });
      await erase.getByText('Parakstīta vēstule uz papīra').click();
      const confirm = erase.getByRole('button', { name: 'Dzēst neatgriezeniski' });
      expect(await confirm.isDisabled(), 'no reason yet').to.equal(true);
      await erase.getByLabel('Kā pārbaudījāt, ka vēstuli rakstīja šī persona').fill('Vēstule 28.11., paraksts salīdzināts ar līgumu');
      await shot(page, 'person-erase-1280');
      await confirm.click();
      await page.waitForURL(/\/admin\/people$/);
      await page.getByRole('status').getByText(/^Dati dzēsti \(pieprasījums DSR-\d{4}-\d{4}\)\.$/).waitFor();

      expect(await h.t.c.models.subscribers.exists({ _id: letterWriterId })).to.equal(null);
      const hash = hashEmail(letterWriter, h.t.config.emailHashKey);
      expect((await h.t.c.models.suppressions.findOne({ emailHash: hash }).lean())?.reason).to.equal('erasure');
      const audit = await h.t.c.models.auditEntries.findOne({ action: 'subscriber.erase', target: letterWriterId }).lean();
      expect(audit).to.deep.include({ actor: dpo.email, role: 'dpo' });
      expect(audit?.details).to.deep.include({ reason: 'Vēstule 28.11., paraksts salīdzināts ar līgumu' });

      // The whole address now finds nobody, and says why.
      await page.getByLabel('E-pasta adrese').fill(letterWriter);
      await page.getByText('Visa adrese').click();
      await page.getByRole('button', { name: 'Meklēt' }).click();
      await page.getByText('Neviens nav atrasts.').waitFor();
      await page.getByRole('status').getByText(/Šī adrese netiek sūtīta: dati dzēsti/).waitFor();
      expect(problems, problems.join('\n')).to.deep.equal([]);
    });

    it('works at phone width: search by list and state, and the person’s page', async () => {
      const dpo = await addStaff(h.t, 'dpo', { totp: true });
      const { page, problems } = await newPage(h, PHONE);
      await signIn(page, h, dpo);
      await page.getByRole('button', { name: 'Izvēlne' }).click();
      await page.getByRole('navigation').getByRole('link', { name: 'Cilvēki' }).click();
      await page.getByLabel('Vārds').fill('kalniņa');
      await page.getByLabel('Saraksts').selectOption(DEFAULT_LIST);
      await page.getByLabel('Stāvoklis sarakstā').selectOption('active');
      await page.getByRole('button', { name: 'Meklēt' }).click();
      await page.getByRole('link', { name: liene }).waitFor();
      await shot(page, 'people-search-390');
      await page.getByRole('link', { name: liene }).click();
      await page.getByRole('region', { name: 'Piekrišanas vēsture' }).getByText('Pieteicās · e-jaunumi').waitFor();
      // Nothing wider than the phone but the tables' own scroll areas.
      const overflow = await page.evaluate<number>('document.documentElement.scrollWidth - document.documentElement.clientWidth');
      expect(overflow).to.be.at.most(0);
      await shot(page, 'person-390');
      expect(problems, problems.join('\n')).to.deep.equal([]);
    });

    it('shows a marketer no People item, and not the page at /admin/people', async () => {
      const marketer = await addStaff(h.t, 'marketer');
      const { page, problems } = await newPage(h, DESKTOP);
      await signIn(page, h, marketer);
      expect(await page.getByRole('navigation').getByRole('link').allInnerTexts()).not.to.include('Cilvēki');
      await page.goto(`${h.t.baseUrl}/admin/people`);
      await page.getByRole('heading', { name: 'Pārskats', level: 2 }).waitFor();
      expect(await page.getByRole('heading', { name: 'Cilvēki' }).count()).to.equal(0);
      await page.goto(`${h.t.baseUrl}/admin/people/${lieneId}`);
      await page.getByRole('heading', { name: 'Pārskats', level: 2 }).waitFor();
      expect(await page.getByText(liene).count()).to.equal(0);
      // The console asked the server for nothing about people (a 403 would be in the problems).
      expect(problems, problems.join('\n')).to.deep.equal([]);
    });
  });
}
