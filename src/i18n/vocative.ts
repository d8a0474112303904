// The vocative of a first name for a Latvian greeting ("Labdien, Jāni!"). Latvian masculine names
// end in -s, -š, -is or -us; their vocative drops -s/-š (Edgars → Edgar, Mārtiņš → Mārtiņ, Matīss
// → Matīs) and -is/-us lose the s (Jānis → Jāni, Mikus → Miku). Feminine names (-a, -e) are
// unchanged, and so are names that are not Latvian, told apart by spelling:
// - only for a subscriber whose language is Latvian;
// - only letters of the Latvian alphabet (no q, w, x, y, no Cyrillic), and none of the foreign
//   digraphs th, ch, ph, sh, ck (Thomas, Chris);
// - not -as, -es, -os (James, Thomas, Andreas, Jonas: no Latvian masculine ending);
// - not a foreign name that happens to look Latvian in spelling (Boris, Hans, Marcus…): Latvian
//   writes these Boriss, Hanss, Markuss, so the short list below only holds their foreign spelling.
// Anything else is left as written: a name unchanged reads better than a wrong form.
export type VocativeLocale = 'lv' | 'en';

const LATVIAN_WORD = /^[a-pr-vzāčēģīķļņšūž]+$/i;
const FOREIGN_DIGRAPH = /th|ch|ph|sh|ck/i;
const NOT_LATVIAN_MASCULINE = /[aeo]s$/i;

// Foreign given names spelt like Latvian masculine ones (lower case).
const FOREIGN_NAMES = new Set([
  'boris', 'denis', 'hans', 'marcus', 'markus', 'klaus', 'louis', 'luis', 'francis', 'dennis', 'lewis', 'travis',
  'curtis', 'ellis', 'morris', 'harris', 'otis', 'iris', 'doris', 'julius', 'linus', 'magnus', 'rufus', 'lars',
  'jens', 'niels', 'mats', 'max', 'felix', 'justus', 'cornelius', 'marius', 'darius',
]);

/** The first name in the vocative, or the first name as written when no Latvian rule applies. */
export function vocative(name: string, locale: VocativeLocale): string {
  const first = name.trim().split(/\s+/)[0] ?? '';
  if (locale !== 'lv' || first.length < 3) return first;
  if (!LATVIAN_WORD.test(first) || FOREIGN_DIGRAPH.test(first) || NOT_LATVIAN_MASCULINE.test(first)) return first;
  if (FOREIGN_NAMES.has(first.toLowerCase())) return first;
  if (/[iu]s$/i.test(first)) return first.slice(0, -1);
  if (/[sš]$/i.test(first)) return first.slice(0, -1);
  return first;
}
