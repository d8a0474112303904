// The poller's fixture corpus, built per test so addresses, Message-IDs and tokens are fresh: one
// message of each kind the poller must tell apart, and the malformed mail it must survive.
const CRLF = '\r\n';
const DATE = 'Date: Mon, 02 Jun 2025 10:00:00 +0300';

export interface Envelope {
  from: string;
  to?: string;
  subject: string;
  messageId?: string;
  headers?: string[];
}

export function plainMail(e: Envelope, body: string): string {
  return [
    `From: ${e.from}`,
    `To: ${e.to ?? 'IMPRO CEĻOJUMI <impro@impro.lv>'}`,
    `Subject: ${encodeSubject(e.subject)}`,
    ...(e.messageId ? [`Message-ID: ${e.messageId}`] : []),
    DATE,
    ...(e.headers ?? []),
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
    'Content-Transfer-Encoding: 8bit',
    '',
    body,
    '',
  ].join(CRLF);
}

function encodeSubject(subject: string): string {
  return /^[\x20-\x7e]*$/.test(subject) ? subject : `=?UTF-8?B?${Buffer.from(subject).toString('base64')}?=`;
}

export function unsubscribeLv(from: string, messageId: string, headers: string[] = []): string {
  return plainMail(
    { from, subject: 'Atteikšanās', messageId, headers: ['Authentication-Results: mx.impro.lv; dkim=pass header.d=example.lv; spf=pass; dmarc=pass', ...headers] },
    'Labdien!\r\n\r\nLūdzu, vairs nesūtiet man e-Jaunumus, vēlos atteikties no jūsu jaunumiem.\r\n\r\nAr cieņu,\r\nAnna',
  );
}

export function unsubscribeEn(from: string, messageId: string): string {
  return plainMail({ from, subject: 'Unsubscribe', messageId }, 'Hello,\r\n\r\nPlease unsubscribe me from your newsletter, I no longer want to receive these emails.\r\n\r\nThanks');
}

/** Sent to the List-Unsubscribe mailto: the token decides, whatever the body says. */
export function mailtoUnsubscribe(from: string, token: string, messageId: string): string {
  return plainMail({ from, to: `unsubscribe+${token}@impro.lv`, subject: 'unsubscribe', messageId }, 'Sveiki! Kad būs nākamais brauciens uz Itāliju?');
}

export function accessRequestEn(from: string, messageId: string): string {
  return plainMail(
    { from, subject: 'Data access request', messageId },
    'Dear IMPRO,\r\n\r\nUnder GDPR article 15 I request access to all personal data you hold about me. Please send me a copy of my data.\r\n\r\nRegards',
  );
}

/** A reply to a newsletter that quotes its footer but asks about a trip. */
export function quotedFooterQuestion(from: string, messageId: string): string {
  return plainMail(
    { from, subject: 'Re: e-Jaunumi: Rudens Itālijā', messageId, headers: ['In-Reply-To: <0123456789abcdef01234567.0123456789abcdef01234567@impro.lv>'] },
    [
      'Labdien, vai braucienā uz Toskānu vēl ir brīvas vietas 12. oktobrī? Mēs būtu divi.',
      '',
      'Pirmdien, 2025. gada 2. jūnijā, IMPRO CEĻOJUMI rakstīja:',
      '> Rudens Itālijā — Toskānas vīna ceļš, 7 dienas.',
      '> SIA „IMPRO CEĻOJUMI”, Merķeļa iela 13-204, Rīga, LV-1050 · impro@impro.lv',
      '> Atteikties no e-Jaunumiem / Unsubscribe',
    ].join(CRLF),
  );
}

export function autoReply(from: string, messageId: string): string {
  return plainMail(
    { from, subject: 'Automātiskā atbilde: Atteikšanās', messageId, headers: ['Auto-Submitted: auto-replied', 'X-Auto-Response-Suppress: All'] },
    'Esmu atvaļinājumā līdz 20. jūnijam. Lūdzu, vairs nesūtiet steidzamus jautājumus uz šo adresi.',
  );
}

export interface OurMail {
  recipient: string;
  campaignId: string;
  subscriberId: string;
}

function returnedHeaders(o: OurMail): string[] {
  return [
    'From: IMPRO CEĻOJUMI <e-jaunumi@impro.lv>',
    `To: ${o.recipient}`,
    'Subject: Rudens Italija',
    `Message-ID: <${o.campaignId}.${o.subscriberId}@impro.lv>`,
    `X-Ejaunumi-Campaign: ${o.campaignId}`,
    DATE,
  ];
}

/** RFC 3464 delivery-status report (Postfix style); the recipient also appears in the returned headers. */
export function dsn(
  o: OurMail & { messageId: string; status: string; diagnostic: string; action?: string; to?: string; headers?: string[]; returned?: string[] },
): string {
  const boundary = 'dsn-boundary-7f3a';
  return [
    'From: MAILER-DAEMON@mx.example.lv (Mail Delivery System)',
    `To: ${o.to ?? 'e-jaunumi@impro.lv'}`,
    ...(o.headers ?? []),
    'Subject: Undelivered Mail Returned to Sender',
    `Message-ID: ${o.messageId}`,
    DATE,
    'Auto-Submitted: auto-replied',
    'MIME-Version: 1.0',
    `Content-Type: multipart/report; report-type=delivery-status; boundary="${boundary}"`,
    '',
    `--${boundary}`,
    'Content-Type: text/plain; charset=us-ascii',
    '',
    'This is the mail system at host mx.example.lv.',
    '',
    `<${o.recipient}>: host mx.example.lv said: ${o.diagnostic}`,
    '',
    `--${boundary}`,
    'Content-Type: message/delivery-status',
    '',
    'Reporting-MTA: dns; mx.example.lv',
    '',
    `Final-Recipient: rfc822; ${o.recipient}`,
    `Original-Recipient: rfc822; ${o.recipient}`,
    `Action: ${o.action ?? (o.status.startsWith('5') ? 'failed' : 'delayed')}`,
    `Status: ${o.status}`,
    `Diagnostic-Code: smtp; ${o.diagnostic}`,
    '',
    `--${boundary}`,
    'Content-Type: text/rfc822-headers',
    '',
    ...(o.returned ?? returnedHeaders(o)),
    '',
    `--${boundary}--`,
    '',
  ].join(CRLF);
}

/** RFC 5965 abuse report as mailbox providers send it. */
export function arfComplaint(o: OurMail & { messageId: string; feedbackType?: string; headers?: string[]; returned?: string[] }): string {
  const boundary = 'arf-boundary-19c2';
  return [
    'From: Mail.lv Feedback Loop <fbl@mail.example.lv>',
    'To: e-jaunumi@impro.lv',
    ...(o.headers ?? []),
    'Subject: Abuse report',
    `Message-ID: ${o.messageId}`,
    DATE,
    'MIME-Version: 1.0',
    `Content-Type: multipart/report; report-type=feedback-report; boundary="${boundary}"`,
    '',
    `--${boundary}`,
    'Content-Type: text/plain; charset=us-ascii',
    '',
    'This is an email abuse report for an email message received from IP 192.0.2.10.',
    '',
    `--${boundary}`,
    'Content-Type: message/feedback-report',
    '',
    `Feedback-Type: ${o.feedbackType ?? 'abuse'}`,
    'User-Agent: ExampleFBL/1.0',
    'Version: 1',
    `Original-Rcpt-To: ${o.recipient}`,
    'Source-IP: 192.0.2.10',
    '',
    `--${boundary}`,
    'Content-Type: message/rfc822',
    '',
    ...(o.returned ?? returnedHeaders(o)),
    'Content-Type: text/plain; charset=utf-8',
    '',
    'Rudens Italija',
    '',
    `--${boundary}--`,
    '',
  ].join(CRLF);
}

/** Broken MIME: no Message-ID, a boundary the body never uses, a charset that does not exist. */
export function brokenMime(from: string): string {
  return [
    `From: ${from}`,
    'To: impro@impro.lv',
    'Subject: =?x-unknown-charset?Q?Jaut=E2jums?=',
    DATE,
    'MIME-Version: 1.0',
    'Content-Type: multipart/mixed; boundary="declared-but-missing"',
    '',
    '--some-other-boundary',
    'Content-Type: text/plain; charset=klingon-8',
    'Content-Transfer-Encoding: base64',
    '',
    '!!!not base64 at all%%%',
    '--some-other-boundary',
    'Content-Type: application/octet-stream',
    '',
    '\u0000\u0001\u0002',
    '',
  ].join(CRLF);
}

/** A person's request with a large attachment (a scanned, signed letter). */
export function withAttachment(from: string, messageId: string, bytes: number): string {
  const boundary = 'att-boundary-55aa';
  const data = Buffer.alloc(bytes, 0x5a).toString('base64').replace(/.{76}/g, '$&\r\n');
  return [
    `From: ${from}`,
    'To: impro@impro.lv',
    'Subject: Unsubscribe',
    `Message-ID: ${messageId}`,
    DATE,
    'MIME-Version: 1.0',
    `Content-Type: multipart/mixed; boundary="${boundary}"`,
    '',
    `--${boundary}`,
    'Content-Type: text/plain; charset=utf-8',
    '',
    'Please unsubscribe me from your newsletter. My signed letter is attached.',
    `--${boundary}`,
    'Content-Type: application/pdf; name="letter.pdf"',
    'Content-Transfer-Encoding: base64',
    'Content-Disposition: attachment; filename="letter.pdf"',
    '',
    data,
    `--${boundary}--`,
    '',
  ].join(CRLF);
}

/** A forward of a forward: message/rfc822 inside message/rfc822, and nothing said by the sender. */
export function nestedForward(from: string, messageId: string): string {
  const inner = plainMail({ from: 'someone@example.com', subject: 'Original', messageId: '<inner@example.com>' }, 'Inner text');
  const middle = ['From: middle@example.com', 'Subject: Fwd: Original', 'MIME-Version: 1.0', 'Content-Type: message/rfc822', '', inner].join(CRLF);
  return ['From: ' + from, 'To: impro@impro.lv', 'Subject: Fwd: Fwd: Original', `Message-ID: ${messageId}`, DATE, 'MIME-Version: 1.0', 'Content-Type: message/rfc822', '', middle].join(CRLF);
}

export function emptyBody(from: string, messageId: string): string {
  return plainMail({ from, subject: '', messageId }, '');
}

/** Anyone can write this to impro@impro.lv: a "bounce" naming a victim, in no report format at all. */
export function forgedBounce(from: string, victim: string, messageId: string): string {
  return plainMail(
    { from, subject: 'Undeliverable: Rudens Itālijā', messageId },
    ['Delivery has failed to these recipients or groups:', '', `${victim}`, '550 5.1.1 user unknown ' + victim, '', 'The e-mail address you entered could not be found.'].join(CRLF),
  );
}

/** Amazon SES complaint JSON pasted into an ordinary mail by whoever wants someone unsubscribed. */
export function forgedSesComplaint(from: string, victim: string, messageId: string): string {
  const notification = {
    notificationType: 'Complaint',
    complaint: { complainedRecipients: [{ emailAddress: victim }], complaintFeedbackType: 'abuse', timestamp: '2025-06-02T07:00:00.000Z', feedbackId: 'x' },
    mail: { source: 'e-jaunumi@impro.lv', destination: [victim] },
  };
  return plainMail({ from, subject: 'AWS Notification Message', messageId }, JSON.stringify({ Type: 'Notification', Message: JSON.stringify(notification) }));
}

/** Returned headers of a mail that was not ours (or whose ids the report dropped). */
export function strangerHeaders(recipient: string): string[] {
  return ['From: Shop <news@shop.example>', `To: ${recipient}`, 'Subject: Sale', 'Message-ID: <sale-123@shop.example>', DATE];
}
