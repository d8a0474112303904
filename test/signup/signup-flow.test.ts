// The whole double opt-in flow against the real services: form → mail in the sink → confirmation
// page → POST → active subscription and a consent ledger that proves it.
import { expect } from 'chai';
import { DEFAULT_LIST } from '../../src/data/list.model';
import { hashEmail } from '../../src/domain/email-address';
import { CONSENT_TEXT_V1, sha256 } from '../../src/domain/seed';
import { createTestContext, type TestContext } from '../helpers/context';
import { confirmUrlOf, DAY, drainTransactional, manualClock, MINUTE, oneClickUrlOf, rawHeader, signUpForm, signUpJson, to } from './helpers';

describe('sign-up: double opt-in flow', () => {
  const clock = manualClock();
  let t: TestContext;
  before(async () => {
    t = await createTestContext({ workers: true, clock, env: { SIGNUP_IP_LIMIT_PER_MINUTE: '1000' } });
  });
  after(async () => t.close());

  const subscriptionOf = async (email: string) => {
    const subscriber = await t.c.models.subscribers.findOne({ emailKey: email.toLowerCase() }).lean();
    return subscriber && t.c.models.subscriptions.findOne({ subscriberId: subscriber._id, list: DEFAULT_LIST }).lean();
  };

  it('shows the Latvian form with the consent text of the policy in force, labelled fields and noindex', async () => {
    const res = await fetch(`${t.baseUrl}/subscribe`);
    expect(res.status).to.equal(200);
    expect(res.headers.get('x-robots-tag')).to.contain('noindex');
    const html = await res.text();
    expect(html).to.contain('<html lang="lv">');
    expect(html).to.contain('Pierakstieties e-Jaunumiem');
    expect(html).to.contain(CONSENT_TEXT_V1.lv);
    expect(html).to.contain('<label for="email">E-pasta adrese</label>');
    expect(html).to.contain('<label for="name">');
    expect(html).to.match(/<label class="check" for="consent"><input type="checkbox" id="consent" name="consent"/);
    expect(html).to.contain('name="viewport"');
    expect(html).to.contain('name="website"');
  });

  it('speaks English with ?lang=en or an English Accept-Language', async () => {
    for (const res of [
      await fetch(`${t.baseUrl}/subscribe?lang=en`),
      await fetch(`${t.baseUrl}/subscribe`, { headers: { 'accept-language': 'en-GB,en;q=0.9' } }),
    ]) {
      const html = await res.text();
      expect(html).to.contain('<html lang="en">');
      expect(html).to.contain(CONSENT_TEXT_V1.en);
    }
  });

  it('signs up through the form, mails a working confirmation, and confirms on POST only', async () => {
    const email = 'anna.flow@example.lv';
    const res = await signUpForm(t, { email: ` ${email} `, name: 'Anna Bērziņa', consent: 'yes', lang: 'lv' });
    expect(res.status).to.equal(202);
    expect(await res.text()).to.contain('Pārbaudiet savu e-pastu');

    const [mail] = await t.waitForMails(1, to(email));
    expect(mail!.parsed.subject).to.equal('Apstipriniet pierakstīšanos e-Jaunumiem');
    expect(mail!.parsed.text).to.contain('Atteikties no e-Jaunumiem:');
    expect(mail!.parsed.html).to.contain('Apstiprināt pierakstīšanos');
    const listUnsubscribe = rawHeader(mail!, 'list-unsubscribe');
    expect(listUnsubscribe).to.match(/^<http:\/\/127\.0\.0\.1:\d+\/u\/[\w.-]+>, <mailto:unsubscribe\+[\w.-]+@impro\.lv\?subject=unsubscribe>$/);
    expect(rawHeader(mail!, 'list-unsubscribe-post')).to.equal('List-Unsubscribe=One-Click');
    expect(mail!.parsed.html).to.contain(oneClickUrlOf(mail!));
    expect(mail!.parsed.text).to.contain(oneClickUrlOf(mail!));

    const confirmUrl = confirmUrlOf(mail!);
    // Link scanners: GET and HEAD show a page and change nothing.
    const head = await fetch(confirmUrl, { method: 'HEAD' });
    expect(head.status).to.equal(200);
    const page = await fetch(confirmUrl);
    expect(page.status).to.equal(200);
    const pageHtml = await page.text();
    expect(pageHtml).to.contain('<form method="post"');
    expect(pageHtml).to.contain('Apstiprināt pierakstīšanos');
    expect((await subscriptionOf(email))?.status).to.equal('pending');

    const confirmed = await fetch(confirmUrl, { method: 'POST', headers: { 'user-agent': 'browser/2.0' } });
    expect(confirmed.status).to.equal(200);
    expect(await confirmed.text()).to.contain('Pierakstīšanās apstiprināta');
    const subscription = await subscriptionOf(email);
    expect(subscription?.status).to.equal('active');
    expect(subscription?.pendingRef).to.equal(undefined);
    const subscriber = await t.c.models.subscribers.findOne({ emailKey: email }).lean();
    expect(subscriber?.name).to.equal('Anna Bērziņa');
    expect(subscriber?.locale).to.equal('lv');
  });

  it('records the request and the confirmation with everything the DPO must prove', async () => {
    const email = 'ledger@example.lv';
    await signUpJson(t, { email, locale: 'en' }, { 'user-agent': 'impro.lv-site/1.0' });
    const [mail] = await t.waitForMails(1, to(email));
    expect(mail!.parsed.subject).to.equal('Please confirm your e-Jaunumi subscription');
    const confirmUrl = confirmUrlOf(mail!);
    expect(confirmUrl).to.match(/\?lang=en$/);
    expect(await (await fetch(confirmUrl, { method: 'POST', headers: { 'user-agent': 'browser/3.0' } })).text()).to.contain('Thank you');

    const subscriber = await t.c.models.subscribers.findOne({ emailKey: email }).lean();
    const events = await t.c.ledger.history(subscriber!._id);
    expect(events.map((e) => e.type)).to.deep.equal(['requested', 'confirmed']);
    const [requested, confirmed] = events;
    for (const e of events) {
      expect(e.list).to.equal(DEFAULT_LIST);
      expect(e.policyVersion).to.equal(1);
      // Specific consent: the sentence names the list chosen.
      expect(e.consentText).to.equal(`${CONSENT_TEXT_V1.en} Lists chosen: “e-Jaunumi”.`);
      expect(e.consentTextHash).to.equal(sha256(`${CONSENT_TEXT_V1.en} Lists chosen: “e-Jaunumi”.`));
      expect(e.ip).to.match(/127\.0\.0\.1/);
      expect(e.emailHash).to.equal(hashEmail(email, t.config.emailHashKey));
      expect(e.at).to.be.instanceOf(Date);
    }
    expect(requested!.channel).to.equal('api');
    expect(requested!.userAgent).to.equal('impro.lv-site/1.0');
    // Requested through the API, confirmed through the API's channel too.
    expect(confirmed!.channel).to.equal('api');
    expect(confirmed!.userAgent).to.equal('browser/3.0');
    expect(requested!.requestRef).to.be.a('string').and.equal(confirmed!.requestRef);
  });

  it('makes a confirmation link work once, and rejects forged ones with a page offering a fresh link or a new sign-up', async () => {
    const email = 'once@example.lv';
    await signUpJson(t, { email });
    const confirmUrl = confirmUrlOf((await t.waitForMails(1, to(email)))[0]!);
    const results = await Promise.all(Array.from({ length: 5 }, () => fetch(confirmUrl, { method: 'POST' })));
    expect(results.map((r) => r.status).sort()).to.deep.equal([200, 410, 410, 410, 410]);
    const subscriber = await t.c.models.subscribers.findOne({ emailKey: email }).lean();
    expect((await t.c.ledger.history(subscriber!._id)).filter((e) => e.type === 'confirmed')).to.have.length(1);

    const reused = await fetch(confirmUrl);
    expect(reused.status).to.equal(410);
    expect(await reused.text()).to.contain('href="/subscribe"').and.contain('action="/resend-confirmation"');

    const token = confirmUrl.split('/confirm/')[1]!;
    const forged = `${token.slice(0, -3)}${token.endsWith('AAA') ? 'BBB' : 'AAA'}`;
    for (const bad of [forged, 'nonsense', 'a.b.c', encodeURIComponent('<script>')]) {
      for (const method of ['GET', 'POST']) {
        const res = await fetch(`${t.baseUrl}/confirm/${bad}`, { method });
        expect(res.status, `${method} ${bad}`).to.equal(400);
        expect(await res.text()).to.contain('Apstiprinājuma saite nedarbojas');
      }
    }
  });

  it('lets a link expire after CONFIRM_TOKEN_TTL', async () => {
    const email = 'expires@example.lv';
    await signUpJson(t, { email });
    const confirmUrl = confirmUrlOf((await t.waitForMails(1, to(email)))[0]!);
    clock.advance(7 * DAY + MINUTE);
    const res = await fetch(confirmUrl, { method: 'POST' });
    expect(res.status).to.equal(410);
    expect(await res.text()).to.contain('Apstiprinājuma saite ir novecojusi');
    expect((await subscriptionOf(email))?.status).to.equal('pending');
  });

  it('voids an older link when a newer sign-up request is made', async () => {
    const email = 'twice@example.lv';
    await signUpJson(t, { email });
    const first = confirmUrlOf((await t.waitForMails(1, to(email)))[0]!);
    clock.advance(11 * MINUTE);
    await signUpJson(t, { email });
    const mails = await t.waitForMails(2, to(email));
    const second = mails.map(confirmUrlOf).find((u) => u !== first)!;
    expect((await fetch(first, { method: 'POST' })).status).to.equal(410);
    expect((await fetch(second, { method: 'POST' })).status).to.equal(200);
  });

  it('cancels the pending sign-up through the one-click List-Unsubscribe of the confirmation mail', async () => {
    const email = 'oneclick@example.lv';
    await signUpJson(t, { email });
    const [mail] = await t.waitForMails(1, to(email));
    const res = await fetch(oneClickUrlOf(mail!), { method: 'POST', body: new URLSearchParams({ 'List-Unsubscribe': 'One-Click' }), redirect: 'manual' });
    expect(res.status).to.equal(200);
    expect((await subscriptionOf(email))?.status).to.equal('unsubscribed');
    expect((await fetch(confirmUrlOf(mail!), { method: 'POST' })).status).to.equal(410);
  });

  it('names a newly registered policy version in consents from then on', async () => {
    const registered = await t.c.policies.register({ text: 'Privātuma politika, 2. redakcija', consentText: { lv: 'Piekrītu v2.', en: 'I agree v2.' } });
    expect(registered.version).to.equal(2);
    expect(await (await fetch(`${t.baseUrl}/subscribe`)).text()).to.contain('Piekrītu v2.');
    const email = 'policy2@example.lv';
    await signUpForm(t, { email, consent: 'yes' });
    await t.waitForMails(1, to(email));
    const subscriber = await t.c.models.subscribers.findOne({ emailKey: email }).lean();
    const [requested] = await t.c.ledger.history(subscriber!._id);
    expect(requested!.policyVersion).to.equal(2);
    expect(requested!.consentTextHash).to.equal(sha256('Piekrītu v2. Izvēlētie saraksti: „e-Jaunumi”.'));
    expect(requested!.channel).to.equal('web-form');
    await drainTransactional(t);
  });

  it('offers a list choice when more than one list is public, and confirms all chosen lists with one link', async () => {
    await t.c.models.lists.create({ slug: 'celojumi-bernu', name: { lv: 'Ceļojumi ar bērniem', en: 'Family travel' }, public: true });
    const form = await (await fetch(`${t.baseUrl}/subscribe`)).text();
    expect(form).to.contain('<legend>Saraksti</legend>');
    expect(form).to.match(/<input type="checkbox" id="list-e-jaunumi" name="lists" value="e-jaunumi" data-name="e-Jaunumi" checked>/);
    expect(form).to.match(/<input type="checkbox" id="list-celojumi-bernu" name="lists" value="celojumi-bernu" data-name="Ceļojumi ar bērniem">/);

    const email = 'two-lists@example.lv';
    expect((await signUpForm(t, { email, consent: 'yes', lists: [DEFAULT_LIST, 'celojumi-bernu'] })).status).to.equal(202);
    const [mail] = await t.waitForMails(1, to(email));
    expect(mail!.parsed.text).to.contain('Ceļojumi ar bērniem');
    // One mail for two lists: its one-click link names no single list.
    expect(rawHeader(mail!, 'list-id')).to.equal('');
    expect((await fetch(confirmUrlOf(mail!), { method: 'POST' })).status).to.equal(200);
    const subscriber = await t.c.models.subscribers.findOne({ emailKey: email }).lean();
    const statuses = await t.c.models.subscriptions.find({ subscriberId: subscriber!._id }, { list: 1, status: 1, _id: 0 }).sort({ list: 1 }).lean();
    expect(statuses).to.deep.equal([
      { list: 'celojumi-bernu', status: 'active' },
      { list: DEFAULT_LIST, status: 'active' },
    ]);
    const events = await t.c.ledger.history(subscriber!._id);
    expect(events.map((e) => `${e.type}:${e.list}`).sort()).to.deep.equal(['confirmed:celojumi-bernu', 'confirmed:e-jaunumi', 'requested:celojumi-bernu', 'requested:e-jaunumi']);
  });
});
