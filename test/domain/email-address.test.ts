import { expect } from 'chai';
import { emailKey, hashEmail, InvalidEmailError, normalizeEmail } from '../../src/domain/email-address';

describe('email addresses', () => {
  const valid: Array<[string, string]> = [
    ['  anna@impro.lv ', 'anna@impro.lv'],
    ['Anna.Berzina@IMPRO.LV', 'Anna.Berzina@impro.lv'],
    ['jānis@ceļojumi.lv'.replace('jānis', 'janis'), 'janis@xn--ceojumi-bib.lv'],
    ['user+tag@sub.example.co.uk', 'user+tag@sub.example.co.uk'],
    ["o'brien@example.ie", "o'brien@example.ie"],
    ['trailing@dot.lv.', 'trailing@dot.lv'],
  ];
  for (const [input, expected] of valid) {
    it(`normalises ${JSON.stringify(input)}`, () => {
      expect(normalizeEmail(input)).to.equal(expected);
    });
  }

  const invalid: Array<[string, unknown]> = [
    ['not a string', { $gt: '' }],
    ['an array', ['a@b.lv']],
    ['empty', '   '],
    ['no @', 'anna.impro.lv'],
    ['two @', 'anna@impro@lv.lv'],
    ['nothing before @', '@impro.lv'],
    ['no dot in the domain', 'anna@localhost'],
    ['a space inside', 'an na@impro.lv'],
    ['a control character', 'anna\u0000@impro.lv'],
    ['a CR/LF header injection', 'anna@impro.lv\r\nBcc: x@y.lv'],
    ['a local part over 64 octets', `${'a'.repeat(65)}@impro.lv`],
    ['an address over 254 characters', `a@${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(63)}.${'e'.repeat(63)}.lv`],
    ['a label starting with a hyphen', 'anna@-impro.lv'],
    ['a numeric top-level domain', 'anna@10.0.0.1'],
    ['consecutive dots', 'an..na@impro.lv'],
    ['a domain literal', 'anna@[127.0.0.1]'],
  ];
  for (const [what, input] of invalid) {
    it(`rejects ${what}`, () => {
      expect(() => normalizeEmail(input)).to.throw(InvalidEmailError);
    });
  }

  it('compares case-insensitively and hashes with the key', () => {
    const a = normalizeEmail('Anna@Impro.lv');
    const b = normalizeEmail('anna@IMPRO.LV');
    expect(emailKey(a)).to.equal(emailKey(b));
    expect(hashEmail(a, 'k'.repeat(32))).to.equal(hashEmail(b, 'k'.repeat(32)));
    expect(hashEmail(a, 'k'.repeat(32))).to.not.equal(hashEmail(a, 'j'.repeat(32)));
    expect(hashEmail(a, 'k'.repeat(32))).to.match(/^[0-9a-f]{64}$/);
  });
});
