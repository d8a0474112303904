// Development's first account: created on a fresh database, a new link printed at each start until
// its password is set, and nothing done where staff exist already.
import { expect } from 'chai';
import { DEV_ADMIN_EMAIL, devAdminLink } from '../../src/domain/staff/dev-account';
import type { TestContext } from '../helpers/context';
import { Browser, PASSWORD, staffContext } from './helpers';

describe('development admin account', () => {
  let t: TestContext;
  before(async () => {
    t = await staffContext();
  });
  after(async () => t.close());

  it('is invited on a fresh database, re-linked until its password is set, then left alone', async () => {
    const first = await devAdminLink(t.c);
    expect(first?.url).to.match(/\/admin\/set-password#token=/);
    expect(await t.c.models.staff.findOne({ email: DEV_ADMIN_EMAIL }).lean()).to.include({ role: 'admin', status: 'invited' });
    const second = await devAdminLink(t.c);
    expect(second?.token).to.be.a('string').and.not.equal(first!.token);
    expect(await t.c.models.staff.countDocuments()).to.equal(1);
    expect((await new Browser(t).post('/auth/password', { token: second!.token, password: PASSWORD })).body).to.include({ status: 'active', totpRequired: true });
    expect(await devAdminLink(t.c)).to.equal(undefined);
  });

  it('creates nothing where other staff exist already', async () => {
    await t.c.models.staff.deleteMany({});
    await t.c.staff.accounts.invite({ email: 'dpo@impro.lv', role: 'dpo' }, { sub: 'cli', role: 'admin' });
    expect(await devAdminLink(t.c)).to.equal(undefined);
    expect(await t.c.models.staff.exists({ email: DEV_ADMIN_EMAIL })).to.equal(null);
  });
});
