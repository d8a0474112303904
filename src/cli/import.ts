import { createReadStream } from 'node:fs';
import os from 'node:os';
import { DEFAULT_LIST } from '../data/list.model';
import { importSubscribers, type ImportReport } from '../domain/consent/import';
import { parseOptions, type CliCommand } from './command';
import { withContainer } from './with-container';

export const importCommand: CliCommand = {
  summary: 'import FILE.csv [--list e-jaunumi] [--source TEXT] [--json]: import subscribers with their consent date and source',
  help: `usage: npm run cli -- import FILE.csv [--list ${DEFAULT_LIST}] [--source TEXT] [--json]

Imports subscribers with the date and source of their consent (columns: email, name, locale,
consent_date, source). Opt-outs, suppressions and erasures are honoured.

options:
  --list SLUG     the list to import into (default ${DEFAULT_LIST})
  --source TEXT   the consent source for rows without one
  --json          print the report as JSON
  --help          this text`,
  async run(args) {
    const { values, positionals } = parseOptions(args, {
      list: { type: 'string', default: DEFAULT_LIST },
      source: { type: 'string' },
      json: { type: 'boolean', default: false },
    });
    if (positionals.length !== 1) throw new Error('give exactly one CSV file (columns: email, name, locale, consent_date, source)');
    const actor = `cli:${os.userInfo().username}`;
    const report = await withContainer(async (c) => {
      const result = await importSubscribers(c, { csv: createReadStream(positionals[0]!), list: values.list!, defaultSource: values.source, actor });
      // The same audit entry as the admin API's import: an operator's command is an admin action too.
      await c.audit.record({ sub: actor, role: 'cli' }, 'subscribers.import', values.list!, { added: result.added, skipped: result.skipped });
      return result;
    });
    console.log(values.json ? JSON.stringify(report) : formatReport(report));
  },
};

function formatReport(r: ImportReport): string {
  const lines = [`list ${r.list}: ${r.rows} rows, ${r.added} added, ${r.skipped} skipped`];
  for (const [reason, count] of Object.entries(r.reasons)) lines.push(`  skipped ${String(count).padStart(7)}  ${reason}`);
  if (r.skippedRows.length) {
    lines.push('skipped lines:');
    for (const { line, reason } of r.skippedRows) lines.push(`  line ${line}: ${reason}`);
    if (r.skippedRows.length < r.skipped) lines.push(`  … and ${r.skipped - r.skippedRows.length} more`);
  }
  return lines.join('\n');
}
