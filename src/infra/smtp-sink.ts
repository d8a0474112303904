// Development SMTP server: accepts everything on loopback and writes each message as one .eml file.
// Nothing leaves the machine.
import { randomUUID } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { SMTPServer } from 'smtp-server';

export interface SmtpSink {
  port: number;
  url: string;
  dir: string;
  received(): number;
  stop(): Promise<void>;
}

/** `respond` lets tests play an SMTP server that refuses: return an error with responseCode to reject. */
export type SinkResponder = (rcpt: string) => { code: number; message: string } | undefined;

export async function startSmtpSink(opts: { dir: string; port?: number; respond?: SinkResponder }): Promise<SmtpSink> {
  await mkdir(opts.dir, { recursive: true });
  let count = 0;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    size: 30 * 1024 * 1024,
    onRcptTo(address, _session, callback) {
      const refusal = opts.respond?.(address.address);
      if (refusal) {
        const err = new Error(refusal.message) as Error & { responseCode: number };
        err.responseCode = refusal.code;
        return callback(err);
      }
      callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', async () => {
        try {
          const envelope = `X-Sink-Envelope-To: ${session.envelope.rcptTo.map((r) => r.address).join(', ')}\r\n`;
          const name = `${Date.now()}-${randomUUID()}.eml`;
          await writeFile(path.join(opts.dir, name), Buffer.concat([Buffer.from(envelope), ...chunks]));
          count++;
          callback();
        } catch (err) {
          callback(err as Error);
        }
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
  });
  server.on('error', () => undefined);
  const { port } = server.server.address() as AddressInfo;
  return {
    port,
    url: `smtp://127.0.0.1:${port}`,
    dir: opts.dir,
    received: () => count,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
