// Sign-ups, confirmations and unsubscribes per Riga day over the last 30 or 90 days, for the
// dashboard's chart. One query on {day: {$in}, type: {$in}} (index day_1_type_1): it reads only the
// window's events of the three kinds, never the whole ledger. Counts only: no person in them.
import type { Models } from '../../data/models';
import { rigaDay } from './consent-ledger';
import { consentEventQueries } from '../../data/consent-event.queries';

export const ACTIVITY_WINDOWS = [30, 90] as const;
export type ActivityWindow = (typeof ACTIVITY_WINDOWS)[number];

export interface DayActivity {
  day: string;
  signups: number;
  confirmations: number;
  unsubscribes: number;
}

const KIND = { requested: 'signups', confirmed: 'confirmations', withdrawn: 'unsubscribes' } as const;
const TYPES = Object.keys(KIND) as Array<keyof typeof KIND>;

/** The last `days` Riga days, oldest first, today included. */
export function lastDays(now: Date, days: number): string[] {
  const out = new Set<string>();
  // Steps of 12 h cover each calendar day across DST changes; the set drops the repeats.
  for (let back = 0; out.size < days; back += 12) out.add(rigaDay(new Date(now.getTime() - back * 3_600_000)));
  return [...out].reverse();
}

export async function dailyActivity(models: Models, now: Date, days: ActivityWindow): Promise<{ days: DayActivity[] }> {
  const window = lastDays(now, days);
  const events = await consentEventQueries.ofDays(models, window, TYPES).lean();
  const byDay = new Map(window.map((day) => [day, { day, signups: 0, confirmations: 0, unsubscribes: 0 }]));
  for (const e of events) {
    const row = byDay.get(e.day ?? '');
    if (row) row[KIND[e.type as keyof typeof KIND]]++;
  }
  return { days: [...byDay.values()] };
}
