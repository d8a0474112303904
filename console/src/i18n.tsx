// Every string the console shows, one catalogue per language (Latvian first, English second), kept
// per area in messages/. The English catalogue must have every Latvian key (each area's type says so).
import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from 'react';
import { en, lv, type MessageKey } from './messages';

export type { MessageKey };

export const LANGUAGES = ['lv', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];
const CATALOGUES: Record<Language, Record<MessageKey, string>> = { lv, en };
const STORAGE_KEY = 'ej-console-lang';

export type Translate = (key: MessageKey, vars?: Record<string, string | number>) => string;

/** Outside React (the API client) the current language is read from here. */
let current: Language = initialLanguage();

export function translate(key: MessageKey, vars: Record<string, string | number> = {}, lang: Language = current): string {
  return CATALOGUES[lang][key].replace(/\{(\w+)\}/g, (whole, name: string) => (name in vars ? String(vars[name]) : whole));
}

function initialLanguage(): Language {
  const stored = typeof localStorage === 'undefined' ? null : localStorage.getItem(STORAGE_KEY);
  return stored === 'en' || stored === 'lv' ? stored : 'lv';
}

const I18nContext = createContext<{ lang: Language; setLang: (l: Language) => void; t: Translate }>({
  lang: current,
  setLang: () => undefined,
  t: (key, vars) => translate(key, vars),
});

export function I18nProvider({ children }: { children: ReactNode }) {
  const [lang, setLangState] = useState<Language>(current);
  const setLang = useCallback((l: Language) => {
    current = l;
    localStorage.setItem(STORAGE_KEY, l);
    document.documentElement.lang = l;
    setLangState(l);
  }, []);
  const value = useMemo(() => ({ lang, setLang, t: ((key, vars) => translate(key, vars, lang)) as Translate }), [lang, setLang]);
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useI18n() {
  return useContext(I18nContext);
}
