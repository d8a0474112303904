// Password rules and hashing (pure): length, the bundled common-password list, scrypt with its own
// salt and parameters per hash.
import { expect } from 'chai';
import { assertAcceptablePassword, PasswordHasher } from '../../src/domain/staff/passwords';

describe('staff passwords', () => {
  it('refuses short passwords and those among the 10,000 most common', () => {
    expect(() => assertAcceptablePassword('short-pass1')).to.throw(/at least 12/);
    // 12+ characters yet in the list.
    for (const common of ['unbelievable', 'Scandinavian', 'CONTORTIONIST']) {
      expect(() => assertAcceptablePassword(common)).to.throw(/most common/);
    }
    expect(() => assertAcceptablePassword('x'.repeat(300))).to.throw(/at most/);
    expect(() => assertAcceptablePassword('Ceļojums uz Rīgu 2026')).not.to.throw();
  });

  it('hashes with a per-user salt and stored parameters, and verifies', async () => {
    const hasher = new PasswordHasher(14);
    const a = await hasher.hash('zaļā kalna māja');
    const b = await hasher.hash('zaļā kalna māja');
    expect(a.salt).not.to.equal(b.salt);
    expect(a.hash).not.to.equal(b.hash);
    expect(a).to.include({ N: 2 ** 14, r: 8, p: 1, keyLength: 32 });
    expect(await hasher.verify('zaļā kalna māja', a)).to.equal(true);
    expect(await hasher.verify('zaļā kalna mājа', a)).to.equal(false); // Cyrillic а
    // A hash made at another cost still verifies: the parameters travel with it.
    expect(await new PasswordHasher(15).verify('zaļā kalna māja', a)).to.equal(true);
    expect(await hasher.verifyDummy('anything at all')).to.equal(false);
  });
});
