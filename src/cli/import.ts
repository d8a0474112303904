import { readFile } from 'node:fs/promises';
import path from 'node:path';
import os from 'node:os';
import { DEFAULT_LIST } from '../data/list.model';
import type { ImportReport } from '../domain/consent/import';
import { parseOptions, type CliCommand } from './command';
import { withContainer } from './with-container';

export const importCommand: CliCommand = {
  summary: 'import FILE.csv [--list e-jaunumi] [--source TEXT] [--dry-run] [--json]: import subscribers with their consent date and source',
  help: `usage: npm run cli -- import FILE.csv [--list ${DEFAULT_LIST}] [--source TEXT] [--dry-run] [--json]

Imports subscribers with the date and source of their consent (columns: email, name, locale,
consent_date, source). Opt-outs, suppressions and erasures are honoured. The report is kept (the
console's Import page lists it).

options:
  --list SLUG     the list to import into (default ${DEFAULT_LIST})
  --source TEXT   the consent source for rows without one
  --dry-run       report what would be added and skipped, and why, writing nothing
  --json          print the report as JSON
  --help          this text`,
  async run(args) {
    const { values, positionals } = parseOptions(args, {
      list: { type: 'string', default: DEFAULT_LIST },
      source: { type: 'string' },
      json: { type: 'boolean', default: false },
      'dry-run': { type: 'boolean', default: false },
    });
    if (positionals.length !== 1) throw new Error('give exactly one CSV file (columns: email, name, locale, consent_date, source)');
    const actor = { sub: `cli:${os.userInfo().username}`, role: 'cli' };
    const file = positionals[0]!;
    const report = await withContainer(async (c) => {
      // The file is read whole: the kept report and the dry run work on text, like the console's upload.
      const request = { csv: await readFile(file, 'utf8'), list: values.list!, source: values.source, fileName: path.basename(file), actor };
      if (!values['dry-run']) return c.imports.runNow(request);
      const result = await c.imports.dryRun(request);
      await c.audit.record(actor, 'subscribers.import.dry-run', values.list!, { added: result.added, skipped: result.skipped });
      return result;
    });
    console.log(values.json ? JSON.stringify(report) : formatReport(report));
  },
};

function formatReport(r: ImportReport): string {
  const lines = [`${r.dryRun ? 'dry run, nothing written: ' : ''}list ${r.list}: ${r.rows} rows, ${r.added} ${r.dryRun ? 'would be added' : 'added'}, ${r.skipped} skipped`];
  for (const [reason, count] of Object.entries(r.reasons)) lines.push(`  skipped ${String(count).padStart(7)}  ${reason}`);
  if (r.skippedRows.length) {
    lines.push('skipped lines:');
    for (const { line, reason, email } of r.skippedRows) lines.push(`  line ${line}: ${reason}  ${JSON.stringify(email)}`);
    if (r.skippedRows.length < r.skipped) lines.push(`  … and ${r.skipped - r.skippedRows.length} more`);
  }
  return lines.join('\n');
}
