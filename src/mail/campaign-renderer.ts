// Newsletters: the marketer's MJML inside templates/email/newsletter-layout.mjml (IMPRO's header and
// the mandatory footer), compiled by MJML once per campaign. Per recipient only the merge fields are
// substituted — escaped for HTML, plain in text, header-safe in the subject — so sending 20,000
// copies never runs MJML again and a subscriber's name can never become markup or a header.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import mjml2html from 'mjml';
import { AppError, ErrorCodes, ValidationError } from '../errors';
import { escapeHtml, headerSafe } from '../html';
import { vocative, type VocativeLocale } from '../i18n/vocative';
import { TEMPLATES_DIR } from '../paths';
import { htmlToText } from './html-text';

export const MERGE_FIELDS = ['name', 'unsubscribeUrl', 'preferencesUrl'] as const;
/** Fields written as `{{field.form}}`: the first name in the vocative ("Labdien, {{name.vocative}}!"). */
const FIELD_FORMS = ['name.vocative'] as const;
/** Fields that may carry a fallback, `{{name|draugs}}`: what shows for a subscriber without a name. */
const WITH_FALLBACK = new Set<string>(['name', 'name.vocative']);
const WRITTEN_FIELDS: readonly string[] = [...MERGE_FIELDS, ...FIELD_FORMS];

/** One recipient's values. `locale` (default lv) decides whether `{{name.vocative}}` applies Latvian rules. */
export type MergeVars = Record<(typeof MERGE_FIELDS)[number], string> & { locale?: VocativeLocale };

/** The languages a campaign can be written in: Latvian always, English optionally. */
export const CAMPAIGN_LANGUAGES = ['lv', 'en'] as const;
export type CampaignLanguage = (typeof CAMPAIGN_LANGUAGES)[number];

export interface CampaignSource {
  subject: string;
  preheader: string;
  mjml: string;
}

export interface CompiledCampaign {
  subject: string;
  html: string;
  text: string;
}

export interface MjmlProblem {
  line: number;
  tag?: string;
  message: string;
}

const LAYOUT_FILE = path.join(TEMPLATES_DIR, 'email', 'newsletter-layout.mjml');
const CONTENT_SLOT = '<!-- content -->';

let layoutText: Promise<string> | undefined;
const layout = () => (layoutText ??= readFile(LAYOUT_FILE, 'utf8'));

/**
 * Validates and compiles; throws INVALID_MJML (details.errors: line numbers of the marketer's own
 * source) or a validation error for a merge field we do not know.
 */
export async function compileCampaign(source: CampaignSource): Promise<CompiledCampaign> {
  checkMergeFields('subject', source.subject);
  checkMergeFields('preheader', source.preheader);
  checkMergeFields('mjml', source.mjml);
  // mj-include would read files from this server into a mail.
  if (/<mj-include\b/i.test(source.mjml)) throw invalidMjml([{ line: lineOf(source.mjml, /<mj-include\b/i), message: 'mj-include is not allowed' }]);

  const { content, firstLine } = bodyContent(source.mjml);
  const head = headContent(source.mjml);
  const template = await layout();
  const slotLine = template.slice(0, template.indexOf(CONTENT_SLOT)).split('\n').length + head.split('\n').length - 1;
  const document = template
    .replace('{{layout.preheader}}', escapeHtml(headerSafe(source.preheader)))
    // The marketer's own styles and fonts join the layout's head, after its defaults so they win.
    .replace(HEAD_SLOT, () => `${head}${HEAD_SLOT}`)
    .replace(CONTENT_SLOT, () => content);
  const result = await mjml2html(document, { validationLevel: 'soft', ignoreIncludes: true, keepComments: false });
  // Layout line `slotLine` holds the marketer's line `firstLine`; map MJML's lines back to theirs.
  const problems = result.errors.map((e) => ({ line: Math.max(1, e.line - slotLine + firstLine), tag: e.tagName, message: e.message }));
  if (problems.length) throw invalidMjml(problems);
  return { subject: headerSafe(source.subject), html: result.html, text: htmlToText(result.html) };
}

/**
 * Whether a name field is written without a fallback anywhere in the source: for a person without a
 * name it then shows nothing ("Labdien!"), which the editor warns about with the count of such people.
 */
export function nameWithoutFallback(source: CampaignSource): boolean {
  return [source.subject, source.preheader, source.mjml].some((text) => {
    for (const placeholder of scanPlaceholders(text)) {
      if (!placeholder.closed || placeholder.raw) continue;
      const field = parseField(placeholder.name);
      if (WITH_FALLBACK.has(field.field) && field.fallback === undefined) return true;
    }
    return false;
  });
}

/** One recipient's copy: the only per-message work on the sending path. */
export function personalise(compiled: CompiledCampaign, vars: MergeVars): CompiledCampaign {
  return {
    subject: headerSafe(render(compiled.subject, vars, String)),
    html: render(compiled.html, vars, escapeHtml),
    text: render(compiled.text, vars, String),
  };
}

/**
 * Fills the merge fields of one compiled part (subject, HTML or text) in one left-to-right pass:
 * `{{field}}`, `{{name.vocative}}`, `{{name|fallback}}`. The value goes through `escape` (HTML
 * escaping for the HTML part); a fallback is the marketer's own text in that part, kept as written.
 * A name field without a name and without a fallback closes up the greeting around it:
 * "Labdien, {{name}}!" → "Labdien!" rather than "Labdien, !".
 */
export function render(text: string, vars: MergeVars, escape: (value: string) => string): string {
  // Pieces joined once at the end; closing up trims only the piece just before the field.
  const out: string[] = [];
  let from = 0;
  for (const placeholder of scanPlaceholders(text)) {
    if (!placeholder.closed || placeholder.raw) continue;
    const field = parseField(placeholder.name);
    const before = text.slice(from, placeholder.index);
    from = placeholder.index + placeholder.whole.length;
    const value = valueOf(field.field, vars);
    const endsSentence = /^\s*($|[!?.,;:)])/.test(text.slice(from, from + 8));
    if (value) out.push(before, escape(value));
    else if (field.fallback !== undefined) out.push(before, field.fallback);
    else out.push(WITH_FALLBACK.has(field.field) && endsSentence ? closeUp(before) : before);
  }
  out.push(text.slice(from));
  return out.join('');
}

/** The text before an empty name without its trailing blanks and comma ("Labdien, " → "Labdien"). */
function closeUp(before: string): string {
  let end = before.length;
  while (end > 0 && (before[end - 1] === ' ' || before[end - 1] === '\t')) end--;
  if (end > 0 && before[end - 1] === ',') end--;
  return before.slice(0, end);
}

interface WrittenField {
  field: string;
  fallback?: string;
}

/** `name.vocative | draugs` → the field and its fallback (the text after the first `|`, trimmed). */
function parseField(written: string): WrittenField {
  const bar = written.indexOf('|');
  if (bar < 0) return { field: written.trim() };
  return { field: written.slice(0, bar).trim(), fallback: written.slice(bar + 1).trim() };
}

// The layout's footer, in the recipient's language; both languages when the sender did not say which.
const FOOTER: Record<'lv' | 'en' | 'both', Record<string, string>> = {
  lv: {
    'footer.reason': 'Jūs saņemat šo vēstuli, jo piekritāt saņemt IMPRO CEĻOJUMI e-Jaunumus.',
    'footer.unsubscribe': 'Atteikties no e-Jaunumiem',
    'footer.preferences': 'Mainīt iestatījumus',
  },
  en: {
    'footer.reason': 'You receive this because you subscribed to e-Jaunumi from IMPRO CEĻOJUMI.',
    'footer.unsubscribe': 'Unsubscribe from e-Jaunumi',
    'footer.preferences': 'Change your preferences',
  },
  both: {
    'footer.reason': 'Jūs saņemat šo vēstuli, jo piekritāt saņemt IMPRO CEĻOJUMI e-Jaunumus. / You receive this because you subscribed to e-Jaunumi.',
    'footer.unsubscribe': 'Atteikties no e-Jaunumiem / Unsubscribe',
    'footer.preferences': 'Mainīt iestatījumus / Preferences',
  },
};

function valueOf(field: string, vars: MergeVars): string {
  if (field === 'name.vocative') return vocative(vars.name ?? '', vars.locale ?? 'lv');
  if (field.startsWith('footer.')) return FOOTER[vars.locale ?? 'both'][field] ?? '';
  return (MERGE_FIELDS as readonly string[]).includes(field) ? String(vars[field as (typeof MERGE_FIELDS)[number]] ?? '').trim() : '';
}

const HEAD_SLOT = '</mj-head>';
// What a marketer's <mj-head> may bring into the layout's; the preview text is the preheader field,
// the title is the subject.
const HEAD_ELEMENTS = ['mj-attributes', 'mj-style', 'mj-font', 'mj-breakpoint', 'mj-html-attributes'];

/**
 * The children of a whole document's <mj-head>, checked: only styling elements, each closed. A
 * head element the layout cannot take is refused with its line, never dropped without a word.
 */
function headContent(mjml: string): string {
  if (!/<mjml[\s>]/i.test(mjml)) return '';
  const open = /<mj-head\s*>/i.exec(mjml);
  if (!open) return '';
  const start = open.index + open[0].length;
  const end = mjml.indexOf('</mj-head>', start);
  if (end < 0) throw invalidMjml([{ line: lineAt(mjml, open.index), message: '<mj-head> without </mj-head>' }]);
  const head = mjml.slice(start, end);
  // Top-level tags of the head: a tag that is not inside an allowed element's content.
  let at = 0;
  while (at < head.length) {
    const tag = head.indexOf('<', at);
    if (tag < 0) break;
    const name = /^<([a-z][a-z0-9-]*)/i.exec(head.slice(tag, tag + 40))?.[1]?.toLowerCase();
    if (!name) {
      at = tag + 1;
      continue;
    }
    const line = () => lineAt(mjml, start + tag);
    if (!HEAD_ELEMENTS.includes(name)) {
      const hint = name === 'mj-preview' ? ': write the preview text in the preheader field' : name === 'mj-title' ? ': the subject is the title' : '';
      throw invalidMjml([{ line: line(), tag: name, message: `<${name}> cannot go into the newsletter layout's head${hint}; allowed: ${HEAD_ELEMENTS.join(', ')}` }]);
    }
    const tagEnd = head.indexOf('>', tag);
    if (tagEnd < 0) throw invalidMjml([{ line: line(), tag: name, message: `<${name} without its closing >` }]);
    if (head[tagEnd - 1] === '/') {
      at = tagEnd + 1;
      continue;
    }
    const close = head.indexOf(`</${name}>`, tagEnd);
    if (close < 0) throw invalidMjml([{ line: line(), tag: name, message: `<${name}> without </${name}>` }]);
    at = close + name.length + 3;
  }
  return head;
}

/** The marketer writes body-level MJML (mj-section, mj-wrapper, mj-hero…) or a whole <mjml> document. */
function bodyContent(mjml: string): { content: string; firstLine: number } {
  if (!/<mjml[\s>]/i.test(mjml)) return { content: mjml, firstLine: 1 };
  const open = /<mj-body[^>]*>/i.exec(mjml);
  const close = mjml.lastIndexOf('</mj-body>');
  if (!open || close < open.index) throw invalidMjml([{ line: 1, message: 'an <mjml> document needs an <mj-body>' }]);
  const start = open.index + open[0].length;
  return { content: mjml.slice(start, close), firstLine: mjml.slice(0, start).split('\n').length };
}

const FIELD_HELP = `${WRITTEN_FIELDS.map((f) => `{{${f}}}`).join(', ')}, or {{name|fallback}}`;

function checkMergeFields(field: keyof CampaignSource, text: string): void {
  for (const placeholder of scanPlaceholders(text)) {
    const { whole, raw, name, closed } = placeholder;
    const written = parseField(name);
    if (closed && !raw && WRITTEN_FIELDS.includes(written.field) && (written.fallback === undefined || WITH_FALLBACK.has(written.field))) continue;
    const message = closed
      ? `${field}: ${whole} is not a merge field; use ${FIELD_HELP}`
      : `${field}: "{{" without a closing "}}"; use ${FIELD_HELP}`;
    if (field === 'mjml') throw invalidMjml([{ line: lineAt(text, placeholder.index), message }]);
    throw new ValidationError(message);
  }
}

export interface Placeholder {
  index: number;
  /** The placeholder as written; for an unclosed one only its `{{` (the rest may be megabytes). */
  whole: string;
  /** `{{{…}}}`: a raw (unescaped) field, which marketers may not use. */
  raw: boolean;
  name: string;
  closed: boolean;
}

/**
 * Every `{{…}}` in one left-to-right pass: from `{{` (and an optional third `{`) to the next brace,
 * which must start `}}`. Linear in the text, unlike a backtracking pattern with optional spaces
 * around a lazy name (cubic in a run of spaces).
 */
export function* scanPlaceholders(text: string): Generator<Placeholder> {
  let at = text.indexOf('{{');
  while (at >= 0) {
    const raw = text[at + 2] === '{';
    const nameStart = at + (raw ? 3 : 2);
    let end = nameStart;
    while (end < text.length && text[end] !== '{' && text[end] !== '}') end++;
    if (text.startsWith('}}', end)) {
      const close = end + (text.startsWith('}}}', end) ? 3 : 2);
      yield { index: at, whole: text.slice(at, close), raw, name: text.slice(nameStart, end).trim(), closed: true };
      at = text.indexOf('{{', close);
    } else if (end < text.length && text[end] === '{') {
      // `{{ x {{y}}`: the first `{{` is unclosed; the scan goes on from the inner one.
      yield { index: at, whole: '{{', raw, name: '', closed: false };
      at = text.indexOf('{{', end);
    } else {
      yield { index: at, whole: '{{', raw, name: '', closed: false };
      at = text.indexOf('{{', Math.max(end, at + 2));
    }
  }
}

function lineAt(text: string, index: number): number {
  let line = 1;
  for (let i = text.indexOf('\n'); i >= 0 && i < index; i = text.indexOf('\n', i + 1)) line++;
  return line;
}

function lineOf(text: string, needle: string | RegExp): number {
  const index = typeof needle === 'string' ? text.indexOf(needle) : text.search(needle);
  return text.slice(0, Math.max(0, index)).split('\n').length;
}

function invalidMjml(errors: MjmlProblem[]): AppError {
  const summary = errors.map((e) => `line ${e.line}${e.tag ? ` (${e.tag})` : ''}: ${e.message}`).join('; ');
  return new AppError(ErrorCodes.INVALID_MJML, `MJML is not valid: ${summary}`, { errors });
}
