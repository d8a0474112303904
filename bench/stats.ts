// Figures from repeated runs: the median is reported, every run is kept beside it.

export function median(values: number[]): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export const round = (value: number, digits = 0) => Math.round(value * 10 ** digits) / 10 ** digits;

/** Runs `once` n times, one after the other (never in parallel: they would measure each other). */
export async function repeat<T>(n: number, once: (run: number) => Promise<T>): Promise<T[]> {
  const runs: T[] = [];
  for (let run = 1; run <= n; run++) runs.push(await once(run));
  return runs;
}
