// Which of our campaigns a bounce or complaint is about. Reports return our mail's headers (as
// message/rfc822 or text/rfc822-headers, often only there): the campaign sender stamps
// X-Ejaunumi-Campaign, Feedback-ID and a Message-ID of the form <campaignId.subscriberId@domain>.

const HEX24 = '([0-9a-f]{24})';

/** Searches the body only: the report's own top-level headers are not our mail's. */
export function campaignOf(raw: Buffer, mailDomain: string): string | undefined {
  const text = raw.toString('latin1');
  const bodyStart = /\r?\n\r?\n/.exec(text);
  const body = bodyStart ? text.slice(bodyStart.index) : '';
  const domain = mailDomain.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const byMessageId = new RegExp(`^Message-ID:\\s*<${HEX24}\\.[0-9a-f]{24}@${domain}>`, 'mi').exec(body);
  const byHeader = new RegExp(`^X-Ejaunumi-Campaign:\\s*<?${HEX24}`, 'mi').exec(body);
  const byFeedbackId = new RegExp(`^Feedback-ID:\\s*${HEX24}\\b`, 'mi').exec(body);
  return (byHeader ?? byFeedbackId ?? byMessageId)?.[1]?.toLowerCase();
}
