// Active consents per privacy-policy version over time, read back from the ledger: every state
// change of a subscription is an event (invariant 8), so replaying them in order gives the state of
// every subscription on any past day without a snapshot job. Counts only, no person.
//
// Cost: one ordered pass over the transition events (a few per subscription); a DPO's chart, not a
// hot path.
import type { Models } from '../../data/models';
import { consentEventQueries } from '../../data/consent-event.queries';

const DAY_MS = 86_400_000;
const TRANSITIONS = ['requested', 'confirmed', 'imported', 'withdrawn', 'lapsed', 'erased', 'expired'] as const;

export interface CoveragePoint {
  /** The day (UTC, YYYY-MM-DD) whose end the counts describe; the last point is now. */
  day: string;
  /** Active subscriptions by the policy version their consent names; `unknown` when it names none. */
  byVersion: Record<string, number>;
}

export async function coverageHistory(models: Models, now: Date, days: number): Promise<CoveragePoint[]> {
  // Each point is the end of a day; the last day (today) ends in the future, so its point is now.
  const firstEnd = Math.floor(now.getTime() / DAY_MS) * DAY_MS + DAY_MS - (days - 1) * DAY_MS;
  const ends = Array.from({ length: days }, (_, i) => firstEnd + i * DAY_MS);
  // An event with `at` at or after the end of a day belongs to the days after it.
  const active = new Map<string, string>();
  const lastVersion = new Map<string, number>();
  const keysOf = new Map<string, Set<string>>();
  const counts = new Map<string, number>();
  const points: CoveragePoint[] = [];
  let next = 0;
  const bump = (version: string | undefined, by: number) => {
    if (version !== undefined) counts.set(version, (counts.get(version) ?? 0) + by);
  };
  const emitUntil = (at: number) => {
    while (next < ends.length && ends[next]! <= at) {
      points.push({ day: new Date(ends[next]! - 1).toISOString().slice(0, 10), byVersion: snapshot(counts) });
      next++;
    }
  };
  const end = (key: string) => {
    bump(active.get(key), -1);
    active.delete(key);
  };

  const cursor = consentEventQueries
    .transitionsUpTo(models, TRANSITIONS, now)
    .lean()
    .cursor({ batchSize: 2000 });
  try {
    for await (const e of cursor) {
      emitUntil(e.at.getTime());
      if (e.type === 'erased') {
        for (const key of keysOf.get(e.emailHash) ?? []) end(key);
        continue;
      }
      if (!e.list) continue;
      const key = `${e.emailHash}\u0000${e.list}`;
      let keys = keysOf.get(e.emailHash);
      if (!keys) keysOf.set(e.emailHash, (keys = new Set()));
      keys.add(key);
      if (e.policyVersion) lastVersion.set(key, e.policyVersion);
      end(key);
      if (e.type === 'confirmed' || e.type === 'imported') {
        // A confirmation without a version confirms the request it answers.
        const version = String(e.policyVersion ?? lastVersion.get(key) ?? 'unknown');
        active.set(key, version);
        bump(version, 1);
      }
    }
  } finally {
    await cursor.close();
  }
  emitUntil(Number.POSITIVE_INFINITY);
  return points;
}

function snapshot(counts: Map<string, number>): Record<string, number> {
  return Object.fromEntries([...counts].filter(([, n]) => n > 0));
}
