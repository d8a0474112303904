// The access-export mail summarises in words: the language by name, each list by its name in quotes
// with its state as the preferences page says it, suppressions by what they mean.
import { expect } from 'chai';
import { AccessExport } from '../../src/domain/requests/access-export';
import { hashEmail } from '../../src/domain/email-address';
import { RequesterMail } from '../../src/domain/requests/requester-mail';
import { createTestContext, type TestContext } from '../helpers/context';
import { createSubscriber, DEFAULT_LIST } from '../helpers/factories';
import { to } from '../signup/helpers';

describe('access export mail: words, not codes', () => {
  let t: TestContext;
  before(async () => {
    t = await createTestContext();
    await t.c.models.lists.create({ slug: 'celojumi-gimenem', name: { lv: 'Ceļojumi ģimenēm', en: 'Family trips' }, public: true });
  });
  after(async () => t.close());

  it('names the language, lists and states in Latvian', async () => {
    const email = 'eksports@example.lv';
    await createSubscriber(t.c, { email, locale: 'en', lists: { [DEFAULT_LIST]: 'active', 'celojumi-gimenem': 'unsubscribed' } });
    const requesterMail = new RequesterMail({ mailer: t.c.mailer, emails: t.c.emails, listHeaders: t.c.listHeaders, mailboxAddress: t.config.mailboxAddress });
    const settings = { retention: t.config.retention, publicBaseUrl: t.config.publicBaseUrl, mailboxAddress: t.config.mailboxAddress };
    await new AccessExport({ models: t.c.models, requesterMail, now: () => new Date(), settings }).send({ number: 'DSR-1', email, emailHash: hashEmail(email, t.c.config.emailHashKey), locale: 'lv' });
    const [mail] = await t.waitForMails(1, to(email));
    const text = mail!.parsed.text ?? '';
    expect(text).to.contain('- Valoda: angļu');
    expect(text).to.contain('- „e-Jaunumi” — abonēts\n- „Ceļojumi ģimenēm” — abonements atcelts');
    expect(text).not.to.match(/atteicies|e-jaunumi:|Valoda: (lv|en)\b/);
    expect(text).to.contain('Ja kādi dati nav pareizi');
  });
});
