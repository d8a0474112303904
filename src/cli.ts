// Operator commands: `npm run cli -- <command> [args]`. Each command lives in src/cli/.
import { adminTokenCommand } from './cli/admin-token';
import { campaignCommand } from './cli/campaign';
import { classifyEmailCommand } from './cli/classify-email';
import type { CliCommand } from './cli/command';
import { importCommand } from './cli/import';
import { inboxCommand } from './cli/inbox';
import { ledgerCommand } from './cli/ledger';
import { policyVersionCommand } from './cli/policy-version';
import { staffCommand } from './cli/staff';

const commands: Record<string, CliCommand> = {
  'admin-token': adminTokenCommand,
  campaign: campaignCommand,
  'classify-email': classifyEmailCommand,
  import: importCommand,
  inbox: inboxCommand,
  ledger: ledgerCommand,
  'policy-version': policyVersionCommand,
  staff: staffCommand,
};

const [name, ...args] = process.argv.slice(2);
const command = name ? commands[name] : undefined;
if (!command) {
  const usage = `usage: npm run cli -- <command> [--help]\n\ncommands:\n${Object.entries(commands).map(([n, c]) => `  ${n.padEnd(16)} ${c.summary}`).join('\n')}`;
  const asked = !name || name === '--help' || name === '-h';
  (asked ? console.log : console.error)(usage);
  process.exit(asked ? 0 : 64);
}
// Every command answers --help with its usage and options, before parsing anything.
if (args.includes('--help') || args.includes('-h')) {
  console.log(command.help);
  process.exit(0);
}
try {
  process.exitCode = (await command.run(args)) ?? 0;
} catch (err) {
  console.error(`${name}: ${(err as Error).message}`);
  process.exitCode = 1;
}
