// Escaping for the two places personal data meets markup: HTML bodies and mail headers.
const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(value: unknown): string {
  return String(value ?? '').replace(/[&<>"']/g, (ch) => HTML_ESCAPES[ch]!);
}

/** Header-safe: CR, LF and other control characters removed (no header injection). */
export function headerSafe(value: unknown): string {
  return String(value ?? '').replace(/[\u0000-\u001f\u007f]+/g, ' ').trim();
}

/**
 * `{{name}}` is replaced by the escaped value, `{{{name}}}` by the raw value (for HTML built by us);
 * unknown names become empty. Dotted names read nested objects.
 */
export function substitute(template: string, vars: Record<string, unknown>, escape: (v: unknown) => string = escapeHtml): string {
  return template.replace(/\{\{(\{?)\s*([\w.]+)\s*\}?\}\}/g, (_m, raw: string, name: string) => {
    const value = name.split('.').reduce<unknown>((obj, key) => (obj && typeof obj === 'object' ? (obj as Record<string, unknown>)[key] : undefined), vars);
    return raw ? String(value ?? '') : escape(value);
  });
}
