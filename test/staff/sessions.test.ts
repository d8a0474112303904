// Session lifetime and revocation: idle and absolute expiry on the injected clock; sign-out,
// password change, role change, deactivation and TOTP reset end the sessions they should.
import { expect } from 'chai';
import type { TestContext } from '../helpers/context';
import { addStaff, Browser, MovableClock, OPERATOR, PASSWORD, staffContext } from './helpers';

const MINUTE = 60_000;

describe('staff sessions', () => {
  let t: TestContext;
  const clock = new MovableClock();
  before(async () => {
    t = await staffContext({}, { clock });
  });
  after(async () => t.close());

  it('end after 30 idle minutes, and activity keeps them alive', async () => {
    const b = await new Browser(t).signIn(await addStaff(t, 'marketer'));
    clock.advance(29 * MINUTE);
    expect((await b.get('/lists')).status).to.equal(200);
    clock.advance(29 * MINUTE);
    expect((await b.get('/lists')).status).to.equal(200);
    clock.advance(31 * MINUTE);
    expect((await b.get('/lists')).status).to.equal(401);
  });

  it('end after 12 hours whatever the activity', async () => {
    const b = await new Browser(t).signIn(await addStaff(t, 'marketer'));
    // A request every 25 minutes for 11 h 40 min: never idle for long.
    for (let elapsed = 25; elapsed <= 700; elapsed += 25) {
      clock.advance(25 * MINUTE);
      expect((await b.get('/lists')).status, `after ${elapsed} min`).to.equal(200);
    }
    clock.advance(25 * MINUTE); // 12 h 5 min since sign-in, 25 min since the last request
    expect((await b.get('/lists')).status).to.equal(401);
  });

  it('end on sign-out (audited), and the cookie no longer works', async () => {
    const staff = await addStaff(t, 'marketer');
    const b = await new Browser(t).signIn(staff);
    const cookie = b.cookie;
    const out = await b.post('/auth/logout');
    expect(out.status).to.equal(204);
    expect(out.headers.get('set-cookie')).to.match(/ej_session=;/);
    const stale = new Browser(t);
    stale.cookie = cookie;
    expect((await stale.get('/lists')).status).to.equal(401);
    expect(await t.c.models.auditEntries.countDocuments({ actor: staff.email, action: 'staff.logout' })).to.equal(1);
  });

  it('all end when the password changes', async () => {
    const staff = await addStaff(t, 'marketer');
    const [a, b] = [await new Browser(t).signIn(staff), await new Browser(t).signIn(staff)];
    const { link } = await t.c.staff.accounts.reissueLink(staff.id, OPERATOR);
    await t.c.staff.accounts.setPassword(link.token, `${PASSWORD} jauna`);
    expect((await a.get('/lists')).status).to.equal(401);
    expect((await b.get('/lists')).status).to.equal(401);
    expect((await new Browser(t).login(staff)).status).to.equal(401);
  });

  it('all others end when the member changes their own password; this browser carries on', async () => {
    const staff = await addStaff(t, 'marketer');
    const [a, b] = [await new Browser(t).signIn(staff), await new Browser(t).signIn(staff)];
    const wrong = await a.post('/auth/password/change', { currentPassword: 'not it at all', newPassword: `${PASSWORD} 2` });
    expect(wrong.status).to.equal(401);
    expect((await a.post('/auth/password/change', { currentPassword: PASSWORD, newPassword: 'unbelievable' })).status).to.equal(400);
    const oldCookie = a.cookie;
    const changed = await a.post('/auth/password/change', { currentPassword: PASSWORD, newPassword: `${PASSWORD} 2` });
    expect(changed.body.status).to.equal('signed-in');
    expect(a.cookie).not.to.equal(oldCookie);
    expect((await a.get('/lists')).status).to.equal(200);
    expect((await b.get('/lists')).status).to.equal(401);
    expect((await new Browser(t).login({ email: staff.email, password: `${PASSWORD} 2` })).body.status).to.equal('signed-in');
    expect(await t.c.models.auditEntries.findOne({ action: 'staff.password.change', target: staff.email }).lean()).to.deep.include({ details: { sessionsEnded: 2 } });
  });

  it('all end when an admin changes the role, deactivates, or resets TOTP; each audited', async () => {
    const bearer = { authorization: `Bearer ${t.token('admin', 'boss@impro.lv')}`, 'content-type': 'application/json' };
    const call = (method: string, path: string, body?: unknown) =>
      fetch(`${t.baseUrl}/api/v1/admin${path}`, { method, headers: bearer, body: body === undefined ? undefined : JSON.stringify(body) });

    const staff = await addStaff(t, 'marketer');
    let b = await new Browser(t).signIn(staff);
    expect((await call('PATCH', `/staff/${staff.id}`, { role: 'dpo' })).status).to.equal(200);
    expect((await b.get('/lists')).status).to.equal(401);
    expect(await t.c.models.auditEntries.findOne({ action: 'staff.role', target: staff.email }).lean()).to.deep.include({ actor: 'boss@impro.lv', details: { from: 'marketer', to: 'dpo', sessionsEnded: 1 } });

    // Back to marketer, sign in again, then a TOTP reset ends the session too.
    await call('PATCH', `/staff/${staff.id}`, { role: 'marketer' });
    b = await new Browser(t).signIn(staff);
    expect((await call('POST', `/staff/${staff.id}/totp/reset`)).status).to.equal(200);
    expect((await b.get('/lists')).status).to.equal(401);

    b = await new Browser(t).signIn(staff);
    const off = await call('POST', `/staff/${staff.id}/deactivate`);
    expect(((await off.json()) as { status: string }).status).to.equal('deactivated');
    expect((await b.get('/lists')).status).to.equal(401);
    const again = await new Browser(t).login(staff);
    expect(again.status).to.equal(401);
    expect(again.body.error.message).to.equal('wrong email or password');
    expect(await t.c.models.auditEntries.countDocuments({ action: { $in: ['staff.deactivate', 'staff.totp.reset'] }, target: staff.email })).to.equal(2);
  });
});
