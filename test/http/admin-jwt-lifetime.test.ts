// Admin tokens cannot live longer than ADMIN_JWT_MAX_TTL, however they were signed.
import { expect } from 'chai';
import jwt from 'jsonwebtoken';
import { loadConfig } from '../../src/config';
import { issueAdminToken, verifyAdminToken } from '../../src/domain/staff/admin-token';

describe('admin token lifetime', () => {
  const settings = loadConfig({ NODE_ENV: 'test' }).adminJwt;
  const sign = (claims: object) =>
    jwt.sign({ role: 'admin', sub: 'dpo@impro.lv', iss: settings.issuer, aud: settings.audience, ...claims }, settings.secret, { algorithm: 'HS256' });
  const now = Math.floor(Date.now() / 1000);

  it('defaults to a 12 h maximum', () => {
    expect(settings.maxTtlMs).to.equal(12 * 3_600_000);
    expect(loadConfig({ NODE_ENV: 'test', ADMIN_JWT_MAX_TTL: '30m' }).adminJwt.maxTtlMs).to.equal(1_800_000);
  });

  it('refuses an exp of 1e20, an exp beyond the maximum with or without iat, and an iat in the future', () => {
    for (const claims of [{ exp: 1e20 }, { exp: 1e20, iat: now }, { exp: now + 13 * 3600 }, { iat: now - 60, exp: now - 60 + 12 * 3600 + 120 }, { iat: now + 3600, exp: now + 3700 }]) {
      expect(() => verifyAdminToken(settings, sign(claims)), JSON.stringify(claims)).to.throw(/ADMIN_JWT_MAX_TTL|future/);
    }
  });

  it('accepts tokens within the maximum', () => {
    expect(verifyAdminToken(settings, sign({ iat: now, exp: now + 12 * 3600 })).role).to.equal('admin');
    expect(verifyAdminToken(settings, issueAdminToken(settings, { sub: 'dpo@impro.lv', role: 'dpo' }, '8h')).role).to.equal('dpo');
  });

  it('issues no token beyond the maximum (admin-token --ttl)', () => {
    expect(() => issueAdminToken(settings, { sub: 'dpo@impro.lv', role: 'dpo' }, '13h')).to.throw(/ADMIN_JWT_MAX_TTL/);
    expect(() => issueAdminToken(settings, { sub: 'dpo@impro.lv', role: 'dpo' }, '7d')).to.throw(/ADMIN_JWT_MAX_TTL/);
  });
});
