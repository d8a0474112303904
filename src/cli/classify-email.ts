import { ConfigError, loadConfig } from '../config';
import { DEFAULT_CLASSIFY_BUDGET_MS } from '../mailbox/classify-budget';
import { classifyFiles } from '../mailbox/classify-files';
import { OwnAddresses } from '../mailbox/loop-guard';
import type { CliCommand } from './command';

export const classifyEmailCommand: CliCommand = {
  summary: 'classify-email FILE.eml...: print one JSON classification (with confidence and evidence) per file, one per line, in order',
  async run(args) {
    if (args.length === 0) throw new Error('give at least one .eml file');
    const results = await classifyFiles(args, { ownAddresses: ownAddresses() }, DEFAULT_CLASSIFY_BUDGET_MS);
    for (const result of results) console.log(JSON.stringify(result));
  },
};

/** Our addresses are never a bounce's recipient; classifying must not need the service's secrets, though. */
function ownAddresses(): string[] | undefined {
  try {
    return new OwnAddresses(loadConfig()).list();
  } catch (err) {
    if (err instanceof ConfigError) return undefined;
    throw err;
  }
}
