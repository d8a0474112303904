// Root logger. Modules take logger.child({ component }) so every line says where it came from.
import { pino, type Logger } from 'pino';
import pretty from 'pino-pretty';

export type { Logger };

export type LogFormat = 'auto' | 'json' | 'pretty';

/** Readable lines for a person at a terminal; JSON for whatever reads a pipe (log shippers, CI). */
export function usePrettyLogs(format: LogFormat, stdoutIsTty: boolean): boolean {
  return format === 'pretty' || (format === 'auto' && stdoutIsTty);
}

export function createLogger(level: string, format: LogFormat = 'auto'): Logger {
  const options = {
    level,
    base: { service: 'e-jaunumi' },
    redact: { paths: ['req.headers.authorization', 'req.headers.cookie'], remove: true },
  };
  if (!usePrettyLogs(format, process.stdout.isTTY === true)) return pino(options);
  // In-process and synchronous (not a worker transport): lines written just before process.exit
  // still reach the terminal.
  return pino(
    options,
    pretty({
      sync: true,
      ignore: 'pid,hostname,service,component',
      messageFormat: '{if component}[{component}] {end}{msg}',
      translateTime: 'SYS:HH:MM:ss',
    }),
  );
}
