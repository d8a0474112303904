import type { Request } from 'express';

export const LOCALES = ['lv', 'en'] as const;
export type Locale = (typeof LOCALES)[number];

/** The language a request names itself (`?lang=` or the form's `lang`), if any. */
export function explicitLocale(req: Request): Locale | undefined {
  const explicit = typeof req.query.lang === 'string' ? req.query.lang : typeof req.body?.lang === 'string' ? req.body.lang : undefined;
  return explicit === 'en' || explicit === 'lv' ? explicit : undefined;
}

/** Latvian first: `?lang=en` or an Accept-Language that prefers English over Latvian picks English. */
export function negotiateLocale(req: Request): Locale {
  const explicit = typeof req.query.lang === 'string' ? req.query.lang : typeof req.body?.lang === 'string' ? req.body.lang : undefined;
  if (explicit === 'en' || explicit === 'lv') return explicit;
  const preferred = req.acceptsLanguages('lv', 'en');
  return preferred === 'en' ? 'en' : 'lv';
}

export function isLocale(value: unknown): value is Locale {
  return value === 'lv' || value === 'en';
}
