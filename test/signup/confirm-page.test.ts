// The confirmation page shows the consent sentence and links the policy; pressing its button records
// that sentence and version, and the channel the sign-up came through. /privacy shows the policy.
import { expect } from 'chai';
import { CONSENT_TEXT_V1 } from '../../src/domain/seed';
import { createTestContext, type TestContext } from '../helpers/context';
import { confirmUrlOf, signUpJson, to } from './helpers';

describe('sign-up: the confirmation page and the policy it links', () => {
  let t: TestContext;
  before(async () => {
    t = await createTestContext({ workers: true });
  });
  after(async () => t.close());

  it('shows the consent text with a policy link, and records what it showed under the API channel', async () => {
    const email = 'confirm.page@example.lv';
    await signUpJson(t, { email });
    const confirmUrl = confirmUrlOf((await t.waitForMails(1, to(email)))[0]!);
    const before = await (await fetch(confirmUrl)).text();
    expect(before).to.contain(CONSENT_TEXT_V1.lv);
    expect(before).to.contain('href="/privacy/v/1"');

    // A new policy takes effect between the request and the click: the page shows the new sentence.
    const v2 = await t.c.policies.register({ text: 'Privātuma politika.\n\n2. versija.', consentText: { lv: 'Piekrītu 2. versijai.', en: 'I agree to version 2.' } });
    const page = await (await fetch(confirmUrl)).text();
    expect(page).to.contain('Piekrītu 2. versijai.');
    expect(page).to.contain(`name="policyVersion" value="${v2.version}"`);
    const res = await fetch(confirmUrl, { method: 'POST', body: new URLSearchParams({ lang: 'lv', policyVersion: String(v2.version) }) });
    expect(res.status).to.equal(200);

    const subscriber = await t.c.models.subscribers.findOne({ emailKey: email }).lean();
    const [requested, confirmed] = await t.c.ledger.history(subscriber!._id);
    expect(requested).to.deep.include({ type: 'requested', channel: 'api', policyVersion: 1 });
    expect(confirmed).to.deep.include({ type: 'confirmed', channel: 'api', policyVersion: v2.version, consentText: 'Piekrītu 2. versijai. Izvēlētie saraksti: „e-Jaunumi”.' });
  });

  it('serves the policy in force at /privacy and each version at /privacy/v/N', async () => {
    const current = await t.c.policies.current();
    const page = await fetch(`${t.baseUrl}/privacy`);
    expect(page.status).to.equal(200);
    const html = await page.text();
    expect(html).to.contain(`Versija ${current.version}`);
    const v1 = await (await fetch(`${t.baseUrl}/privacy/v/1?lang=en`)).text();
    expect(v1).to.contain('Version 1').and.contain('href="/privacy?lang=en"');
    expect((await fetch(`${t.baseUrl}/privacy/v/99`)).status).to.equal(404);
    expect((await fetch(`${t.baseUrl}/privacy/v/abc`)).status).to.equal(404);
  });
});
