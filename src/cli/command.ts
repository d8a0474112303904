import { parseArgs, type ParseArgsConfig } from 'node:util';

export interface CliCommand {
  summary: string;
  /** The full usage with every option, printed for `--help` (see src/cli.ts). */
  help: string;
  /** Returns the exit code (0 when omitted). */
  run(args: string[]): Promise<number | void>;
}

export function parseOptions<T extends NonNullable<ParseArgsConfig['options']>>(args: string[], options: T) {
  return parseArgs({ args, options, allowPositionals: true, strict: true });
}
