// How the access export speaks to a person: dates in Riga time, periods in days, and the readable
// sections turned into the mail's HTML and text parts. Everything a person or a stranger could have
// written (a name, a subject, a list name) passes through `oneLine` and, in HTML, escaping: a name
// with markup or line breaks can neither become markup nor start a line of its own in the text part.
import { escapeHtml } from '../../html';
import { countOf, days, type NounForms } from '../../i18n/plural';
import type { MailLocale } from './requester-mail';

/** One part of the mail, all plain text: a heading, paragraphs, a bulleted list, paragraphs after it. */
export interface ReadableSection {
  heading: string;
  paragraphs?: string[];
  items?: string[];
  notes?: string[];
}

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
const MINUTE_MS = 60_000;
const HOUR_FORMS: Record<MailLocale, NounForms> = { lv: { one: 'stunda', other: 'stundas', zero: 'stundu' }, en: { one: 'hour', other: 'hours' } };
const MINUTE_FORMS: Record<MailLocale, NounForms> = { lv: { one: 'minūte', other: 'minūtes', zero: 'minūšu' }, en: { one: 'minute', other: 'minutes' } };

/** Control characters (CR, LF, tabs, NUL…) become one space; the result is one trimmed line. */
export function oneLine(value: unknown): string {
  return String(value ?? '').replace(/[\u0000-\u001f\u007f\u2028\u2029]+/g, ' ').trim();
}

// Latvian dates in figures ("14.03.2019."): a month name would have to agree with the sentence
// around it ("līdz 21. decembrim", "14. martā"), and these lines put dates in many places.
const RIGA = 'Europe/Riga';
const LV_DATE = new Intl.DateTimeFormat('lv-LV', { day: '2-digit', month: '2-digit', year: 'numeric', timeZone: RIGA });
const LV_TIME = new Intl.DateTimeFormat('lv-LV', { hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone: RIGA });
const EN_DATE = new Intl.DateTimeFormat('en-GB', { dateStyle: 'long', timeZone: RIGA });
const EN_DATE_TIME = new Intl.DateTimeFormat('en-GB', { dateStyle: 'long', timeStyle: 'short', timeZone: RIGA });

/** "14.03.2019. 12:00" / "14 March 2019 at 12:00", Riga time. */
export function dateTimeWords(at: Date, locale: MailLocale): string {
  return locale === 'lv' ? `${LV_DATE.format(at)}. ${LV_TIME.format(at)}` : EN_DATE_TIME.format(at);
}

/** "14.03.2019." / "14 March 2019", Riga time. */
export function dateWords(at: Date, locale: MailLocale): string {
  return locale === 'lv' ? `${LV_DATE.format(at)}.` : EN_DATE.format(at);
}

/** A configured period in the largest whole unit: "30 dienas", "10 hours". */
export function periodWords(ms: number, locale: MailLocale): string {
  if (ms >= DAY_MS && ms % DAY_MS === 0) return days(ms / DAY_MS, locale);
  if (ms >= HOUR_MS && ms % HOUR_MS === 0) return countOf(ms / HOUR_MS, HOUR_FORMS[locale], locale);
  return countOf(Math.max(1, Math.round(ms / MINUTE_MS)), MINUTE_FORMS[locale], locale);
}

/** ISO 8601 duration ("P30D", "PT12H", "PT90M"): exact and machine-readable. */
export function isoPeriod(ms: number): string {
  if (ms >= DAY_MS && ms % DAY_MS === 0) return `P${ms / DAY_MS}D`;
  if (ms >= HOUR_MS && ms % HOUR_MS === 0) return `PT${ms / HOUR_MS}H`;
  if (ms % MINUTE_MS === 0) return `PT${ms / MINUTE_MS}M`;
  return `PT${Math.round(ms / 1000)}S`;
}

// Inline styles: mail clients drop <style> blocks more often than they drop attributes.
const H2 = 'font-size:18px;line-height:26px;margin:24px 0 8px;font-weight:bold';
const P = 'margin:0 0 8px';
const UL = 'margin:0 0 8px;padding-left:20px';

export function readableHtml(sections: ReadableSection[]): string {
  return sections
    .map((s) => {
      const parts = [`<h2 style="${H2}">${escapeHtml(oneLine(s.heading))}</h2>`];
      for (const p of s.paragraphs ?? []) parts.push(`<p style="${P}">${escapeHtml(oneLine(p))}</p>`);
      if (s.items?.length) parts.push(`<ul style="${UL}">${s.items.map((i) => `<li>${escapeHtml(oneLine(i))}</li>`).join('')}</ul>`);
      for (const p of s.notes ?? []) parts.push(`<p style="${P}">${escapeHtml(oneLine(p))}</p>`);
      return parts.join('\n');
    })
    .join('\n');
}

export function readableText(sections: ReadableSection[]): string {
  return sections
    .map((s) => {
      const heading = oneLine(s.heading);
      const parts = [`${heading}\n${'-'.repeat(Math.min(heading.length, 60))}`];
      for (const p of s.paragraphs ?? []) parts.push(oneLine(p));
      if (s.items?.length) parts.push(s.items.map((i) => `- ${oneLine(i)}`).join('\n'));
      for (const p of s.notes ?? []) parts.push(oneLine(p));
      return parts.join('\n\n');
    })
    .join('\n\n\n');
}
