// Counted nouns in Latvian and English. Latvian agrees with the last digit: 1, 21, 101 take the
// singular ("21 diena"), other numbers the plural ("7 dienas", "10 dienas", "11 dienas"); zero alone
// takes the genitive plural ("0 dienu"). Intl.PluralRules('lv') tells "one" from the rest; its
// "zero" category (0, 10–20, 30…) is wider than the genitive's use, so only 0 itself picks `zero`.
export type PluralLocale = 'lv' | 'en';

export interface NounForms {
  one: string;
  other: string;
  /** Latvian genitive plural for 0; `other` when absent. */
  zero?: string;
}

const RULES: Record<PluralLocale, Intl.PluralRules> = { lv: new Intl.PluralRules('lv'), en: new Intl.PluralRules('en') };

/** The noun form agreeing with `n`. */
export function pluralForm(n: number, forms: NounForms, locale: PluralLocale): string {
  if (n === 0 && forms.zero !== undefined) return forms.zero;
  return RULES[locale].select(n) === 'one' ? forms.one : forms.other;
}

/** `n` and the noun agreeing with it: "1 diena", "7 dienas", "0 dienu", "1 day". */
export function countOf(n: number, forms: NounForms, locale: PluralLocale): string {
  return `${n} ${pluralForm(n, forms, locale)}`;
}

export const DAY_FORMS: Record<PluralLocale, NounForms> = {
  lv: { one: 'diena', other: 'dienas', zero: 'dienu' },
  en: { one: 'day', other: 'days' },
};

/** "1 diena" / "7 days": the one way pages and mails write a number of days. */
export function days(n: number, locale: PluralLocale): string {
  return countOf(n, DAY_FORMS[locale], locale);
}
