// The admin access matrix: only a valid token with the right role reaches personal data.
import { expect } from 'chai';
import jwt from 'jsonwebtoken';
import { createTestContext, type TestContext } from '../helpers/context';

describe('admin API access control', () => {
  let t: TestContext;
  before(async () => {
    t = await createTestContext();
  });
  after(async () => t.close());

  const audit = (authorization?: string) =>
    fetch(`${t.baseUrl}/api/v1/admin/audit`, { headers: authorization ? { authorization } : {} });
  const sign = (claims: object, opts: jwt.SignOptions = {}, secret = t.config.adminJwt.secret) =>
    jwt.sign({ role: 'dpo', ...claims }, secret, {
      algorithm: 'HS256',
      issuer: t.config.adminJwt.issuer,
      audience: t.config.adminJwt.audience,
      subject: 'dpo@impro.lv',
      expiresIn: '1h',
      ...opts,
    });

  it('accepts a valid dpo token', async () => {
    const res = await audit(`Bearer ${t.token('dpo')}`);
    expect(res.status).to.equal(200);
    expect(await res.json()).to.have.property('items');
  });

  const unauthenticated: Array<[string, () => string | undefined]> = [
    ['no header', () => undefined],
    ['a non-bearer scheme', () => `Basic ${Buffer.from('a:b').toString('base64')}`],
    ['garbage', () => 'Bearer not.a.jwt'],
    ['an expired token', () => `Bearer ${sign({}, { expiresIn: -10 })}`],
    ['a token without exp', () => `Bearer ${jwt.sign({ role: 'dpo', sub: 'x', iss: t.config.adminJwt.issuer, aud: t.config.adminJwt.audience }, t.config.adminJwt.secret)}`],
    ['a tampered payload', () => {
      const [h, , s] = sign({}).split('.');
      const payload = Buffer.from(JSON.stringify({ role: 'admin', sub: 'x', iss: t.config.adminJwt.issuer, aud: t.config.adminJwt.audience, exp: 9e9 })).toString('base64url');
      return `Bearer ${h}.${payload}.${s}`;
    }],
    ['alg none', () => {
      const header = Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url');
      const payload = Buffer.from(JSON.stringify({ role: 'admin', sub: 'x', iss: t.config.adminJwt.issuer, aud: t.config.adminJwt.audience, exp: 9e9 })).toString('base64url');
      return `Bearer ${header}.${payload}.`;
    }],
    ['a wrong key', () => `Bearer ${sign({}, {}, 'another-secret-another-secret-another')}`],
    ['a wrong audience', () => `Bearer ${sign({}, { audience: 'someone-else' })}`],
    ['a wrong issuer', () => `Bearer ${sign({}, { issuer: 'someone-else' })}`],
    ['an unknown role', () => `Bearer ${sign({ role: 'root' })}`],
    ['HS512 instead of the pinned HS256', () => `Bearer ${sign({}, { algorithm: 'HS512' })}`],
  ];
  for (const [what, header] of unauthenticated) {
    it(`answers 401 to ${what}`, async () => {
      const res = await audit(header());
      expect(res.status).to.equal(401);
      expect(((await res.json()) as { error: { code: string } }).error.code).to.equal('unauthenticated');
    });
  }

  it('answers 403 to the wrong role and 200 to admin', async () => {
    expect((await audit(`Bearer ${t.token('marketer')}`)).status).to.equal(403);
    expect((await audit(`Bearer ${t.token('admin')}`)).status).to.equal(200);
  });

  it('records who read the audit trail, with role and IP', async () => {
    await audit(`Bearer ${t.token('dpo', 'liga@impro.lv')}`);
    const entry = await t.c.models.auditEntries.findOne({ actor: 'liga@impro.lv' }).lean();
    expect(entry).to.include({ role: 'dpo', action: 'audit.read' });
    expect(entry?.ip).to.be.a('string');
    expect(entry?.at).to.be.instanceOf(Date);
    const res = await audit(`Bearer ${t.token('admin')}`);
    const body = (await res.json()) as { items: Array<{ actor: string; action: string }> };
    expect(body.items.some((i) => i.actor === 'liga@impro.lv' && i.action === 'audit.read')).to.equal(true);
  });

  it('answers 400, not 500, to a broken JSON body and 413 to an oversized one', async () => {
    const headers = { authorization: `Bearer ${t.token('admin')}`, 'content-type': 'application/json' };
    const broken = await fetch(`${t.baseUrl}/api/v1/admin/audit`, { method: 'POST', headers, body: '{"a":' });
    expect(broken.status).to.equal(400);
    const huge = await fetch(`${t.baseUrl}/api/v1/admin/audit`, { method: 'POST', headers, body: JSON.stringify({ a: 'x'.repeat(3 * 1024 * 1024) }) });
    expect(huge.status).to.equal(413);
  });
});
