import { createHmac, randomBytes } from 'node:crypto';
import { expect } from 'chai';
import { ExpiredTokenError, InvalidTokenError, LinkTokenSigner, type LinkClaims, type SigningKey } from '../../src/domain/link-token';

const key = (id: string): SigningKey => ({ id, secret: randomBytes(32) });
const SUBSCRIBER = '65f0c0ffee0000000000abcd';
const CAMPAIGN = '65f0c0ffee00000000001234';

describe('link tokens', () => {
  const k1 = key('k1');
  const k2 = key('k2');
  const signer = new LinkTokenSigner([k1]);

  it('round-trips subscriber, list and campaign, bound to a purpose', () => {
    const claims: LinkClaims = { purpose: 'unsubscribe', subject: SUBSCRIBER, list: 'e-jaunumi', campaign: CAMPAIGN };
    expect(signer.verify(signer.sign(claims), 'unsubscribe')).to.deep.equal(claims);
    expect(signer.verify(signer.sign({ purpose: 'unsubscribe', subject: SUBSCRIBER }), 'unsubscribe')).to.deep.equal({ purpose: 'unsubscribe', subject: SUBSCRIBER });
  });

  it('round-trips the subscription a newsletter link ends, and stays under 200 characters with it', () => {
    const claims: LinkClaims = { purpose: 'unsubscribe', subject: SUBSCRIBER, list: 'celojumi-pec-pieprasijuma-un-citi-piedavajumi', campaign: CAMPAIGN, subscription: '65f0c0ffee0000000000beef' };
    const token = signer.sign(claims);
    expect(signer.verify(token, 'unsubscribe')).to.deep.equal(claims);
    expect(token.length).to.be.below(200);
  });

  it('stays under 200 characters, URL-safe, with a long list name and a campaign', () => {
    const token = signer.sign({ purpose: 'unsubscribe', subject: SUBSCRIBER, list: 'celojumi-pec-pieprasijuma-un-citi-piedavajumi', campaign: CAMPAIGN });
    expect(token.length).to.be.below(200);
    expect(token).to.match(/^[A-Za-z0-9_.-]+$/);
    expect(encodeURIComponent(token)).to.equal(token);
  });

  it('carries no readable address and no readable claims', () => {
    const token = signer.sign({ purpose: 'unsubscribe', subject: SUBSCRIBER, list: 'e-jaunumi', campaign: CAMPAIGN });
    expect(token).not.to.contain('@');
    expect(token).not.to.contain(SUBSCRIBER);
    // No JSON inside: decoding the payload shows bytes, not a {"sub": ...} object.
    expect(Buffer.from(token.split('.')[1]!, 'base64url').toString('latin1')).not.to.match(/[{"]/);
  });

  it('unsubscribe links never expire; confirm links do', () => {
    let now = Date.parse('2026-01-01T00:00:00Z');
    const timed = new LinkTokenSigner([k1], () => now);
    const unsubscribe = timed.sign({ purpose: 'unsubscribe', subject: SUBSCRIBER });
    const confirm = timed.sign({ purpose: 'confirm', subject: SUBSCRIBER, exp: now / 1000 + 3600 });
    now += 20 * 365 * 86_400_000;
    expect(timed.verify(unsubscribe, 'unsubscribe').subject).to.equal(SUBSCRIBER);
    expect(() => timed.verify(confirm, 'confirm')).to.throw(ExpiredTokenError);
  });

  describe('key rotation', () => {
    const before = new LinkTokenSigner([k1]);
    const rotated = new LinkTokenSigner([k2, k1]);
    const retired = new LinkTokenSigner([k2]);

    it('verifies a link signed before a new key was added in front, and signs with the new key', () => {
      const old = before.sign({ purpose: 'unsubscribe', subject: SUBSCRIBER });
      expect(rotated.verify(old, 'unsubscribe').subject).to.equal(SUBSCRIBER);
      expect(rotated.sign({ purpose: 'unsubscribe', subject: SUBSCRIBER }).startsWith('k2.')).to.equal(true);
    });

    it('refuses a link whose key was removed from the ring', () => {
      const old = before.sign({ purpose: 'unsubscribe', subject: SUBSCRIBER });
      expect(() => retired.verify(old, 'unsubscribe')).to.throw(InvalidTokenError, /unknown signing key/);
    });
  });

  describe('refuses', () => {
    const genuine = signer.sign({ purpose: 'unsubscribe', subject: SUBSCRIBER, list: 'e-jaunumi' });
    const [kid, payload, mac] = genuine.split('.') as [string, string, string];
    const hmac = (data: string) => createHmac('sha256', k1.secret).update(data).digest().subarray(0, 16).toString('base64url');
    // A payload the real key signed but that does not parse: trailing bytes, unknown version.
    const signedGarbage = (bytes: Buffer) => {
      const p = bytes.toString('base64url');
      return `${kid}.${p}.${hmac(`${kid}.${p}`)}`;
    };
    const raw = Buffer.from(payload, 'base64url');
    // Same decoded bytes, different text: a 16-byte MAC leaves 4 unused bits in its last character.
    const B64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const spareBits = B64URL[B64URL.indexOf(mac[mac.length - 1]!) ^ 1]!;

    const cases: Array<[string, unknown, RegExp]> = [
      ['a non-string', 42, /malformed/],
      ['an empty string', '', /malformed/],
      ['two parts', `${kid}.${payload}`, /malformed/],
      ['four parts', `${genuine}.x`, /malformed/],
      ['more than 400 characters', `${kid}.${'A'.repeat(400)}.${mac}`, /malformed/],
      ['an unknown key id', `k9.${payload}.${mac}`, /unknown signing key/],
      ['a foreign key under a known id', new LinkTokenSigner([{ id: 'k1', secret: randomBytes(32) }]).sign({ purpose: 'unsubscribe', subject: SUBSCRIBER }), /bad signature/],
      ['a truncated signature', genuine.slice(0, -1), /bad signature/],
      ['a missing signature', `${kid}.${payload}.`, /bad signature/],
      ['a tampered payload', `${kid}.${payload.slice(0, -2)}AA.${mac}`, /bad signature/],
      ['a signature spelled differently with the same bytes', `${kid}.${payload}.${mac.slice(0, -1)}${spareBits}`, /bad signature/],
      ['a signature with an extra character', `${genuine}A`, /bad signature/],
      ['signed trailing bytes', signedGarbage(Buffer.concat([raw, Buffer.from([0])])), /malformed/],
      ['a signed unknown version', signedGarbage(Buffer.concat([Buffer.from([9]), raw.subarray(1)])), /malformed/],
      ['a signed payload cut short', signedGarbage(raw.subarray(0, 10)), /malformed/],
      ['a confirm link used to unsubscribe', signer.sign({ purpose: 'confirm', subject: SUBSCRIBER }), /wrong purpose/],
      ['a verify link used to unsubscribe', signer.sign({ purpose: 'verify', subject: SUBSCRIBER }), /wrong purpose/],
    ];
    for (const [what, token, reason] of cases) {
      it(what, () => {
        expect(() => signer.verify(token, 'unsubscribe')).to.throw(InvalidTokenError, reason);
      });
    }
    it('(the table above uses a genuine token that does verify)', () => {
      expect(signer.verify(genuine, 'unsubscribe').list).to.equal('e-jaunumi');
      expect(Buffer.from(`${mac.slice(0, -1)}${spareBits}`, 'base64url')).to.deep.equal(Buffer.from(mac, 'base64url'));
    });
  });
});
