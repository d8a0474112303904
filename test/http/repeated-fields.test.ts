// A single-valued field sent twice is answered the same way whatever the body's encoding:
// multipart bodies keep every value of a repeated name, like urlencoded ones, and the handler names it.
import { expect } from 'chai';
import { parseMultipartFields } from '../../src/http/multipart-form';
import { createTestContext, type TestContext } from '../helpers/context';

const crlf = (...lines: string[]) => Buffer.from(lines.join('\r\n'), 'utf8');

describe('fields sent twice', () => {
  it('multipart: a repeated name keeps all its values in order', () => {
    const body = crlf('--b', 'Content-Disposition: form-data; name="lang"', '', 'lv', '--b', 'Content-Disposition: form-data; name="lang"', '', 'en', '--b', 'Content-Disposition: form-data; name="x"', '', '1', '--b--');
    expect({ ...parseMultipartFields(body, 'multipart/form-data; boundary=b') }).to.deep.equal({ lang: ['lv', 'en'], x: '1' });
  });

  describe('over HTTP', () => {
    let t: TestContext;
    before(async () => {
      t = await createTestContext({ env: { SIGNUP_IP_LIMIT_PER_MINUTE: '1000' } });
    });
    after(async () => t.close());

    it('the sign-up form sent as multipart with lang twice is a 400 naming lang', async () => {
      const form = new FormData();
      form.append('email', 'multi@example.lv');
      form.append('consent', 'yes');
      form.append('lang', 'lv');
      form.append('lang', 'en');
      const res = await fetch(`${t.baseUrl}/subscribe`, { method: 'POST', body: form });
      expect(res.status).to.equal(400);
      const html = await res.text();
      expect(html).to.contain('„lang”');
      expect(html).not.to.contain('Ievadiet derīgu e-pasta adresi');
      await t.signupsDone();
      expect(await t.c.models.subscribers.countDocuments({ emailKey: 'multi@example.lv' })).to.equal(0);
    });
  });
});
