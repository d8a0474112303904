// Server-rendered public pages: templates/pages/layout.html wraps templates/pages/NAME.LOCALE.html.
// Templates are read once; values are HTML-escaped unless a template asks for {{{raw}}}.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Response } from 'express';
import { substitute } from '../html';
import { TEMPLATES_DIR } from '../paths';
import type { Locale } from './locale';

const PAGES_DIR = path.join(TEMPLATES_DIR, 'pages');

export class PageRenderer {
  private readonly cache = new Map<string, string>();

  private template(file: string): string {
    let text = this.cache.get(file);
    if (text === undefined) {
      text = readFileSync(path.join(PAGES_DIR, file), 'utf8');
      this.cache.set(file, text);
    }
    return text;
  }

  /** The page's body template's first line `<!-- title: ... -->` gives the document title. */
  render(name: string, locale: Locale, vars: Record<string, unknown> = {}): string {
    const body = this.template(`${name}.${locale}.html`);
    const title = /^<!--\s*title:\s*(.*?)\s*-->/.exec(body)?.[1] ?? 'e-Jaunumi';
    const other: Locale = locale === 'lv' ? 'en' : 'lv';
    const content = substitute(body, { ...vars, lang: locale });
    return substitute(this.template('layout.html'), {
      lang: locale,
      title: substitute(title, vars),
      content,
      otherLang: other,
      otherLangLabel: other === 'en' ? 'English' : 'Latviski',
      langSwitchUrl: vars.langSwitchUrl ?? `?lang=${other}`,
      // Every page's footer links the policy in force.
      privacyUrl: locale === 'lv' ? '/privacy' : '/privacy?lang=en',
      privacyLabel: locale === 'lv' ? 'Privātuma politika' : 'Privacy policy',
    });
  }

  /** A piece of a page (a list row, say) from NAME.LOCALE.html, without the layout; for {{{raw}}} slots. */
  fragment(name: string, locale: Locale, vars: Record<string, unknown> = {}): string {
    return substitute(this.template(`${name}.${locale}.html`), { ...vars, lang: locale });
  }

  send(res: Response, status: number, name: string, locale: Locale, vars: Record<string, unknown> = {}): void {
    res
      .status(status)
      .set({ 'Content-Type': 'text/html; charset=utf-8', 'X-Robots-Tag': 'noindex, nofollow', 'Cache-Control': 'no-store' })
      .send(this.render(name, locale, vars));
  }
}
