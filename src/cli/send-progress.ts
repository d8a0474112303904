// `campaign send --wait`: follows a send until it ends. On a terminal, one progress bar redrawn in
// place; piped or in a log, a plain line whenever something changed. Progress goes to stderr, so
// stdout keeps only the final JSON report for scripts.
import type { CampaignReport } from '../domain/campaigns/campaign-report';

export const FINISHED = new Set(['sent', 'cancelled', 'failed', 'draft']);
const BAR_WIDTH = 30;

/** One line describing where the send stands (no colours, no control characters). */
export function progressLine(report: Pick<CampaignReport, 'status' | 'stats' | 'ratePerMinute' | 'secondsLeft'>, opts: { bar: boolean }): string {
  const { stats } = report;
  const done = stats.sent + stats.skipped + stats.failed + stats.ambiguous;
  const total = Math.max(stats.queued, done);
  const share = total === 0 ? 0 : done / total;
  const parts = [
    report.status,
    `${done}/${total}`,
    `${Math.floor(share * 100)}%`,
    `sent ${stats.sent}`,
    `skipped ${stats.skipped}`,
    `failed ${stats.failed}`,
  ];
  if (stats.ambiguous) parts.push(`ambiguous ${stats.ambiguous}`);
  if (report.ratePerMinute !== null) parts.push(`${report.ratePerMinute}/min`);
  if (report.secondsLeft !== null) parts.push(`~${formatSeconds(report.secondsLeft)} left`);
  const line = parts.join(' · ');
  if (!opts.bar) return line;
  const filled = Math.round(share * BAR_WIDTH);
  return `[${'#'.repeat(filled)}${'-'.repeat(BAR_WIDTH - filled)}] ${line}`;
}

function formatSeconds(s: number): string {
  if (s < 60) return `${s}s`;
  const minutes = Math.ceil(s / 60);
  return minutes < 60 ? `${minutes}m` : `${Math.floor(minutes / 60)}h${String(minutes % 60).padStart(2, '0')}m`;
}

export interface ProgressOut {
  isTTY?: boolean;
  columns?: number;
  write(text: string): unknown;
}

/** Polls `read` until the campaign is over; returns the last report. */
export async function followSend(read: () => Promise<CampaignReport>, out: ProgressOut, opts: { intervalMs?: number } = {}): Promise<CampaignReport> {
  const tty = Boolean(out.isTTY);
  let last = '';
  for (;;) {
    const report = await read();
    const line = progressLine(report, { bar: tty });
    if (tty) {
      // Redraw in place; cut to the terminal's width so the line never wraps (a wrapped line cannot be redrawn).
      const width = out.columns ?? 100;
      out.write(`\r\x1b[2K${line.slice(0, Math.max(20, width - 1))}`);
    } else if (line !== last) {
      out.write(`${line}\n`);
    }
    last = line;
    if (FINISHED.has(report.status)) {
      if (tty) out.write('\n');
      return report;
    }
    await new Promise((r) => setTimeout(r, opts.intervalMs ?? 1000));
  }
}
