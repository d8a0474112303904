// Console sign-in end to end over HTTP: password, TOTP and its enrolment, the cookie's attributes,
// CSRF and Origin on cookie requests, Bearer beside it, one-time password links.
import { expect } from 'chai';
import { openTotpSecret, totpSealingKey } from '../../src/domain/staff/totp-secrets';
import type { TestContext } from '../helpers/context';
import { addStaff, Browser, MovableClock, OPERATOR, PASSWORD, staffContext, totpCode } from './helpers';

describe('staff sign-in', () => {
  let t: TestContext;
  const clock = new MovableClock();
  before(async () => {
    t = await staffContext({}, { clock });
  });
  after(async () => t.close());

  it('signs a marketer in with a password alone; the cookie is httpOnly, SameSite=Strict, path /', async () => {
    const staff = await addStaff(t, 'marketer');
    const b = new Browser(t);
    const res = await b.login(staff);
    expect(res.status).to.equal(200);
    expect(res.body.status).to.equal('signed-in');
    expect(res.body.me).to.include({ email: staff.email, role: 'marketer', via: 'session' });
    const cookie = res.headers.get('set-cookie')!;
    expect(cookie).to.match(/^ej_session=[A-Za-z0-9_-]{43};/);
    expect(cookie).to.match(/HttpOnly/i).and.match(/SameSite=Strict/i).and.match(/Path=\//);
    expect(cookie).not.to.match(/Secure/i); // http here; see the https case below
    const me = await b.get('/auth/me');
    expect(me.body).to.include({ email: staff.email, name: 'Test marketer', role: 'marketer' });
    expect(me.body.csrfToken).to.equal(b.csrfToken);
    expect((await b.get('/lists')).status).to.equal(200);
    expect((await b.get('/audit')).status).to.equal(403);
    const audit = await t.c.models.auditEntries.findOne({ actor: staff.email, action: 'staff.login' }).lean();
    expect(audit).to.include({ role: 'marketer' });
    // Signing in again in the same browser ends the session it had.
    const earlier = new Browser(t);
    earlier.cookie = b.cookie;
    expect((await b.login(staff)).body.status).to.equal('signed-in');
    expect((await earlier.get('/lists')).status).to.equal(401);
    expect((await b.get('/lists')).status).to.equal(200);
  });

  it('makes a dpo enrol TOTP first: nothing is reachable until a code from the QR secret confirms it', async () => {
    const staff = await addStaff(t, 'dpo');
    const b = new Browser(t);
    const first = await b.login(staff);
    expect(first.body).to.have.property('status', 'totp-enrolment-required');
    const pendingCookie = b.cookie;
    expect((await b.get('/audit')).status).to.equal(401);
    expect((await b.get('/auth/me')).status).to.equal(401);
    const enrol = await b.post('/auth/totp/enrol');
    expect(enrol.status).to.equal(200);
    expect(enrol.body.secret).to.match(/^[A-Z2-7]{32}$/);
    expect(enrol.body.otpauthUri).to.match(/^otpauth:\/\/totp\/e-Jaunumi:/);
    expect(enrol.body.qrCode).to.match(/^data:image\/svg\+xml;base64,/);
    expect(Buffer.from(enrol.body.qrCode.split(',')[1], 'base64').toString()).to.contain('<svg');
    expect((await b.post('/auth/totp/enrol/confirm', { code: '000000' })).status).to.equal(401);
    const done = await b.post('/auth/totp/enrol/confirm', { code: totpCode(enrol.body.secret, clock.now()) });
    expect(done.body.status).to.equal('signed-in');
    expect(b.cookie).not.to.equal(pendingCookie); // a fresh id once fully signed in
    expect((await b.get('/audit')).status).to.equal(200);
    // Stored sealed: the database alone does not give the second factor away.
    const stored = (await t.c.models.staff.findById(staff.id).lean())!.totpSecret!;
    expect(stored).not.to.contain(enrol.body.secret);
    expect(openTotpSecret(stored, totpSealingKey(t.config.emailHashKey))).to.equal(enrol.body.secret);
    expect(openTotpSecret(stored, totpSealingKey('another-key-another-key-another-key'))).to.equal(undefined);
    // The pending id is gone.
    const old = new Browser(t);
    old.cookie = pendingCookie;
    expect((await old.get('/auth/me')).status).to.equal(401);
  });

  it('asks an enrolled account for its code, refuses a wrong one and a replayed one', async () => {
    const staff = await addStaff(t, 'admin', { totp: true });
    const b = new Browser(t);
    expect((await b.login(staff)).body).to.have.property('status', 'totp-required');
    expect((await b.get('/staff')).status).to.equal(401);
    const wrong = await b.post('/auth/totp', { code: String((Number(totpCode(staff.totpSecret!, clock.now())) + 1) % 1e6).padStart(6, '0') });
    expect(wrong.status).to.equal(401);
    const code = totpCode(staff.totpSecret!, clock.now());
    expect((await b.post('/auth/totp', { code })).body).to.have.property('status', 'signed-in');
    expect((await b.get('/staff')).status).to.equal(200);
    const again = new Browser(t);
    expect((await again.login(staff)).body).to.have.property('status', 'totp-required');
    const replay = await again.post('/auth/totp', { code });
    expect(replay.status).to.equal(401);
    expect(replay.body.error.message).to.match(/already used/);
  });

  it('lets a marketer enrol TOTP by choice, and asks for it from then on', async () => {
    const staff = await addStaff(t, 'marketer');
    const b = await new Browser(t).signIn(staff);
    const enrol = await b.post('/auth/totp/enrol');
    expect((await b.post('/auth/totp/enrol/confirm', { code: totpCode(enrol.body.secret, clock.now()) })).body.status).to.equal('signed-in');
    expect((await new Browser(t).login(staff)).body.status).to.equal('totp-required');
  });

  describe('cookie requests', () => {
    let b: Browser;
    before(async () => {
      b = await new Browser(t).signIn(await addStaff(t, 'marketer'));
    });
    const list = () => ({ slug: `l-${Math.random().toString(36).slice(2, 8)}`, name: { lv: 'Saraksts', en: 'List' } });

    it('need the CSRF token on state-changing requests', async () => {
      const missing = await b.post('/lists', list(), { csrf: null });
      expect(missing.status).to.equal(403);
      expect(missing.body.error.details).to.deep.equal({ reason: 'csrf' });
      expect((await b.post('/lists', list(), { csrf: 'x'.repeat(43) })).status).to.equal(403);
      expect((await b.post('/lists', list())).status).to.equal(201);
      // Reading needs none.
      expect((await b.get('/lists', { csrf: null })).status).to.equal(200);
    });

    it('refuse a foreign Origin, and a request with neither Origin nor a Referer of ours', async () => {
      const foreign = await b.post('/lists', list(), { origin: 'https://evil.example' });
      expect(foreign.status).to.equal(403);
      expect(foreign.body.error.details).to.deep.equal({ reason: 'origin' });
      expect((await b.post('/lists', list(), { origin: null })).status).to.equal(403);
      expect((await b.post('/lists', list(), { origin: null, referer: 'https://evil.example/admin' })).status).to.equal(403);
      expect((await b.post('/lists', list(), { origin: null, referer: `${t.config.publicBaseUrl}/admin/lists` })).status).to.equal(201);
      // Login from another site is refused too (login CSRF).
      expect((await new Browser(t).post('/auth/login', { email: 'a@impro.lv', password: PASSWORD }, { origin: 'https://evil.example' })).status).to.equal(403);
    });

    it('leave Bearer scripts as they were: no cookie, no CSRF token, no Origin', async () => {
      const res = await fetch(`${t.baseUrl}/api/v1/admin/lists`, {
        method: 'POST',
        headers: { authorization: `Bearer ${t.token('marketer')}`, 'content-type': 'application/json' },
        body: JSON.stringify(list()),
      });
      expect(res.status).to.equal(201);
      const me = await fetch(`${t.baseUrl}/api/v1/admin/auth/me`, { headers: { authorization: `Bearer ${t.token('dpo', 'skripts@impro.lv')}` } });
      expect(await me.json()).to.include({ email: 'skripts@impro.lv', role: 'dpo', csrfToken: null, via: 'bearer' });
    });
  });

  describe('one-time password links', () => {
    it('set the password once, within 24 h, refusing common and short passwords', async () => {
      const { staff, link } = await t.c.staff.accounts.invite({ email: `jauns-${Date.now()}@impro.lv`, role: 'marketer' }, OPERATOR);
      expect(link.url).to.match(new RegExp(`^${t.config.publicBaseUrl}/admin/set-password#token=`));
      const mail = (await t.waitForMails(1, (m) => m.to.includes(staff.email)))[0]!;
      expect(mail.parsed.text).to.contain(link.url);
      const b = new Browser(t);
      // Invited, no password yet: the same answer as a wrong password.
      expect((await b.login({ email: staff.email, password: PASSWORD })).status).to.equal(401);
      const common = await b.post('/auth/password', { token: link.token, password: 'unbelievable' });
      expect(common.status).to.equal(400);
      expect(common.body.error.message).to.match(/10,000 most common/);
      expect((await b.post('/auth/password', { token: link.token, password: 'īss' })).status).to.equal(400);
      const set = await b.post('/auth/password', { token: link.token, password: PASSWORD });
      expect(set.status).to.equal(200);
      expect(set.body).to.include({ email: staff.email, status: 'active', totpRequired: false });
      expect((await b.post('/auth/password', { token: link.token, password: `${PASSWORD}!` })).status).to.equal(410);
      expect((await b.login({ email: staff.email, password: PASSWORD })).body.status).to.equal('signed-in');

      const late = await t.c.staff.accounts.reissueLink(staff.id, OPERATOR);
      clock.advance(24 * 3600_000 + 60_000);
      expect((await new Browser(t).post('/auth/password', { token: late.link.token, password: `${PASSWORD}!` })).status).to.equal(410);
      expect((await new Browser(t).post('/auth/password', { token: 'k1.bm90LWEtdG9rZW4.xxxx', password: `${PASSWORD}!` })).status).to.equal(400);
    });
  });
});

describe('staff sign-in over https', () => {
  let t: TestContext;
  before(async () => {
    t = await staffContext({ PUBLIC_BASE_URL: 'https://e-jaunumi.impro.lv' });
  });
  after(async () => t.close());

  it('marks the cookie Secure and binds it to the host', async () => {
    const staff = await addStaff(t, 'marketer');
    const res = await new Browser(t).login(staff);
    const cookie = res.headers.get('set-cookie')!;
    expect(cookie).to.match(/^__Host-ej_session=/).and.match(/; Secure/).and.match(/SameSite=Strict/i);
  });
});
