// GDPR details around requests: extensions only in the first month (art. 12(3)); reject and complete
// tell the person why and where to complain (art. 12(4)); a restriction is lifted only after the
// person was told (art. 18(3)); erasure leaves the person's own pending access request working.
import { expect } from 'chai';
import { DEFAULT_LIST } from '../../src/data/list.model';
import { createTestContext, type TestContext } from '../helpers/context';
import { createSubscriber } from '../helpers/factories';
import { to } from '../signup/helpers';
import { api, postForm, verifyTokenIn } from './helpers';

const DAY = 86_400_000;

describe('requests: GDPR details', () => {
  let t: TestContext;
  let refuse = false;
  before(async () => {
    t = await createTestContext({ respond: (rcpt) => (refuse && rcpt.startsWith('refuse.') ? { code: 550, message: 'no such user' } : undefined) });
  });
  after(async () => t.close());

  it('extends only within the first month of receipt', async () => {
    const late = await api(t, 'dpo', 'POST', '/requests', { type: 'withdrawal', email: 'late@example.lv', channel: 'letter', receivedAt: new Date(Date.now() - 40 * DAY).toISOString() });
    // A withdrawal closes at once; an access request stays open.
    const old = await api(t, 'dpo', 'POST', '/requests', { type: 'access', email: 'late.access@example.lv', channel: 'letter', receivedAt: new Date(Date.now() - 32 * DAY).toISOString() });
    expect(late.status).to.equal(201);
    const refused = await api(t, 'dpo', 'POST', `/requests/${old.body.id}/extend`, { reason: 'too late now' });
    expect(refused.status).to.equal(409);
    expect(refused.body.error.message).to.contain('within one month of receipt');
    const recent = await api(t, 'dpo', 'POST', '/requests', { type: 'access', email: 'recent.access@example.lv', channel: 'letter', receivedAt: new Date(Date.now() - 20 * DAY).toISOString() });
    expect((await api(t, 'dpo', 'POST', `/requests/${recent.body.id}/extend`, { reason: 'archive search', months: 1 })).status).to.equal(200);
  });

  it('tells the person the reasons of a rejection and their right to complain, in Latvian by default', async () => {
    const email = 'rejected.person@example.lv';
    const created = await api(t, 'dpo', 'POST', '/requests', { type: 'access', email, channel: 'letter' });
    await api(t, 'dpo', 'POST', `/requests/${created.body.id}/reject`, { reason: 'Pieprasījums atkārtojas bez pamata' });
    const [mail] = await t.waitForMails(1, (m) => to(email)(m) && /Atbilde uz Jūsu pieprasījumu/.test(m.parsed.subject ?? ''));
    expect(mail!.parsed.text).to.contain('Pieprasījums atkārtojas bez pamata');
    expect(mail!.parsed.text).to.contain('Datu valsts inspekcij');
    expect(mail!.parsed.text).to.contain(created.body.number);
  });

  it('tells an English-speaking person of a completed request, with the note and the right to complain', async () => {
    const email = 'completed.person@example.lv';
    await createSubscriber(t.c, { email, locale: 'en', lists: { [DEFAULT_LIST]: 'active' } });
    const created = await api(t, 'dpo', 'POST', '/requests', { type: 'rectification', email, channel: 'letter' });
    await api(t, 'dpo', 'POST', `/requests/${created.body.id}/complete`, { note: 'Your surname is corrected as you asked on the phone.' });
    const [mail] = await t.waitForMails(1, (m) => to(email)(m) && /has been completed/.test(m.parsed.subject ?? ''));
    expect(mail!.parsed.text).to.contain('Your surname is corrected');
    expect(mail!.parsed.text).to.contain('Data State Inspectorate');
  });

  it('mails the person before lifting a restriction, and keeps it when the mail cannot go', async () => {
    const email = 'lift.me@example.lv';
    const subscriber = await createSubscriber(t.c, { email, restricted: true, lists: { [DEFAULT_LIST]: 'active' } });
    const res = await api(t, 'dpo', 'DELETE', `/subscribers/${subscriber._id}/restriction`);
    expect(res.status).to.equal(200);
    expect(res.body).to.include({ restricted: false, changed: true });
    const [mail] = await t.waitForMails(1, (m) => to(email)(m) && /ierobežojums tiek atcelts/i.test(m.parsed.subject ?? ''));
    expect(mail!.parsed.text).to.contain('18. panta 3. punktu');

    refuse = true;
    try {
      const blocked = await createSubscriber(t.c, { email: 'refuse.lift@example.lv', restricted: true, lists: { [DEFAULT_LIST]: 'active' } });
      const failed = await api(t, 'dpo', 'DELETE', `/subscribers/${blocked._id}/restriction`);
      expect(failed.status).to.be.at.least(500);
      expect((await t.c.models.subscribers.findById(blocked._id).lean())!.restricted).to.equal(true);
    } finally {
      refuse = false;
    }
  });

  it('erasure leaves the person their own pending access request: its export still arrives', async function () {
    this.timeout(30_000);
    const email = 'erase.and.access@example.lv';
    await createSubscriber(t.c, { email, name: 'Ieva', lists: { [DEFAULT_LIST]: 'active' } });
    const access = await api(t, 'dpo', 'POST', '/requests', { type: 'access', email, channel: 'letter' });
    const erasure = await api(t, 'dpo', 'POST', '/requests', { type: 'erasure', email, channel: 'letter' });
    const mails = await t.waitForMails(2, to(email));
    const linkOf = (number: string) => verifyTokenIn(mails.find((m) => (m.parsed.text ?? '').includes(number))!);
    expect((await postForm(t, `/r/${linkOf(erasure.body.number)}`)).status).to.equal(200);
    expect((await api(t, 'dpo', 'GET', `/requests/${access.body.id}`)).body.email).to.equal(email);

    const verified = await postForm(t, `/r/${linkOf(access.body.number)}`);
    expect(verified.status).to.equal(200);
    const exported = await t.waitForMails(1, (m) => to(email)(m) && m.parsed.attachments.length > 0);
    expect(exported).to.have.length(1);
    const after = (await api(t, 'dpo', 'GET', `/requests/${access.body.id}`)).body;
    expect(after.status).to.equal('done');
    // Answered: now it keeps only the hash, like the rest of the erased person's requests.
    expect(after.email).to.equal(null);
    expect(after.subscriberId).to.equal(null);
  });
});
