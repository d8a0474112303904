// Which recipients the mailbox itself receives mail for: MAILBOX_ADDRESS, and on its domain the
// List-Unsubscribe mailto (unsubscribe+TOKEN@) and the VERP return path (bounces+TOKEN@). The
// embedded SMTP sink delivers exactly these into the development Maildir.
export interface MailboxRecipientSettings {
  mailboxAddress: string;
  unsubscribeMailtoLocal: string;
  bounceAddressLocal: string;
}

export function mailboxRecipients(settings: MailboxRecipientSettings): (address: string) => boolean {
  const mailbox = settings.mailboxAddress.toLowerCase();
  const domain = mailbox.slice(mailbox.lastIndexOf('@') + 1);
  const locals = [settings.unsubscribeMailtoLocal, settings.bounceAddressLocal].map((l) => l.toLowerCase());
  return (address) => {
    const a = address.trim().toLowerCase();
    if (a === mailbox) return true;
    const at = a.lastIndexOf('@');
    if (at < 0 || a.slice(at + 1) !== domain) return false;
    const local = a.slice(0, at);
    const base = local.includes('+') ? local.slice(0, local.indexOf('+')) : local;
    return locals.includes(base);
  };
}
