// The page of a broken confirmation link offers "enter your address for a fresh link": a pending
// sign-up gets a new link (older ones void), any other address gets the same page and no mail
// (invariant 6), the sign-up cooldown holds, and malformed input is a 400 with the form again.
import { expect } from 'chai';
import { createTestContext, type TestContext } from '../helpers/context';
import { createSubscriber, DEFAULT_LIST } from '../helpers/factories';
import { hashEmail } from '../../src/domain/email-address';
import { confirmUrlOf, DAY, drainTransactional, manualClock, MINUTE, signUpForm, to } from './helpers';

async function askForLink(t: TestContext, fields: Record<string, string | string[]>): Promise<{ status: number; html: string }> {
  const body = new URLSearchParams();
  for (const [k, v] of Object.entries(fields)) for (const value of [v].flat()) body.append(k, value);
  const res = await fetch(`${t.baseUrl}/resend-confirmation`, { method: 'POST', body, headers: { accept: 'text/html', 'user-agent': 'resend-test/1.0' } });
  const html = await res.text();
  await drainTransactional(t);
  return { status: res.status, html };
}

describe('a fresh confirmation link from the broken-link page', () => {
  let t: TestContext;
  const clock = manualClock();
  before(async () => {
    t = await createTestContext({ workers: true, clock, env: { SIGNUP_IP_LIMIT_PER_MINUTE: '1000' } });
  });
  after(async () => t.close());

  it('the expired link’s page offers the form; a pending sign-up gets a new link that works, the old one is void', async () => {
    const email = 'late.reader@example.lv';
    await signUpForm(t, { email, consent: 'yes', lang: 'lv' });
    const [first] = await t.waitForMails(1, to(email));
    const oldUrl = confirmUrlOf(first!);

    clock.advance(7 * DAY + MINUTE);
    const expired = await fetch(oldUrl, { headers: { accept: 'text/html' } });
    expect(expired.status).to.equal(410);
    const expiredHtml = await expired.text();
    expect(expiredHtml).to.contain('Apstiprinājuma saite ir novecojusi');
    expect(expiredHtml).to.contain('<form method="post" action="/resend-confirmation"').and.contain('name="email"').and.contain('Saņemt jaunu saiti');
    expect(expiredHtml).not.to.contain('pierakstieties vēlreiz');
    // A broken (not expired) link offers it too, in English when asked.
    const broken = await fetch(`${t.baseUrl}/confirm/not-a-token?lang=en`, { headers: { accept: 'text/html' } });
    expect(broken.status).to.equal(400);
    expect(await broken.text()).to.contain('This confirmation link does not work').and.contain('Send me a new link');

    const answer = await askForLink(t, { email: 'Late.Reader@EXAMPLE.lv', lang: 'lv' });
    expect(answer.status).to.equal(202);
    expect(answer.html).to.contain('Pārbaudiet savu e-pastu');
    const mails = await t.waitForMails(2, to(email));
    const newUrl = confirmUrlOf(mails[1]!);
    expect(newUrl).not.to.equal(oldUrl);
    expect((await fetch(newUrl, { headers: { accept: 'text/html' } })).status).to.equal(200);
    const confirmed = await fetch(newUrl, { method: 'POST', headers: { accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded' }, body: 'lang=lv' });
    expect(confirmed.status).to.equal(200);
    const subscriber = await t.c.models.subscribers.findOne({ email }).lean();
    const subscription = await t.c.models.subscriptions.findOne({ subscriberId: subscriber!._id, list: DEFAULT_LIST }).lean();
    expect(subscription!.status).to.equal('active');
    // The new request kept the consent the person was shown on the form, and says where it came from.
    const requested = await t.c.models.consentEvents.find({ subscriberId: subscriber!._id, type: 'requested' }).sort({ at: 1 }).lean();
    expect(requested).to.have.length(2);
    expect(requested[1]).to.include({ consentText: requested[0]!.consentText, policyVersion: requested[0]!.policyVersion, userAgent: 'resend-test/1.0' });
    // The old link stays void.
    expect((await fetch(oldUrl, { headers: { accept: 'text/html' } })).status).to.equal(410);
  });

  it('answers an unknown, an active or a suppressed address with the same page, and mails nothing', async () => {
    const pendingEmail = 'pending.again@example.lv';
    await signUpForm(t, { email: pendingEmail, consent: 'yes', lang: 'lv' });
    await t.waitForMails(1, to(pendingEmail));
    clock.advance(11 * MINUTE);
    const reference = await askForLink(t, { email: pendingEmail, lang: 'lv' });
    await t.waitForMails(2, to(pendingEmail));

    await createSubscriber(t.c, { email: 'already.active@example.lv', lists: { [DEFAULT_LIST]: 'active' } });
    // Pending, but its address bounced since: never mailed.
    const bounced = 'bounced.pending@example.lv';
    await signUpForm(t, { email: bounced, consent: 'yes', lang: 'lv' });
    await t.waitForMails(1, to(bounced));
    await t.c.models.suppressions.create({ emailHash: hashEmail(bounced, t.config.emailHashKey), reason: 'hard-bounce' });
    clock.advance(11 * MINUTE);
    const before = (await t.mails()).length;
    for (const email of ['nobody.here@example.lv', 'already.active@example.lv', bounced]) {
      const answer = await askForLink(t, { email, lang: 'lv' });
      expect(answer.status, email).to.equal(reference.status);
      expect(answer.html, email).to.equal(reference.html);
    }
    // The honeypot: the same answer, nothing done.
    const bot = await askForLink(t, { email: pendingEmail, website: 'http://spam.example', lang: 'lv' });
    expect(bot.status).to.equal(202);
    expect(bot.html).to.equal(reference.html);
    await new Promise((r) => setTimeout(r, 200));
    expect(await t.mails()).to.have.length(before);
    // No subscriber was created for the unknown address.
    expect(await t.c.models.subscribers.exists({ email: 'nobody.here@example.lv' })).to.equal(null);
  });

  it('keeps the sign-up cooldown: no second mail inside it, one after it', async () => {
    const email = 'impatient@example.lv';
    await signUpForm(t, { email, consent: 'yes', lang: 'en' }, '?lang=en');
    await t.waitForMails(1, to(email));
    for (let i = 0; i < 3; i++) expect((await askForLink(t, { email, lang: 'en' })).status).to.equal(202);
    await new Promise((r) => setTimeout(r, 200));
    expect((await t.mails()).filter(to(email))).to.have.length(1);

    clock.advance(11 * MINUTE);
    const answer = await askForLink(t, { email, lang: 'en' });
    expect(answer.html).to.contain('Check your inbox');
    const mails = await t.waitForMails(2, to(email));
    expect(mails[1]!.parsed.subject).to.match(/confirm/i);
  });

  it('answers malformed input with 400 and the form again, never a 500', async () => {
    const cases: Array<Record<string, string | string[]>> = [
      { email: 'not-an-address', lang: 'lv' },
      { lang: 'lv' },
      { email: '', lang: 'lv' },
      { email: ['a@example.lv', 'b@example.lv'], lang: 'lv' },
      { email: `${'x'.repeat(300)}@example.lv`, lang: 'lv' },
    ];
    for (const fields of cases) {
      const answer = await askForLink(t, fields);
      expect(answer.status, JSON.stringify(fields).slice(0, 60)).to.equal(400);
      expect(answer.html).to.contain('action="/resend-confirmation"').and.contain('Ievadiet derīgu e-pasta adresi');
    }
    const hostile = await askForLink(t, { email: '"><script>alert(1)</script>', lang: 'en' });
    expect(hostile.status).to.equal(400);
    expect(hostile.html).not.to.contain('<script>alert(1)');
    expect(hostile.html).to.contain('&lt;script&gt;');
    const json = await fetch(`${t.baseUrl}/resend-confirmation`, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'text/html' }, body: '{"email":{"$ne":1}}' });
    expect(json.status).to.equal(400);
  });
});

describe('a fresh confirmation link: throttled per IP', () => {
  let t: TestContext;
  before(async () => {
    t = await createTestContext({ workers: true, env: { SIGNUP_IP_LIMIT_PER_MINUTE: '3' } });
  });
  after(async () => t.close());

  it('shares the sign-up limit per IP: past it, 429 with Retry-After', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) {
      const res = await fetch(`${t.baseUrl}/resend-confirmation`, { method: 'POST', body: new URLSearchParams({ email: `flood${i}@example.lv` }), headers: { accept: 'text/html' } });
      statuses.push(res.status);
      if (res.status === 429) expect(Number(res.headers.get('retry-after'))).to.be.greaterThan(0);
    }
    expect(statuses).to.deep.equal([202, 202, 202, 429, 429]);
  });
});
