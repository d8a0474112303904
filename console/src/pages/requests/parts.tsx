// Pieces the DPO's pages share (requests and mailbox): dates as the DPO reads them (Riga time, in
// the console's language) and a labelled value.
import { Text } from '@mantine/core';
import type { ReactNode } from 'react';
import type { Language } from '../../i18n';

export function formatDate(value: string | null | undefined, lang: Language, withTime = false): string {
  if (!value) return '—';
  return new Intl.DateTimeFormat(lang === 'lv' ? 'lv-LV' : 'en-GB', {
    dateStyle: 'medium',
    ...(withTime ? { timeStyle: 'short' } : {}),
    timeZone: 'Europe/Riga',
  }).format(new Date(value));
}

/** A small label above its value; long values (addresses, subjects) wrap anywhere. */
export function Field({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div>
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text size="sm" component="div" style={{ overflowWrap: 'anywhere' }}>
        {children}
      </Text>
    </div>
  );
}
