// Dates as the DPO reads them: Riga time, in the console's language.
import type { Language } from '../../i18n';

export function formatDate(value: string | null | undefined, lang: Language, withTime = false): string {
  if (!value) return '—';
  return new Intl.DateTimeFormat(lang === 'lv' ? 'lv-LV' : 'en-GB', {
    dateStyle: 'medium',
    ...(withTime ? { timeStyle: 'short' } : {}),
    timeZone: 'Europe/Riga',
  }).format(new Date(value));
}
