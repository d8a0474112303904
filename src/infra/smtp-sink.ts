// Development SMTP server on loopback: writes each message as one .eml file, delivers what is
// addressed to the mailbox's own addresses into its Maildir (when given one), and refuses every
// recipient on the reserved domain bounce.test as a dead address. Nothing leaves the machine.
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

/** The local mailbox: which recipients it receives for, and how a message gets into it. */
export interface SinkInbox {
  accepts(address: string): boolean;
  deliver(raw: Buffer): Promise<void>;
}

/**
 * bounce.test is reserved (RFC 2606 .test): no address there exists, so the sink plays the receiving
 * MTA refusing an unknown user at RCPT, synchronously. That is already the whole hard bounce: the
 * send worker suppresses an address refused with 5xx at RCPT (send-batch.ts, addressRejected), and a
 * sending client sees the failure at once. No DSN follows: a real MTA sends one only for mail it
 * accepted and failed to deliver later, never for a recipient it refused in the session, and a second
 * report of the same failure would be counted twice. To watch a DSN go through the mailbox, drop one
 * in with `npm run cli -- inbox FILE.eml`.
 */
export function refuseReservedBounceDomain(rcpt: string): { code: number; message: string } | undefined {
  const domain = rcpt.slice(rcpt.lastIndexOf('@') + 1).toLowerCase();
  if (domain !== 'bounce.test' && !domain.endsWith('.bounce.test')) return undefined;
  return { code: 550, message: `5.1.1 <${rcpt}>: Recipient address rejected: User unknown (bounce.test refuses every address)` };
}

export async function startSmtpSink(opts: { dir: string; port?: number; respond?: SinkResponder; inbox?: SinkInbox }): Promise<SmtpSink> {
  await mkdir(opts.dir, { recursive: true });
  let count = 0;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    size: 30 * 1024 * 1024,
    onRcptTo(address, _session, callback) {
      const refusal = opts.respond?.(address.address) ?? refuseReservedBounceDomain(address.address);
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
          const recipients = session.envelope.rcptTo.map((r) => r.address);
          const local = opts.inbox ? recipients.filter((r) => opts.inbox!.accepts(r)) : [];
          const remote = recipients.filter((r) => !local.includes(r));
          if (local.length > 0) {
            // What a delivering MTA adds: the envelope sender (<> for a bounce) and the recipients.
            const from = session.envelope.mailFrom ? session.envelope.mailFrom.address : '';
            const trace = [`Return-Path: <${from}>`, ...local.map((r) => `Delivered-To: ${r}`), ''].join('\r\n');
            await opts.inbox!.deliver(Buffer.concat([Buffer.from(trace), ...chunks]));
          }
          if (remote.length > 0) {
            const envelope = `X-Sink-Envelope-To: ${remote.join(', ')}\r\n`;
            const name = `${Date.now()}-${randomUUID()}.eml`;
            await writeFile(path.join(opts.dir, name), Buffer.concat([Buffer.from(envelope), ...chunks]));
          }
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
