// Spam complaints: ARF feedback reports (RFC 5965; Yahoo, AOL, Mail.ru, Microsoft's JMRP in
// its ARF dress), the older JMRP shape (an abuse-report text with the message attached), and SES
// complaint notifications. The recipient we want is our subscriber: often redacted by the
// provider, so it may be missing.

import {
  allParts,
  extractAddresses,
  headerValue,
  headerValues,
  normaliseAddress,
  parseHeaderBlock,
  returnedHeaderBlocks,
  type ClassifyOptions,
  type HeaderList,
  type MailView,
} from './classification';
import { asObject, sesNotification } from './bounce';

export interface ComplaintResult {
  recipient?: string;
  feedbackType: string;
  reason: string;
  confidence: number;
  evidence: string;
}

export function detectComplaint(view: MailView, opts: ClassifyOptions = {}): ComplaintResult | null {
  const ses = sesNotification(view);
  if (ses?.type === 'Complaint') return sesComplaint(ses.body);

  const report = feedbackReportFields(view);
  const arf = report.length > 0 || /feedback-report/i.test(view.root.params['report-type'] ?? '');
  if (!arf && !isJmrp(view)) return null;

  const feedbackType = (headerValue(report, 'feedback-type') ?? 'abuse').trim().toLowerCase();
  const recipient = complainant(view, report, opts);
  const reason = arf ? 'ARF feedback report' : 'abuse report (JMRP)';
  // Without the complainant there is nobody to act on: a person looks at it.
  const confidence = !recipient ? 0.6 : arf ? 0.95 : 0.85;
  const evidence = arf ? `Feedback-Type: ${feedbackType}` : 'abuse report text';
  return { ...(recipient ? { recipient } : {}), feedbackType, reason, confidence, evidence };
}

function feedbackReportFields(view: MailView): HeaderList {
  const part = allParts(view.root).find((p) => p.type === 'message/feedback-report');
  if (part) return parseHeaderBlock(part.text);
  // Broken MIME: an ARF block still starts with Feedback-Type and carries a Version field.
  const m = /^Feedback-Type[ \t]*:/im.exec(view.raw);
  if (!m) return [];
  const fields = parseHeaderBlock(view.raw.slice(m.index).split(/\r?\n\s*\r?\n/)[0]);
  return headerValue(fields, 'version') || headerValue(fields, 'user-agent') ? fields : [];
}

/** Microsoft JMRP without ARF: an abuse-report text or Hotmail's original-recipient header. */
function isJmrp(view: MailView): boolean {
  if (/this is an (?:e-?mail )?abuse report/i.test(view.text.slice(0, 64 * 1024))) return true;
  if (/^complaint about message from/i.test(view.subject)) return true;
  const fromMicrosoft = /@(?:[\w-]+\.)*(?:hotmail|outlook|msn|live|microsoft)\.com$/i.test(view.from ?? '');
  const hmxmr = returnedHeaderBlocks(view.root).some((h) => headerValue(h, 'x-hmxmroriginalrecipient'));
  return fromMicrosoft && hmxmr;
}

function complainant(view: MailView, report: HeaderList, opts: ClassifyOptions): string | undefined {
  const own = new Set((opts.ownAddresses ?? []).map(normaliseAddress));
  const returned = returnedHeaderBlocks(view.root);
  const candidates = [
    ...['original-rcpt-to', 'removal-recipient'].flatMap((n) => headerValues(report, n)),
    ...[...returned, view.headers].flatMap((h) => headerValues(h, 'x-hmxmroriginalrecipient')),
    ...returned.flatMap((h) => headerValues(h, 'to')),
    ...returned.flatMap(ourRecipientHeaders),
  ].flatMap(extractAddresses);
  return candidates.find((a) => !own.has(a) && !isRedacted(a));
}

/** Our own X-Ejaunumi-* headers survive providers that redact To. */
function ourRecipientHeaders(headers: HeaderList): string[] {
  return headers.filter(([name]) => name.startsWith('x-ejaunumi')).map(([, value]) => value);
}

function isRedacted(address: string): boolean {
  const local = address.split('@')[0];
  return /redacted/i.test(address) || /^[x*#]+$/i.test(local);
}

function sesComplaint(body: Record<string, unknown>): ComplaintResult {
  const complaint = asObject(body.complaint);
  const recipients = Array.isArray(complaint.complainedRecipients) ? complaint.complainedRecipients : [];
  const address = asObject(recipients[0]).emailAddress;
  const recipient = typeof address === 'string' ? extractAddresses(address)[0] : undefined;
  const type = complaint.complaintFeedbackType;
  const feedbackType = typeof type === 'string' && type ? type.toLowerCase() : 'abuse';
  return {
    ...(recipient ? { recipient } : {}),
    feedbackType,
    reason: 'Amazon SES complaint notification',
    confidence: recipient ? 0.95 : 0.6,
    evidence: `SES complaint: ${feedbackType}`,
  };
}
