// The DPO's look-up of a person and their proof of consent, through the admin API.
import { expect } from 'chai';
import { DEFAULT_LIST } from '../../src/data/list.model';
import { createTestContext, type TestContext } from '../helpers/context';
import { confirmUrlOf, signUpJson, to } from './helpers';

describe('admin: subscribers and their consent history', () => {
  let t: TestContext;
  let subscriberId: string;
  before(async () => {
    t = await createTestContext({ workers: true });
    await signUpJson(t, { email: 'Dpo.Case@Example.LV', name: 'Līga', locale: 'en' }, { 'user-agent': 'site/1' });
    const [mail] = await t.waitForMails(1, to('dpo.case@example.lv'));
    await fetch(confirmUrlOf(mail!), { method: 'POST', headers: { 'user-agent': 'browser/1' } });
    subscriberId = String((await t.c.models.subscribers.findOne({ emailKey: 'dpo.case@example.lv' }).lean())!._id);
  });
  after(async () => t.close());

  const get = (path: string, role: 'dpo' | 'marketer' | 'admin' = 'dpo') =>
    fetch(`${t.baseUrl}/api/v1/admin${path}`, { headers: { authorization: `Bearer ${t.token(role)}` } });

  it('finds a subscriber by a normalised address, whatever the case and spaces', async () => {
    const res = await get(`/subscribers?email=${encodeURIComponent('  DPO.CASE@example.lv ')}`);
    expect(res.status).to.equal(200);
    expect(await res.json()).to.deep.equal({
      items: [{ id: subscriberId, email: 'Dpo.Case@example.lv', name: 'Līga', locale: 'en', restricted: false, lists: { [DEFAULT_LIST]: 'active' } }],
      next: null,
    });
    expect(await (await get('/subscribers?email=nobody@example.lv')).json()).to.deep.equal({ items: [], next: null });
  });

  it('returns the consent events with what proves them', async () => {
    const res = await get(`/subscribers/${subscriberId}/consent`, 'admin');
    expect(res.status).to.equal(200);
    const { events } = (await res.json()) as { events: Array<Record<string, unknown>> };
    expect(events.map((e) => [e.type, e.channel, e.list, e.policyVersion])).to.deep.equal([
      ['requested', 'api', DEFAULT_LIST, 1],
      ['confirmed', 'api', DEFAULT_LIST, 1],
    ]);
    expect(events[0]).to.include({ userAgent: 'site/1' });
    expect(events[1]).to.include({ userAgent: 'browser/1' });
    for (const e of events) {
      expect(e.at).to.be.a('string');
      expect(e.ip).to.be.a('string');
      expect(e.consentTextHash).to.match(/^[0-9a-f]{64}$/);
      expect(e.requestRef).to.equal(events[0]!.requestRef);
    }
  });

  it('audits every read of personal data', async () => {
    const actions = (await t.c.models.auditEntries.find({}, { action: 1, target: 1 }).lean()).map((a) => a.action);
    expect(actions).to.include.members(['subscriber.search', 'subscriber.consent.read']);
  });

  it('answers bad input with 4xx, never 500', async () => {
    const cases: Array<[string, number]> = [
      ['/subscribers', 400],
      ['/subscribers?email=not-an-address', 400],
      ['/subscribers?email[$gt]=', 400],
      ['/subscribers?email=a@example.lv&email=b@example.lv', 400],
      ['/subscribers/not-an-id/consent', 400],
      ['/subscribers/%24where/consent', 400],
      ['/subscribers/0123456789abcdef01234567/consent', 404],
    ];
    for (const [path, status] of cases) expect((await get(path)).status, path).to.equal(status);
  });

  it('admits dpo and admin only', async () => {
    expect((await get('/subscribers?email=dpo.case@example.lv', 'marketer')).status).to.equal(403);
    expect((await get(`/subscribers/${subscriberId}/consent`, 'marketer')).status).to.equal(403);
    expect((await fetch(`${t.baseUrl}/api/v1/admin/subscribers?email=dpo.case@example.lv`)).status).to.equal(401);
  });
});
