// Staff management through the admin API as the console calls it (session cookie, CSRF): only
// admins reach it, invitations mail the one-time link, and no change leaves the service without an
// active admin, not even two admins demoting each other at the same moment.
import { expect } from 'chai';
import type { TestContext } from '../helpers/context';
import { addStaff, Browser, staffContext } from './helpers';

describe('staff management API', function () {
  this.timeout(60_000);
  let t: TestContext;
  before(async () => {
    t = await staffContext();
  });
  after(async () => t.close());

  const bearer = (sub = 'script@impro.lv') => ({ authorization: `Bearer ${t.token('admin', sub)}`, 'content-type': 'application/json' });
  const asScript = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${t.baseUrl}/api/v1/admin${path}`, { method, headers: bearer(), body: body === undefined ? undefined : JSON.stringify(body) });
    return { status: res.status, body: (await res.json()) as any };
  };
  const activeAdmins = async () => (await t.c.models.staff.find({ role: 'admin', status: 'active' }).lean()).length;

  it('is for admins only: a marketer and a dpo get 403 on every staff route', async () => {
    const someone = await addStaff(t, 'marketer');
    for (const role of ['marketer', 'dpo'] as const) {
      const b = await new Browser(t).signIn(await addStaff(t, role, { totp: role === 'dpo' }));
      expect((await b.get('/staff')).status, `${role} GET /staff`).to.equal(403);
      expect((await b.post('/staff', { email: `x-${role}@impro.lv`, role: 'admin' })).status).to.equal(403);
      expect((await b.request('PATCH', `/staff/${someone.id}`, { body: { role: 'admin' } })).status).to.equal(403);
      expect((await b.post(`/staff/${someone.id}/deactivate`)).status).to.equal(403);
      expect((await b.post(`/staff/${someone.id}/totp/reset`)).status).to.equal(403);
      expect((await b.post(`/staff/${someone.id}/password-link`)).status).to.equal(403);
    }
    expect(await t.c.models.staff.countDocuments({ email: { $in: ['x-marketer@impro.lv', 'x-dpo@impro.lv'] } })).to.equal(0);
    expect((await t.c.models.staff.findById(someone.id).lean())?.role).to.equal('marketer');
  });

  it('invites with a mailed one-time link (audited), refuses a second account for the address, and mails a new link on request', async () => {
    const admin = await addStaff(t, 'admin', { totp: true });
    const b = await new Browser(t).signIn(admin);
    const email = `uzaicinats-${Date.now()}@impro.lv`;
    const invited = await b.post('/staff', { email: email.toUpperCase(), role: 'marketer', name: 'Jauns Kolēģis' });
    expect(invited.status).to.equal(201);
    expect(invited.body).to.include({ email, role: 'marketer', status: 'invited', linkMailed: true });
    expect(invited.body).not.to.have.property('token');
    const [mail] = await t.waitForMails(1, (m) => m.to.includes(email));
    expect(mail!.parsed.text).to.match(/\/admin\/set-password#?\S*/);
    expect((await b.post('/staff', { email, role: 'dpo' })).status).to.equal(409);
    expect((await b.post('/staff', { email: 'not an address', role: 'dpo' })).status).to.equal(400);
    expect((await b.post('/staff', { email: 'x@impro.lv', role: 'owner' })).status).to.equal(400);

    expect((await b.post(`/staff/${invited.body.id}/password-link`)).body).to.include({ linkMailed: true });
    await t.waitForMails(2, (m) => m.to.includes(email));
    const audit = await t.c.models.auditEntries.find({ target: email }).lean();
    expect(audit.map((a) => a.action).sort()).to.deep.equal(['staff.invite', 'staff.password-link']);
    expect(audit.every((a) => a.actor === admin.email)).to.equal(true);
  });

  it('never leaves no active admin: the last one cannot be demoted or deactivated, by anyone', async () => {
    // Start from exactly one active admin in this database.
    await t.c.models.staff.updateMany({ role: 'admin' }, { $set: { status: 'deactivated' } });
    const last = await addStaff(t, 'admin', { totp: true });
    expect(await activeAdmins()).to.equal(1);

    // A script's Bearer token is not a person: it may not take the last admin away either.
    const demote = await asScript('PATCH', `/staff/${last.id}`, { role: 'marketer' });
    expect(demote.status).to.equal(409);
    expect(demote.body.error.details).to.deep.equal({ reason: 'last_admin' });
    expect((await asScript('POST', `/staff/${last.id}/deactivate`)).body.error.details).to.deep.equal({ reason: 'last_admin' });

    // Nor themselves, in the console.
    const b = await new Browser(t).signIn(last);
    expect((await b.request('PATCH', `/staff/${last.id}`, { body: { role: 'dpo' } })).body.error.details).to.deep.equal({ reason: 'self' });
    expect((await b.post(`/staff/${last.id}/deactivate`)).body.error.details).to.deep.equal({ reason: 'self' });
    expect(await activeAdmins()).to.equal(1);

    // With a second admin, either may go; an invited admin who never set a password does not count.
    const invited = await b.post('/staff', { email: `admin-invited-${Date.now()}@impro.lv`, role: 'admin' });
    expect(invited.status).to.equal(201);
    const second = await addStaff(t, 'admin', { totp: true });
    expect((await b.request('PATCH', `/staff/${second.id}`, { body: { role: 'dpo' } })).status).to.equal(200);
    expect((await asScript('POST', `/staff/${last.id}/deactivate`)).status).to.equal(409);
    expect((await asScript('POST', `/staff/${invited.body.id}/deactivate`)).status).to.equal(200);
    expect(await activeAdmins()).to.equal(1);
    expect(await t.c.models.auditEntries.countDocuments({ action: 'staff.role', target: second.email })).to.equal(1);
  });

  it('two admins demoting each other at the same moment: one change wins, an admin remains', async () => {
    await t.c.models.staff.updateMany({ role: 'admin' }, { $set: { status: 'deactivated' } });
    const [a, b] = [await addStaff(t, 'admin', { totp: true }), await addStaff(t, 'admin', { totp: true })];
    // Bearer tokens in the two admins' names: the same actor check as their sessions, without a TOTP code per round.
    const patch = (actor: string, id: string) =>
      fetch(`${t.baseUrl}/api/v1/admin/staff/${id}`, { method: 'PATCH', headers: bearer(actor), body: JSON.stringify({ role: 'marketer' }) }).then(async (r) => ({ status: r.status, body: await r.json() }));
    let wins = 0;
    for (let round = 0; round < 5; round++) {
      const answers = await Promise.all([patch(a.email, b.id), patch(b.email, a.id)]);
      expect(answers.filter((r) => r.status === 200).length, JSON.stringify(answers.map((r) => r.body))).to.be.at.most(1);
      expect(answers.every((r) => r.status === 200 || r.status === 409)).to.equal(true);
      wins += answers.filter((r) => r.status === 200).length;
      expect(await activeAdmins()).to.equal(answers.some((r) => r.status === 200) ? 1 : 2);
      for (const s of [a, b]) await t.c.models.staff.updateOne({ _id: s.id }, { $set: { role: 'admin' } });
    }
    expect(wins).to.be.greaterThan(0);
  });
});
