// Mails to the person behind a data-subject request (verification link, extension notice, access
// export). A subscriber's mail carries the List-* headers and the same unsubscribe link in the
// footer; someone we hold no subscription for gets the mailbox address in that footer slot instead.
import type { EmailTemplates } from '../../mail/email-templates';
import type { ListHeaderBuilder } from '../../mail/list-headers';
import type { Mailer, OutgoingMail } from '../../mail/mailer';

export type MailLocale = 'lv' | 'en';

export interface RequesterMailInput {
  to: string;
  subscriberId?: string;
  locale: MailLocale;
  template: string;
  vars: Record<string, unknown>;
  attachments?: OutgoingMail['attachments'];
}

export class RequesterMail {
  constructor(
    private readonly deps: { mailer: Mailer; emails: EmailTemplates; listHeaders: ListHeaderBuilder; mailboxAddress: string },
  ) {}

  async send(input: RequesterMailInput): Promise<void> {
    const links = input.subscriberId ? this.deps.listHeaders.build({ subscriberId: input.subscriberId }) : undefined;
    const unsubscribeUrl = links?.unsubscribeUrl ?? `mailto:${this.deps.mailboxAddress}`;
    const rendered = await this.deps.emails.render(input.template, input.locale, { ...input.vars, unsubscribeUrl });
    await this.deps.mailer.send({
      to: input.to,
      subject: rendered.subject,
      html: rendered.html,
      text: rendered.text,
      headers: links?.headers,
      replyTo: this.deps.mailboxAddress,
      attachments: input.attachments,
      envelopeFrom: links?.returnPath,
    });
  }
}
