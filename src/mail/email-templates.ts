// Transactional mail templates: templates/email/NAME.LOCALE.mjml inside templates/email/layout.mjml,
// compiled by MJML once per (name, locale); per message only escaped substitution runs.
// The first line `<!-- subject: ... -->` of a template is its subject. NAME.LOCALE.txt is the text part.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import mjml2html from 'mjml';
import { escapeHtml, headerSafe, substitute } from '../html';
import { TEMPLATES_DIR } from '../paths';

const EMAIL_DIR = path.join(TEMPLATES_DIR, 'email');
const UNSUBSCRIBE_LABEL = { lv: 'Atteikties no e-Jaunumiem', en: 'Unsubscribe from e-Jaunumi' } as const;

export interface RenderedEmail {
  subject: string;
  html: string;
  text: string;
}

interface Compiled {
  subject: string;
  html: string;
  text: string;
}

export class EmailTemplates {
  private readonly compiled = new Map<string, Promise<Compiled>>();

  async render(name: string, locale: 'lv' | 'en', vars: Record<string, unknown>): Promise<RenderedEmail> {
    const key = `${name}.${locale}`;
    let compiled = this.compiled.get(key);
    if (!compiled) {
      compiled = compile(key);
      this.compiled.set(key, compiled);
      compiled.catch(() => this.compiled.delete(key));
    }
    const t = await compiled;
    return {
      subject: headerSafe(substitute(t.subject, vars, String)),
      html: substitute(t.html, vars, escapeHtml),
      text: substitute(t.text, vars, (v) => String(v ?? '')),
    };
  }
}

async function compile(key: string): Promise<Compiled> {
  const [layout, body, text] = await Promise.all([
    readFile(path.join(EMAIL_DIR, 'layout.mjml'), 'utf8'),
    readFile(path.join(EMAIL_DIR, `${key}.mjml`), 'utf8'),
    readFile(path.join(EMAIL_DIR, `${key}.txt`), 'utf8'),
  ]);
  const subject = /^<!--\s*subject:\s*(.*?)\s*-->/.exec(body)?.[1];
  if (!subject) throw new Error(`templates/email/${key}.mjml lacks its <!-- subject: ... --> line`);
  const lang = key.endsWith('.en') ? 'en' : 'lv';
  // Merge placeholders pass through MJML untouched; only the layout's own slots are filled here.
  // The footer speaks the mail's language only.
  const source = layout
    .replace('<!-- content -->', body.replace(/^<!--.*?-->\s*/, ''))
    .replaceAll('{{layout.lang}}', lang)
    .replaceAll('{{layout.unsubscribe}}', UNSUBSCRIBE_LABEL[lang]);
  const result = await mjml2html(source, { validationLevel: 'strict', keepComments: false });
  return { subject, html: result.html, text: await readFile(path.join(EMAIL_DIR, `footer.${lang}.txt`), 'utf8').then((footer) => `${text.trimEnd()}\n\n${footer}`) };
}
