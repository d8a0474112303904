// Bad input gets a clear 4xx, never a 500 and never a query: a table for the JSON API and the form,
// body size, and the per-IP rate limit.
import { expect } from 'chai';
import { limitKey } from '../../src/http/public/signup-routes';
import { createTestContext, type TestContext } from '../helpers/context';
import { signUpForm, signUpJson } from './helpers';

describe('sign-up: input validation and rate limit', () => {
  let t: TestContext;
  before(async () => {
    t = await createTestContext({ env: { SIGNUP_IP_LIMIT_PER_MINUTE: '1000' } });
  });
  after(async () => t.close());

  const jsonCases: Array<[string, unknown, string]> = [
    ['no email', {}, 'validation_failed'],
    ['an empty body', '', 'validation_failed'],
    ['an object as email', { email: { $gt: '' } }, 'validation_failed'],
    ['an array as email', { email: ['a@example.lv'] }, 'validation_failed'],
    ['a number as email', { email: 42 }, 'validation_failed'],
    ['a $-key at the top', { email: 'a@example.lv', $where: 'sleep(1000)' }, 'validation_failed'],
    ['an unknown key', { email: 'a@example.lv', admin: true }, 'validation_failed'],
    ['an object as name', { email: 'a@example.lv', name: { $ne: null } }, 'validation_failed'],
    ['a control character in name', { email: 'a@example.lv', name: 'Anna\u0007' }, 'validation_failed'],
    ['a list that is not a slug', { email: 'a@example.lv', lists: ['$where'] }, 'validation_failed'],
    ['a list of objects', { email: 'a@example.lv', lists: [{ $gt: '' }] }, 'validation_failed'],
    ['an unknown list', { email: 'a@example.lv', lists: ['no-such-list'] }, 'validation_failed'],
    ['an unknown locale', { email: 'a@example.lv', locale: 'ru' }, 'validation_failed'],
    ['invalid JSON', '{"email": ', 'validation_failed'],
    ['no @', { email: 'anna.example.lv' }, 'invalid_email'],
    ['two @', { email: 'a@b@example.lv' }, 'invalid_email'],
    ['no dotted domain', { email: 'anna@localhost' }, 'invalid_email'],
    ['a space', { email: 'an na@example.lv' }, 'invalid_email'],
    ['a header injection', { email: 'a@example.lv\r\nBcc: x@example.lv' }, 'invalid_email'],
    ['a local part over 64 octets', { email: `${'a'.repeat(65)}@example.lv` }, 'invalid_email'],
    ['an empty string', { email: '   ' }, 'invalid_email'],
  ];
  for (const [what, body, code] of jsonCases) {
    it(`JSON: answers 400 ${code} for ${what}`, async () => {
      const res = await signUpJson(t, body);
      expect(res.status).to.equal(400);
      const json = (await res.json()) as { error: { code: string; message: string } };
      expect(json.error.code).to.equal(code);
      expect(json.error.message).to.be.a('string').and.not.equal('');
    });
  }

  it('JSON: accepts IDN domains, mixed case and surrounding spaces, stored normalised', async () => {
    for (const email of ['  Jānis@ceļojumi.lv '.replace('Jānis', 'Janis'), 'MIXED@Example.LV']) {
      expect((await signUpJson(t, { email, name: 'Jānis', locale: 'lv', lists: ['e-jaunumi'] })).status).to.equal(202);
    }
    expect(await t.c.models.subscribers.countDocuments({ emailKey: 'janis@xn--ceojumi-bib.lv' })).to.equal(1);
    expect(await t.c.models.subscribers.countDocuments({ emailKey: 'mixed@example.lv' })).to.equal(1);
  });

  it('answers 413 to a body over 10 kB, form or JSON', async () => {
    const big = 'x'.repeat(11 * 1024);
    expect((await signUpJson(t, { email: 'a@example.lv', name: big })).status).to.equal(413);
    expect((await signUpForm(t, { email: 'a@example.lv', name: big, consent: 'yes' })).status).to.equal(413);
  });

  const formCases: Array<[string, Record<string, string | string[]>, string]> = [
    ['a malformed address', { email: 'anna@', consent: 'yes' }, 'Ievadiet derīgu e-pasta adresi'],
    ['no address', { consent: 'yes' }, 'Ievadiet derīgu e-pasta adresi'],
    ['the address twice', { email: ['a@example.lv', 'b@example.lv'], consent: 'yes' }, 'Ievadiet derīgu e-pasta adresi'],
    ['no consent', { email: 'a@example.lv' }, 'atzīmējiet piekrišanu'],
    ['an unknown list', { email: 'a@example.lv', consent: 'yes', lists: 'no-such-list' }, 'Izvēlieties vismaz vienu sarakstu'],
  ];
  for (const [what, fields, message] of formCases) {
    it(`form: shows the form again with a Latvian field message for ${what}`, async () => {
      const res = await signUpForm(t, fields);
      expect(res.status).to.equal(400);
      const html = await res.text();
      expect(html).to.contain('<form method="post" action="/subscribe">');
      expect(html).to.contain(message);
    });
  }

  it('form: keeps what was typed (escaped) and answers in English on the English page', async () => {
    const res = await signUpForm(t, { email: '"><script>x</script>', name: 'Anna', consent: 'yes', lang: 'en' });
    expect(res.status).to.equal(400);
    const html = await res.text();
    expect(html).to.contain('Enter a valid email address');
    expect(html).to.contain('value="&quot;&gt;&lt;script&gt;x&lt;/script&gt;"');
    expect(html).to.contain('value="Anna"');
    expect(html).not.to.contain('<script>x');
  });
});

describe('sign-up: per-IP rate limit', () => {
  let t: TestContext;
  before(async () => {
    t = await createTestContext({ env: { SIGNUP_IP_LIMIT_PER_MINUTE: '3' } });
  });
  after(async () => t.close());

  it('answers 429 with Retry-After once an IP exceeds SIGNUP_IP_LIMIT_PER_MINUTE, on both entry points', async () => {
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await signUpJson(t, { email: `rate${i}@example.lv` })).status);
    expect(statuses).to.deep.equal([202, 202, 202]);
    const json = await signUpJson(t, { email: 'rate-json@example.lv' });
    expect(json.status).to.equal(429);
    expect(Number(json.headers.get('retry-after'))).to.be.within(1, 60);
    expect(((await json.json()) as { error: { code: string } }).error.code).to.equal('rate_limited');
    const form = await signUpForm(t, { email: 'rate-form@example.lv', consent: 'yes' });
    expect(form.status).to.equal(429);
    expect(form.headers.get('retry-after')).to.match(/^\d+$/);
    expect(await form.text()).to.contain('Pārāk daudz pieprasījumu');
  });
});

describe('sign-up: the per-IP limit\'s key', () => {
  it('is the IPv4 address, also as a dual-stack socket reports it, and the /56 of an IPv6 one', () => {
    expect(limitKey('203.0.113.5')).to.equal('203.0.113.5');
    expect(limitKey('::ffff:203.0.113.5')).to.equal('203.0.113.5');
    expect(limitKey('::ffff:203.0.113.6')).not.to.equal(limitKey('::ffff:203.0.113.5'));
    expect(limitKey('2001:db8:aa:bb01::1')).to.equal(limitKey('2001:db8:aa:bbff::2'));
    expect(limitKey('2001:db8:aa:bb01::1')).not.to.equal(limitKey('2001:db8:aa:cc01::1'));
    expect(limitKey('::1')).to.equal('::/56');
  });
});
