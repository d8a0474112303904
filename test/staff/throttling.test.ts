// Guessing passwords: per-account backoff and lockout, per-IP lockout, each lockout audited once;
// no enumeration: an unknown address and a wrong password get the same answer in the same time.
import { expect } from 'chai';
import type { TestContext } from '../helpers/context';
import { addStaff, Browser, MovableClock, staffContext } from './helpers';

const wrong = (email: string) => ({ email, password: 'not the password at all' });

describe('staff sign-in throttling', () => {
  let t: TestContext;
  const clock = new MovableClock();
  before(async () => {
    t = await staffContext({ STAFF_LOGIN_FREE_FAILURES: '2', STAFF_LOCKOUT_THRESHOLD: '5', STAFF_LOCKOUT_DURATION: '15m', STAFF_LOGIN_IP_FAILURES: '1000' }, { clock });
  });
  after(async () => t.close());

  it('makes an account wait longer after each failure past the free ones, then locks it out', async () => {
    const staff = await addStaff(t, 'marketer');
    const b = new Browser(t);
    expect((await b.login(wrong(staff.email))).status).to.equal(401);
    expect((await b.login(wrong(staff.email))).status).to.equal(401);
    expect((await b.login(wrong(staff.email))).status).to.equal(401); // third: 1 s wait from now
    const waiting = await b.login(staff);
    expect(waiting.status).to.equal(429);
    expect(waiting.headers.get('retry-after')).to.equal('1');
    clock.advance(1100);
    expect((await b.login(wrong(staff.email))).status).to.equal(401); // fourth: 2 s
    const longer = await b.login(staff);
    expect(longer.status).to.equal(429);
    expect(longer.headers.get('retry-after')).to.equal('2');
    clock.advance(2100);
    expect((await b.login(wrong(staff.email))).status).to.equal(401); // fifth: locked out
    const locked = await b.login(staff);
    expect(locked.status).to.equal(429);
    expect(Number(locked.headers.get('retry-after'))).to.be.within(890, 900);
    expect(await t.c.models.auditEntries.countDocuments({ action: 'staff.lockout', target: staff.email })).to.equal(1);
    expect(await t.c.models.auditEntries.countDocuments({ action: 'staff.login.failure', target: staff.email })).to.equal(5);
    expect((await t.c.models.staff.findById(staff.id).lean())?.failedAttempts).to.equal(5);
    // Another account from the same address is not held up by this one.
    expect((await new Browser(t).login(await addStaff(t, 'marketer'))).status).to.equal(200);

    clock.advance(15 * 60_000 + 1000);
    expect((await b.login(staff)).body.status).to.equal('signed-in');
    expect((await t.c.models.staff.findById(staff.id).lean())?.failedAttempts).to.equal(0);
  });

  it('counts concurrent failures exactly, and audits one lockout', async () => {
    const staff = await addStaff(t, 'marketer');
    await Promise.all(Array.from({ length: 8 }, () => new Browser(t).login(wrong(staff.email))));
    expect(await t.c.models.auditEntries.countDocuments({ action: 'staff.lockout', target: staff.email })).to.equal(1);
    expect((await new Browser(t).login(staff)).status).to.equal(429);
  });

  it('throttles unknown addresses exactly like known ones', async () => {
    const ghost = `nav-${Date.now()}@impro.lv`;
    const b = new Browser(t);
    for (let i = 0; i < 3; i++) expect((await b.login(wrong(ghost))).status).to.equal(401);
    expect((await b.login(wrong(ghost))).status).to.equal(429);
  });

  it('guards the TOTP step with the same account throttle', async () => {
    clock.advance(30_000);
    const staff = await addStaff(t, 'dpo', { totp: true });
    const b = new Browser(t);
    expect((await b.login(staff)).body.status).to.equal('totp-required');
    for (let i = 0; i < 3; i++) expect((await b.post('/auth/totp', { code: '000000' })).status).to.be.oneOf([401]);
    expect((await b.post('/auth/totp', { code: '000000' })).status).to.equal(429);
  });
});

describe('staff sign-in throttling by IP address', () => {
  let t: TestContext;
  const clock = new MovableClock();
  before(async () => {
    t = await staffContext({ STAFF_LOGIN_IP_FAILURES: '6', STAFF_LOCKOUT_THRESHOLD: '100' }, { clock });
  });
  after(async () => t.close());

  it('slows down, then locks out, an address that tries many accounts; audits the lockout once', async () => {
    const staff = await addStaff(t, 'marketer');
    const b = new Browser(t);
    // Half the allowance is free, then the wait doubles: 1 s, 2 s, then the lockout.
    for (let i = 0; i < 4; i++) expect((await b.login(wrong(`cits-${i}@impro.lv`))).status).to.equal(401);
    const slowed = await b.login(staff);
    expect(slowed.status).to.equal(429);
    expect(slowed.headers.get('retry-after')).to.equal('1');
    clock.advance(1100);
    expect((await b.login(wrong('cits-4@impro.lv'))).status).to.equal(401);
    clock.advance(2100);
    expect((await b.login(wrong('cits-5@impro.lv'))).status).to.equal(401);
    const locked = await b.login(staff);
    expect(locked.status).to.equal(429);
    expect(Number(locked.headers.get('retry-after'))).to.be.greaterThan(800);
    expect(await t.c.models.auditEntries.countDocuments({ action: 'staff.lockout.ip' })).to.equal(1);
  });
});

describe('staff sign-in enumeration', function () {
  this.timeout(120_000);
  let t: TestContext;
  before(async () => {
    // A realistic scrypt cost: the hash must dominate for the comparison to mean anything.
    t = await staffContext({ STAFF_SCRYPT_COST: '15', STAFF_LOGIN_FREE_FAILURES: '1000', STAFF_LOCKOUT_THRESHOLD: '1000', STAFF_LOGIN_IP_FAILURES: '1000' });
  });
  after(async () => t.close());

  it('answers an unknown address and a wrong password alike, in the same time', async () => {
    const staff = await addStaff(t, 'marketer');
    const b = new Browser(t);
    const ghost = `nekad-${Date.now()}@impro.lv`;
    const unknown = await b.login(wrong(ghost));
    const bad = await b.login(wrong(staff.email));
    expect(unknown.status).to.equal(bad.status);
    expect(unknown.body).to.deep.equal(bad.body);
    // Also an invited account with no password yet, and a malformed address.
    const { staff: invited } = await t.c.staff.accounts.invite({ email: `gaida-${Date.now()}@impro.lv`, role: 'marketer' }, { sub: 'cli', role: 'admin' });
    expect((await b.login(wrong(invited.email))).body).to.deep.equal(bad.body);
    expect((await b.login(wrong('nav adrese'))).body).to.deep.equal(bad.body);

    const time = async (email: string) => {
      const start = process.hrtime.bigint();
      await b.login(wrong(email));
      return Number(process.hrtime.bigint() - start) / 1e6;
    };
    const known: number[] = [];
    const unknowns: number[] = [];
    for (let i = 0; i < 3; i++) await time(staff.email); // warm up
    for (let i = 0; i < 15; i++) {
      known.push(await time(staff.email));
      unknowns.push(await time(`${i}-${ghost}`));
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    const ratio = median(unknowns) / median(known);
    expect(ratio, `unknown ${median(unknowns).toFixed(1)} ms vs wrong password ${median(known).toFixed(1)} ms`).to.be.within(0.7, 1.4);
  });
});
