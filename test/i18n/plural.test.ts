// Number agreement of counted nouns.
import { expect } from 'chai';
import { days } from '../../src/i18n/plural';

describe('plural forms', () => {
  const latvian: Array<[number, string]> = [
    [0, '0 dienu'], [1, '1 diena'], [2, '2 dienas'], [7, '7 dienas'], [10, '10 dienas'], [11, '11 dienas'],
    [19, '19 dienas'], [21, '21 diena'], [30, '30 dienas'], [31, '31 diena'], [101, '101 diena'], [111, '111 dienas'],
  ];
  for (const [n, expected] of latvian) it(`lv ${n} → ${expected}`, () => expect(days(n, 'lv')).to.equal(expected));

  it('English: one day, other days', () => {
    expect([0, 1, 2, 21].map((n) => days(n, 'en'))).to.deep.equal(['0 days', '1 day', '2 days', '21 days']);
  });
});
