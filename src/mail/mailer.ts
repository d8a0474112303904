// The mail port the domain depends on, and its Nodemailer adapter (pooled SMTP, DKIM when configured).
import nodemailer, { type SendMailOptions, type Transporter, type TransportOptions } from 'nodemailer';
import type { Config } from '../config';
import { DKIM_SIGNED_FIELDS } from './dkim';

export interface OutgoingMail {
  from?: string;
  to: string;
  subject: string;
  html: string;
  text: string;
  headers?: Record<string, string>;
  messageId?: string;
  replyTo?: string;
  attachments?: Array<{ filename: string; content: string | Buffer; contentType: string }>;
  envelopeFrom?: string;
}

/** A message already built to the last byte (a compiled campaign's, signed when a key is set). */
export interface RawMail {
  raw: Buffer;
  envelope: { from: string; to: string };
  messageId: string;
}

export interface SentMail {
  messageId: string;
  response: string;
}

export interface Mailer {
  send(mail: OutgoingMail | RawMail): Promise<SentMail>;
  close(): void;
}

/** SMTP failures the sender must tell apart: temporary (retry), permanent (suppress), ambiguous. */
export type SmtpFailureKind = 'temporary' | 'permanent' | 'ambiguous';

export function classifySmtpError(err: unknown): SmtpFailureKind {
  const e = err as { responseCode?: number; command?: string; code?: string };
  if (typeof e.responseCode === 'number') {
    if (e.responseCode >= 500) return 'permanent';
    if (e.responseCode >= 400) return 'temporary';
  }
  // Connection lost after the message body went out: the server may have accepted it.
  if (e.command === 'DATA' || e.command === 'DATA end' || e.code === 'EMESSAGE') return 'ambiguous';
  return 'temporary';
}

export function createMailer(config: Config, smtpUrl: string): Mailer {
  const transport: Transporter = nodemailer.createTransport({
    url: smtpUrl,
    pool: true,
    maxConnections: config.smtpPoolSize,
    maxMessages: Infinity,
    ...(config.sendRatePerSec > 0 ? { rateDelta: 1000, rateLimit: config.sendRatePerSec } : {}),
  } as TransportOptions);
  return {
    async send(mail) {
      if ('raw' in mail) {
        // The Message-ID is in the raw message already; given here too, Nodemailer need not make one up.
        const info = await transport.sendMail({ raw: mail.raw, envelope: mail.envelope, messageId: mail.messageId });
        return { messageId: mail.messageId, response: String(info.response ?? '') };
      }
      const info = await transport.sendMail(composerMessage(config, mail));
      return { messageId: info.messageId, response: String(info.response ?? '') };
    },
    close: () => transport.close(),
  };
}

/** What Nodemailer's composer is given for a mail (exported so a test can compose the same). */
export function composerMessage(config: Pick<Config, 'mailFrom' | 'dkim'>, mail: OutgoingMail): SendMailOptions {
  return {
    // Per message, not on the transport: a raw message comes signed, and must not be signed twice.
    dkim: config.dkim ? { ...config.dkim, headerFieldNames: DKIM_SIGNED_FIELDS.join(':') } : undefined,
    from: mail.from ?? config.mailFrom,
    to: mail.to,
    subject: mail.subject,
    html: mail.html,
    text: mail.text,
    headers: mail.headers,
    messageId: mail.messageId,
    replyTo: mail.replyTo,
    attachments: mail.attachments,
    envelope: mail.envelopeFrom ? { from: mail.envelopeFrom, to: mail.to } : undefined,
    // Our mails are Latvian and English: Latin script, for which quoted-printable is the right
    // encoding. Saying so spares Nodemailer counting the characters of every body and header
    // of every message to choose (7% of the send worker's CPU in the benchmark profile).
    textEncoding: 'quoted-printable',
  };
}
