// The vocative of Latvian first names, and names it must leave alone.
import { expect } from 'chai';
import { vocative } from '../../src/i18n/vocative';

describe('vocative of a first name', () => {
  const latvian: Array<[string, string]> = [
    ['Jānis', 'Jāni'], ['Andris', 'Andri'], ['Pēteris', 'Pēteri'], ['Edgars', 'Edgar'], ['Ojārs', 'Ojār'],
    ['Mikus', 'Miku'], ['Krišjānis', 'Krišjāni'], ['Matīss', 'Matīs'], ['Kaspars', 'Kaspar'], ['Juris', 'Juri'],
    ['Mārtiņš', 'Mārtiņ'], ['Kārlis', 'Kārli'], ['Roberts', 'Robert'], ['Aleksandrs', 'Aleksandr'], ['Kristaps', 'Kristap'],
    ['Ingus', 'Ingu'], ['Valdis', 'Valdi'], ['Raimonds', 'Raimond'], ['Artūrs', 'Artūr'], ['Andrejs', 'Andrej'],
    ['Guntis', 'Gunti'], ['Uldis', 'Uldi'], ['Aivars', 'Aivar'], ['Dāvis', 'Dāvi'], ['Ēriks', 'Ērik'], ['Boriss', 'Boris'],
  ];
  for (const [name, expected] of latvian) {
    it(`${name} → ${expected}`, () => expect(vocative(name, 'lv')).to.equal(expected));
  }

  const unchanged = ['Inese', 'Anna', 'Līga', 'Ilze', 'Dace', 'Kristīne', 'Zane', 'Laura', 'Rūta', 'Baiba',
    'James', 'Thomas', 'Chris', 'Boris', 'Hans', 'Marcus', 'Юрий', 'Андрей', 'Jonas', 'Andreas', 'Lukas', 'Max', 'Wojciech', 'Łukasz', 'Iris'];
  for (const name of unchanged) {
    it(`${name} stays ${name}`, () => expect(vocative(name, 'lv')).to.equal(name));
  }

  it('uses the first name only, and leaves names alone for an English-speaking subscriber', () => {
    expect(vocative('  Jānis Bērziņš ', 'lv')).to.equal('Jāni');
    expect(vocative('Jānis', 'en')).to.equal('Jānis');
    expect(vocative('', 'lv')).to.equal('');
  });
});
