// The DPO's people API: finding a person (exact, partial, by name, list and state, paged), one
// person's whole page, the actions taken from it (rectify, restrict and lift, erase on a checked
// paper letter), the audit trail of each, and the roles: a marketer reaches none of it.
import { expect } from 'chai';
import { DEFAULT_LIST } from '../../src/data/list.model';
import { hashEmail } from '../../src/domain/email-address';
import { addressFragment } from '../../src/domain/people/person-search';
import { createTestContext, type TestContext } from '../helpers/context';
import { createSubscriber } from '../helpers/factories';
import { api, type Json } from '../requests/helpers';

const ids = (body: Json): string[] => body.items.map((i: { id: string }) => i.id);

describe('people: admin API', function () {
  this.timeout(60_000);
  let t: TestContext;
  const people: Record<string, string> = {};

  before(async () => {
    t = await createTestContext();
    await t.c.models.lists.create({ slug: 'celojumi', name: { lv: 'Ceļojumi', en: 'Travel' } });
    const add = async (key: string, opts: Parameters<typeof createSubscriber>[1]) => {
      people[key] = String((await createSubscriber(t.c, opts))._id);
    };
    await add('anna', { email: 'Anna.Ozola@example.lv', name: 'Anna Ozola', lists: { [DEFAULT_LIST]: 'active', celojumi: 'pending' } });
    await add('joanna', { email: 'joanna.ozola@example.lv', name: 'Joanna Ozola', lists: { [DEFAULT_LIST]: 'unsubscribed' } });
    await add('maris', { email: 'maris@ķīki.lv', name: 'Māris Bērziņš', locale: 'en', lists: { celojumi: 'active' } });
    await add('dots', { email: 'a.b-c@example.com', name: 'Punkts (Test)', lists: { [DEFAULT_LIST]: 'active' } });
    for (let i = 0; i < 7; i++) await add(`page${i}`, { email: `lapa${i}@paging.lv`, name: `Lapa ${i}`, lists: { [DEFAULT_LIST]: 'active' } });
  });
  after(async () => t.close());

  describe('search', () => {
    it('finds the whole address through the index, whatever its case', async () => {
      const res = await api(t, 'dpo', 'GET', '/subscribers?email=ANNA.OZOLA@Example.LV');
      expect(res.status).to.equal(200);
      expect(ids(res.body)).to.deep.equal([people.anna]);
      expect(res.body.items[0]).to.deep.include({ email: 'Anna.Ozola@example.lv', name: 'Anna Ozola', restricted: false });
      expect(res.body.items[0].lists).to.deep.equal({ [DEFAULT_LIST]: 'active', celojumi: 'pending' });
      expect(res.body.next).to.equal(null);
      const lists = await api(t, 'dpo', 'GET', '/subscribers/lists');
      expect(lists.body.items).to.deep.include({ slug: 'celojumi', name: { lv: 'Ceļojumi', en: 'Travel' } });
      // The exact search does not find an address that merely contains it.
      expect(ids((await api(t, 'dpo', 'GET', '/subscribers?email=ozola@example.lv')).body)).to.deep.equal([]);
    });

    it('finds a part of the address on its normalised form, in any case', async () => {
      const res = await api(t, 'dpo', 'GET', `/subscribers?address=${encodeURIComponent('OZOLA@EXAMPLE')}`);
      expect(ids(res.body)).to.have.members([people.anna, people.joanna]);
      // An internationalised domain is stored in punycode; the fragment is spelt the same way.
      expect(addressFragment('Ķīki.LV')).to.equal('xn--ki-xoa1c.lv');
      expect(ids((await api(t, 'dpo', 'GET', `/subscribers?address=${encodeURIComponent('ķīki.lv')}`)).body)).to.deep.equal([people.maris]);
    });

    it('takes regular-expression characters literally', async () => {
      expect(ids((await api(t, 'dpo', 'GET', `/subscribers?address=${encodeURIComponent('.*')}`)).body)).to.deep.equal([]);
      expect(ids((await api(t, 'dpo', 'GET', `/subscribers?address=${encodeURIComponent('a.b-c@')}`)).body)).to.deep.equal([people.dots]);
      expect(ids((await api(t, 'dpo', 'GET', `/subscribers?name=${encodeURIComponent('(test)')}`)).body)).to.deep.equal([people.dots]);
      expect(ids((await api(t, 'dpo', 'GET', `/subscribers?address=${encodeURIComponent('a+b')}`)).body)).to.deep.equal([]);
    });

    it('finds a part of the name in any case, diacritics included', async () => {
      expect(ids((await api(t, 'dpo', 'GET', '/subscribers?name=ozol')).body)).to.have.members([people.anna, people.joanna]);
      expect(ids((await api(t, 'dpo', 'GET', `/subscribers?name=${encodeURIComponent('BĒRZIŅ')}`)).body)).to.deep.equal([people.maris]);
    });

    it('narrows by list and state, also combined with a name', async () => {
      const active = await api(t, 'dpo', 'GET', '/subscribers?list=celojumi&state=active');
      expect(ids(active.body)).to.deep.equal([people.maris]);
      expect(ids((await api(t, 'dpo', 'GET', '/subscribers?list=celojumi')).body)).to.have.members([people.anna, people.maris]);
      expect(ids((await api(t, 'dpo', 'GET', `/subscribers?list=${DEFAULT_LIST}&state=unsubscribed`)).body)).to.deep.equal([people.joanna]);
      expect(ids((await api(t, 'dpo', 'GET', `/subscribers?list=${DEFAULT_LIST}&state=active&name=ozola`)).body)).to.deep.equal([people.anna]);
      expect(ids((await api(t, 'dpo', 'GET', '/subscribers?list=nav-tada')).body)).to.deep.equal([]);
    });

    it('pages in a stable order with next and after, with or without a list', async () => {
      const expected = Array.from({ length: 7 }, (_, i) => people[`page${i}`]!);
      for (const base of ['/subscribers?address=paging.lv', `/subscribers?address=paging.lv&list=${DEFAULT_LIST}&state=active`]) {
        const seen: string[] = [];
        let after: string | null = null;
        let pages = 0;
        do {
          const res: { status: number; body: Json } = await api(t, 'dpo', 'GET', `${base}&limit=3${after ? `&after=${after}` : ''}`);
          expect(res.status).to.equal(200);
          expect(res.body.items.length).to.be.at.most(3);
          seen.push(...ids(res.body));
          after = res.body.next;
          pages++;
        } while (after && pages < 10);
        expect(seen, base).to.deep.equal(expected);
        expect(pages).to.equal(3);
      }
    });

    it('answers 400 for bad input, never 500', async () => {
      for (const query of [
        '',
        'limit=10',
        'email=not-an-address',
        'email=a@example.lv&address=example',
        'state=active',
        'list=Not%20A%20List',
        'state=deleted&list=e-jaunumi',
        'name=a&limit=0',
        'name=a&limit=101',
        'name=a&after=123',
        'name=a&name=b',
        'address[$ne]=x',
        `address=${'x'.repeat(300)}`,
        'name=a&sort=email',
      ]) {
        const res = await api(t, 'dpo', 'GET', `/subscribers?${query}`);
        expect(res.status, query).to.equal(400);
        expect(res.body.error.message, query).to.be.a('string');
      }
    });
  });

  describe('a person', () => {
    it('shows lists, restriction, suppressions with evidence, the timeline, requests and inbound mail', async () => {
      const c = t.c;
      const anna = await c.models.subscribers.findById(people.anna).lean();
      const campaign = await c.models.campaigns.create({ name: 'Pavasaris', list: DEFAULT_LIST, subject: 'Pavasara ceļojumi', mjml: '<mjml></mjml>', author: 'marketer@impro.lv' });
      const inbound = await c.models.inboundMessages.create({
        dedupeKey: 'mid:<q1@example.lv>',
        messageId: '<q1@example.lv>',
        mailbox: 'INBOX',
        uidKey: '1:1',
        from: anna!.email,
        fromHash: anna!.emailHash,
        subject: 'Lūdzu, pārtrauciet',
        kind: 'unsubscribe',
        outcome: 'applied',
        receivedAt: new Date('2026-11-20T10:00:00Z'),
      });
      const bounce = await c.models.inboundMessages.create({ dedupeKey: 'mid:<b1@mx>', mailbox: 'INBOX', uidKey: '1:2', subject: 'Undelivered', kind: 'bounce', outcome: 'applied', receivedAt: new Date('2026-11-21T10:00:00Z') });
      await c.ledger.record({
        subscriberId: anna!._id,
        emailHash: anna!.emailHash,
        list: DEFAULT_LIST,
        type: 'requested',
        channel: 'web-form',
        ip: '192.0.2.7',
        userAgent: 'Mozilla/5.0 (test)',
        policyVersion: 1,
        consentText: 'Piekrītu saņemt e-Jaunumus',
        at: new Date('2026-01-01T09:00:00Z'),
      });
      await c.ledger.record({ subscriberId: anna!._id, emailHash: anna!.emailHash, list: DEFAULT_LIST, type: 'withdrawn', channel: 'one-click', campaignId: campaign._id, at: new Date('2026-02-01T09:00:00Z') });
      await c.suppressions.suppress(anna!.emailHash, 'soft-bounce', 'mailbox full', undefined, {
        evidence: { inboundMessageId: String(bounce._id), status: '4.2.2', matchedBy: 'verp' },
        expiresAt: new Date(Date.now() + 86_400_000),
      });
      const request = await api(t, 'dpo', 'POST', '/requests', { type: 'access', email: 'anna.ozola@example.lv', channel: 'admin' });
      expect(request.status).to.equal(201);

      const res = await api(t, 'dpo', 'GET', `/subscribers/${people.anna}`);
      expect(res.status).to.equal(200);
      const p = res.body;
      expect(p).to.deep.include({ id: people.anna, email: 'Anna.Ozola@example.lv', name: 'Anna Ozola', locale: 'lv', restricted: false });
      expect(p.lists.map((l: Json) => [l.list, l.status])).to.deep.equal([
        ['celojumi', 'pending'],
        [DEFAULT_LIST, 'active'],
      ]);
      expect(p.lists[0].name).to.deep.equal({ lv: 'Ceļojumi', en: 'Travel' });
      expect(p.suppressions).to.have.length(1);
      expect(p.suppressions[0]).to.deep.include({ reason: 'soft-bounce', active: true });
      expect(p.suppressions[0].evidence).to.deep.equal({ inboundMessageId: String(bounce._id), status: '4.2.2', matchedBy: 'verp' });
      expect(p.timeline.map((e: Json) => e.type)).to.deep.equal(['requested', 'withdrawn']);
      expect(p.timeline[0]).to.deep.include({ channel: 'web-form', policyVersion: 1, consentText: 'Piekrītu saņemt e-Jaunumus', ip: '192.0.2.7', userAgent: 'Mozilla/5.0 (test)', campaign: null });
      expect(p.timeline[1].campaign).to.deep.equal({ id: String(campaign._id), name: 'Pavasaris', subject: 'Pavasara ceļojumi' });
      expect(p.requests.map((r: Json) => r.id)).to.deep.equal([request.body.id]);
      expect(p.requests[0]).to.deep.include({ type: 'access', status: 'awaiting-verification' });
      const byId = new Map(p.inbound.map((m: Json) => [m.id, m]));
      expect(byId.get(String(inbound._id))).to.deep.include({ subject: 'Lūdzu, pārtrauciet', kind: 'unsubscribe', via: ['sender'] });
      expect(byId.get(String(bounce._id))).to.deep.include({ kind: 'bounce', via: ['suppression'] });
      expect(p.inbound[0].id, 'newest first').to.equal(String(bounce._id));
    });

    it('answers 404 for nobody and 400 for what is not an id', async () => {
      expect((await api(t, 'dpo', 'GET', '/subscribers/0123456789abcdef01234567')).status).to.equal(404);
      expect((await api(t, 'dpo', 'GET', '/subscribers/nobody')).status).to.equal(400);
      expect((await api(t, 'dpo', 'PATCH', '/subscribers/0123456789abcdef01234567', { name: 'X' })).status).to.equal(404);
      expect((await api(t, 'dpo', 'POST', '/subscribers/0123456789abcdef01234567/erasure', { reason: 'letter' })).status).to.equal(404);
    });
  });

  describe('actions', () => {
    it('rectifies name and language: in the subscriber, the ledger and the audit', async () => {
      const res = await api(t, 'dpo', 'PATCH', `/subscribers/${people.joanna}`, { name: 'Joanna Ozoliņa', locale: 'en' });
      expect(res.status).to.equal(200);
      expect(res.body.changed).to.have.members(['name', 'locale']);
      const stored = await t.c.models.subscribers.findById(people.joanna).lean();
      expect(stored).to.deep.include({ name: 'Joanna Ozoliņa', locale: 'en' });
      const event = await t.c.models.consentEvents.findOne({ subscriberId: stored!._id, type: 'rectified' }).lean();
      expect(event).to.deep.include({ channel: 'admin', actor: 'dpo@impro.lv' });
      const again = await api(t, 'dpo', 'PATCH', `/subscribers/${people.joanna}`, { name: 'Joanna Ozoliņa' });
      expect(again.body.changed).to.deep.equal([]);
      for (const body of [{}, { locale: 'de' }, { name: 'x'.repeat(500) }, { name: 'Ok', email: 'other@example.lv' }]) {
        expect((await api(t, 'dpo', 'PATCH', `/subscribers/${people.joanna}`, body)).status, JSON.stringify(body)).to.equal(400);
      }
    });

    it('restricts and lifts, mailing the art. 18(3) notice before the lift', async () => {
      expect((await api(t, 'dpo', 'POST', `/subscribers/${people.maris}/restriction`, {})).body).to.deep.include({ restricted: true, changed: true });
      expect((await api(t, 'dpo', 'GET', `/subscribers/${people.maris}`)).body.restricted).to.equal(true);
      expect((await api(t, 'dpo', 'DELETE', `/subscribers/${people.maris}/restriction`)).body).to.deep.include({ restricted: false, changed: true });
      // Māris chose English.
      const [notice] = await t.waitForMails(1, (m) => m.to.includes('maris@ķīki.lv'));
      expect(notice!.parsed.subject).to.equal('The restriction of processing of your data is being lifted');
      const timeline = (await api(t, 'dpo', 'GET', `/subscribers/${people.maris}`)).body.timeline.map((e: Json) => e.type);
      expect(timeline).to.include.members(['restricted', 'restriction-lifted']);
    });

    it('erases at once on a checked paper letter: tombstone, no verification mail, reason in history and audit', async () => {
      const target = await createSubscriber(t.c, { email: 'vestule@example.lv', name: 'Vēstules Rakstītāja', lists: { [DEFAULT_LIST]: 'active' } });
      const id = String(target._id);
      const mailsBefore = (await t.mails()).filter((m) => m.to.includes('vestule@example.lv')).length;
      expect((await api(t, 'dpo', 'POST', `/subscribers/${id}/erasure`, {})).status, 'a reason is required').to.equal(400);
      expect((await api(t, 'dpo', 'POST', `/subscribers/${id}/erasure`, { reason: 'x', receivedAt: '2999-01-01' })).status, 'a future letter').to.equal(400);
      const receivedAt = new Date(Date.now() - 2 * 86_400_000).toISOString();
      const res = await api(t, 'dpo', 'POST', `/subscribers/${id}/erasure`, { reason: 'Parakstīta vēstule, paraksts salīdzināts', receivedAt });
      expect(res.status).to.equal(201);
      expect(res.body).to.deep.include({ type: 'erasure', channel: 'letter', status: 'done', receivedAt });
      expect(res.body.actions.map((a: Json) => a.action)).to.deep.equal(['received', 'verified-by-dpo', 'erased']);
      expect(await t.c.models.subscribers.exists({ _id: target._id })).to.equal(null);
      const hash = hashEmail('vestule@example.lv', t.config.emailHashKey);
      expect(await t.c.models.suppressions.findOne({ emailHash: hash }).lean()).to.deep.include({ reason: 'erasure' });
      expect((await t.mails()).filter((m) => m.to.includes('vestule@example.lv')).length, 'no verification link mailed').to.equal(mailsBefore);
      expect((await api(t, 'dpo', 'GET', `/subscribers/${id}`)).status).to.equal(404);
      const audit = await t.c.models.auditEntries.findOne({ action: 'subscriber.erase', target: id }).lean();
      expect(audit?.details).to.deep.include({ reason: 'Parakstīta vēstule, paraksts salīdzināts', request: res.body.number });
    });

    it('confirms a letter’s erasure request waiting for verification, and nothing else', async () => {
      await createSubscriber(t.c, { email: 'papirs@example.lv', lists: { [DEFAULT_LIST]: 'active' } });
      const letter = (await api(t, 'dpo', 'POST', '/requests', { type: 'erasure', email: 'papirs@example.lv', channel: 'letter' })).body;
      expect(letter.status).to.equal('awaiting-verification');
      const done = await api(t, 'dpo', 'POST', `/requests/${letter.id}/confirm-erasure`, { reason: 'Vēstule ar parakstu' });
      expect(done.status).to.equal(200);
      expect(done.body.status).to.equal('done');
      expect(await t.c.models.subscribers.exists({ emailKey: 'papirs@example.lv' })).to.equal(null);
      expect((await api(t, 'dpo', 'POST', `/requests/${letter.id}/confirm-erasure`, { reason: 'again' })).status).to.equal(409);
      // An export must reach a proven address; a request by mail proves nothing on paper.
      const access = (await api(t, 'dpo', 'POST', '/requests', { type: 'access', email: 'papirs2@example.lv', channel: 'letter' })).body;
      expect((await api(t, 'dpo', 'POST', `/requests/${access.id}/confirm-erasure`, { reason: 'x' })).status).to.equal(409);
      const byMail = (await api(t, 'dpo', 'POST', '/requests', { type: 'erasure', email: 'papirs3@example.lv', channel: 'mailbox' })).body;
      expect((await api(t, 'dpo', 'POST', `/requests/${byMail.id}/confirm-erasure`, { reason: 'x' })).status).to.equal(409);
      expect((await api(t, 'dpo', 'POST', `/requests/${byMail.id}/confirm-erasure`, {})).status).to.equal(400);
    });
  });

  it('audits every search and read, naming the criteria but not their text', async () => {
    const before = await t.c.models.auditEntries.countDocuments();
    await api(t, 'dpo', 'GET', '/subscribers?address=ozola&list=celojumi');
    await api(t, 'dpo', 'GET', `/subscribers/${people.anna}`);
    const entries = await t.c.models.auditEntries.find().sort({ at: 1, _id: 1 }).skip(before).lean();
    expect(entries.map((e) => [e.action, e.actor, e.role])).to.deep.equal([
      ['subscriber.search', 'dpo@impro.lv', 'dpo'],
      ['subscriber.read', 'dpo@impro.lv', 'dpo'],
    ]);
    expect(entries[0]!.details).to.deep.equal({ criteria: ['address', 'list'], found: 1 });
    expect(JSON.stringify(entries[0])).not.to.contain('ozola');
    expect(entries[0]!.target).to.equal(people.anna);
    expect(entries[1]!.target).to.equal(people.anna);
  });

  it('admits dpo and admin only: a marketer gets 403 on every people route, no token 401', async () => {
    const id = people.anna;
    const routes: Array<[string, string, unknown?]> = [
      ['GET', '/subscribers?address=ozola'],
      ['GET', `/subscribers/${id}`],
      ['GET', '/subscribers/lists'],
      ['PATCH', `/subscribers/${id}`, { name: 'X' }],
      ['POST', `/subscribers/${id}/erasure`, { reason: 'x' }],
      ['POST', `/subscribers/${id}/restriction`, {}],
      ['DELETE', `/subscribers/${id}/restriction`],
      ['POST', '/requests/0123456789abcdef01234567/confirm-erasure', { reason: 'x' }],
    ];
    for (const [method, path, body] of routes) {
      expect((await api(t, 'marketer', method, path, body)).status, `marketer ${method} ${path}`).to.equal(403);
      expect((await api(t, null, method, path, body)).status, `anonymous ${method} ${path}`).to.equal(401);
    }
    expect((await api(t, 'admin', 'GET', `/subscribers/${id}`)).status).to.equal(200);
    expect(await t.c.models.subscribers.findById(id, { name: 1 }).lean()).to.deep.include({ name: 'Anna Ozola' });
  });
});
