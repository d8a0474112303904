// Hostile input on the public and admin HTTP side, each as an attacker sent it: odd-case token
// routes, names with line breaks, forged X-Forwarded-For, fields sent twice.
import { expect } from 'chai';
import express from 'express';
import type { AddressInfo } from 'node:net';
import type { Logger } from '../../src/logger';
import { maskPath, requestLog } from '../../src/http/request-log';
import { importSubscribers } from '../../src/domain/consent/import';
import { createTestContext, type TestContext } from '../helpers/context';
import { createSubscriber, DEFAULT_LIST } from '../helpers/factories';
import { api, postForm, verifyTokenIn } from '../requests/helpers';

const TOKEN = 'v1.eyJzdWIiOiI2NmQ.abcdefghijklmnopqrstuvwxyz0123456789';

describe('hostile HTTP input', () => {
  let t: TestContext;
  before(async () => {
    t = await createTestContext({ env: { SIGNUP_IP_LIMIT_PER_MINUTE: '1000' } });
  });
  after(async () => t.close());

  describe('routes and logs', () => {
    it('matches token routes case-sensitively: /U/, /Confirm/ and /R/ are 404', async () => {
      for (const path of [`/U/${TOKEN}`, `/Confirm/${TOKEN}`, `/R/${TOKEN}`, '/SUBSCRIBE', `/API/v1/subscriptions`]) {
        const res = await fetch(`${t.baseUrl}${path}`, { headers: { accept: 'application/json' } });
        expect(res.status, path).to.equal(404);
      }
      expect((await fetch(`${t.baseUrl}/subscribe`)).status).to.equal(200);
    });

    it('logs no token, whatever the case or path it came on', async () => {
      const lines: Array<Record<string, unknown>> = [];
      const logger = { isLevelEnabled: () => true, info: (obj: Record<string, unknown>) => lines.push(obj) } as unknown as Logger;
      const app = express();
      app.use(requestLog(logger));
      app.use((_req, res) => res.status(404).end());
      const server = app.listen(0, '127.0.0.1');
      await new Promise((r) => server.once('listening', r));
      const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      try {
        for (const path of [`/U/${TOKEN}`, `/Confirm/${TOKEN}`, `/u/${TOKEN}`, `/x/${TOKEN}/y`, `/r/short`]) await (await fetch(`${base}${path}`)).text();
      } finally {
        server.close();
      }
      expect(lines.map((l) => l.path)).to.deep.equal(['/U/:token', '/Confirm/:token', '/u/:token', '/x/:token/y', '/r/:token']);
      expect(JSON.stringify(lines)).not.to.contain('abcdefghijklmnopqrstuvwxyz');
      expect(maskPath(`/api/v1/admin/requests/0123456789abcdef01234567`)).to.equal('/api/v1/admin/requests/0123456789abcdef01234567');
    });
  });

  describe('one name rule', () => {
    it('refuses a name with CR/LF through /r/, the DPO rectify, sign-up and import alike', async () => {
      const email = 'rectify.crlf@example.lv';
      const subscriber = await createSubscriber(t.c, { email, name: 'Old Name', lists: { [DEFAULT_LIST]: 'active' } });
      const created = await api(t, 'dpo', 'POST', '/requests', { type: 'rectification', email, channel: 'letter' });
      const mail = (await t.waitForMails(1, (m) => m.to.includes(email)))[0]!;
      const viaLink = await postForm(t, `/r/${verifyTokenIn(mail)}`, { name: 'Evil\r\nBcc: x@example.lv' });
      expect(viaLink.status).to.equal(400);
      const viaDpo = await api(t, 'dpo', 'POST', `/requests/${created.body.id}/rectify`, { name: 'Evil\nName' });
      expect(viaDpo.status).to.equal(400);
      expect((await t.c.models.subscribers.findById(subscriber._id).lean())!.name).to.equal('Old Name');
      // The link was not spent by the refused attempt: a valid name still goes through.
      expect((await postForm(t, `/r/${verifyTokenIn(mail)}`, { name: 'New Name' })).status).to.equal(200);
      expect((await t.c.models.subscribers.findById(subscriber._id).lean())!.name).to.equal('New Name');

      const signup = await fetch(`${t.baseUrl}/api/v1/subscriptions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'n@example.lv', name: 'A\u2028B' }) });
      expect(signup.status).to.equal(400);
      const report = await importSubscribers(t.c, { csv: 'email,name,consent_date\n"crlf.import@example.lv","Line\r\nBreak",2020-01-01\n', list: DEFAULT_LIST, actor: 'test' });
      expect(report.reasons).to.deep.equal({ 'invalid-name': 1 });
    });
  });

  describe('X-Forwarded-For', () => {
    it('stores only a real IP address as the consent IP, and the chain as it came beside it', async () => {
      const send = (email: string, xff: string) =>
        fetch(`${t.baseUrl}/api/v1/subscriptions`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-forwarded-for': xff }, body: JSON.stringify({ email }) });
      expect((await send('xff.script@example.lv', '<script>alert(1)</script>')).status).to.equal(202);
      expect((await send('xff.ok@example.lv', '203.0.113.7, 10.0.0.1')).status).to.equal(202);
      await t.signupsDone();
      const requested = async (email: string) => {
        const s = await t.c.models.subscribers.findOne({ emailKey: email }).lean();
        return (await t.c.ledger.history(s!._id))[0]!;
      };
      const forged = await requested('xff.script@example.lv');
      expect(forged.ip).to.equal(undefined);
      expect(forged.forwardedFor).to.equal('<script>alert(1)</script>');
      const real = await requested('xff.ok@example.lv');
      // 10.0.0.1 is not a trusted proxy (only loopback is), so the client is the entry before it.
      expect(real.ip).to.equal('10.0.0.1');
      expect(real.forwardedFor).to.equal('203.0.113.7, 10.0.0.1');
      const long = await send('xff.long@example.lv', `${'1.2.3.4, '.repeat(200)}5.6.7.8`);
      expect(long.status).to.equal(202);
      await t.signupsDone();
      expect((await requested('xff.long@example.lv')).forwardedFor).to.have.length.at.most(512);
    });
  });

  describe('fields sent twice', () => {
    it('answers a form with lang twice with a 400 that names lang, not the address', async () => {
      const body = new URLSearchParams([['email', 'twice@example.lv'], ['consent', 'yes'], ['lang', 'lv'], ['lang', 'en']]);
      const res = await fetch(`${t.baseUrl}/subscribe`, { method: 'POST', body });
      expect(res.status).to.equal(400);
      const html = await res.text();
      expect(html).to.contain('„lang”');
      expect(html).not.to.contain('Ievadiet derīgu e-pasta adresi');
      const confirm = await fetch(`${t.baseUrl}/confirm/${TOKEN}`, { method: 'POST', body: new URLSearchParams([['lang', 'lv'], ['lang', 'en']]), headers: { accept: 'application/json' } });
      expect(confirm.status).to.equal(400);
      expect(await confirm.text()).to.contain('lang: sent more than once');
    });
  });
});
