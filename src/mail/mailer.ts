// The mail port the domain depends on, and its Nodemailer adapter (pooled SMTP, DKIM when configured).
import nodemailer, { type Transporter, type TransportOptions } from 'nodemailer';
import type { Config } from '../config';

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

export interface SentMail {
  messageId: string;
  response: string;
}

export interface Mailer {
  send(mail: OutgoingMail): Promise<SentMail>;
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
    ...(config.dkim
      ? { dkim: { ...config.dkim, headerFieldNames: 'from:to:subject:date:message-id:list-unsubscribe:list-unsubscribe-post:list-id' } }
      : {}),
  } as TransportOptions);
  return {
    async send(mail) {
      const info = await transport.sendMail({
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
      });
      return { messageId: info.messageId, response: String(info.response ?? '') };
    },
    close: () => transport.close(),
  };
}
