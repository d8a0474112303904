// Dates as the DPO reads them: Riga time, in the console's language.
import type { Language } from '../../i18n';

export function formatDate(iso: string | null | undefined, lang: Language): string {
  if (!iso) return '—';
  return new Intl.DateTimeFormat(lang === 'en' ? 'en-GB' : 'lv-LV', { timeZone: 'Europe/Riga', dateStyle: 'medium' }).format(new Date(iso));
}

export function formatTime(iso: string | null | undefined, lang: Language): string {
  if (!iso) return '—';
  return new Intl.DateTimeFormat(lang === 'en' ? 'en-GB' : 'lv-LV', { timeZone: 'Europe/Riga', dateStyle: 'medium', timeStyle: 'medium' }).format(new Date(iso));
}
