// The DPO's API for data-subject requests: registration, numbering, deadlines and extension,
// closing actions, metrics, roles and the audit trail.
import { expect } from 'chai';
import { createTestContext, type TestContext } from '../helpers/context';
import { addCalendarMonths } from '../../src/domain/requests/requests';
import { api, verifyTokenIn } from './helpers';

describe('requests: admin API', () => {
  let t: TestContext;
  before(async () => {
    t = await createTestContext();
  });
  after(async () => t.close());

  it('adds calendar months, clamping to the end of a shorter month', () => {
    expect(addCalendarMonths(new Date('2026-01-31T10:00:00Z'), 1).toISOString()).to.equal('2026-02-28T10:00:00.000Z');
    expect(addCalendarMonths(new Date('2028-01-31T10:00:00Z'), 1).toISOString()).to.equal('2028-02-29T10:00:00.000Z');
    expect(addCalendarMonths(new Date('2026-03-15T00:00:00Z'), 3).toISOString()).to.equal('2026-06-15T00:00:00.000Z');
    expect(addCalendarMonths(new Date('2026-11-30T00:00:00Z'), 2).toISOString()).to.equal('2027-01-30T00:00:00.000Z');
  });

  it('registers a paper letter: 201 with a number, due one calendar month after receipt', async () => {
    const receivedAt = '2026-01-31T09:00:00.000Z';
    const res = await api(t, 'dpo', 'POST', '/requests', { type: 'access', email: 'Letter.Writer@Example.LV', channel: 'letter', note: 'letter of 30 Jan', receivedAt });
    expect(res.status).to.equal(201);
    expect(res.body.id).to.match(/^[0-9a-f]{24}$/);
    expect(res.body.number).to.match(/^DSR-\d{4}-\d{4}$/);
    expect(res.body.status).to.equal('awaiting-verification');
    expect(res.body.dueAt).to.equal('2026-02-28T09:00:00.000Z');
    expect(res.body.email).to.equal('Letter.Writer@example.lv');
    expect(res.body.actions.map((a: { action: string }) => a.action)).to.deep.equal(['received', 'verification-sent']);
  });

  it('answers 400 for a malformed address, an unknown type or extra fields, never 500', async () => {
    expect((await api(t, 'dpo', 'POST', '/requests', { type: 'access', email: 'not-an-address', channel: 'admin' })).status).to.equal(400);
    expect((await api(t, 'dpo', 'POST', '/requests', { type: 'delete-all', email: 'a@example.lv', channel: 'admin' })).status).to.equal(400);
    expect((await api(t, 'dpo', 'POST', '/requests', { type: 'access', email: { $gt: '' }, channel: 'admin' })).status).to.equal(400);
    expect((await api(t, 'dpo', 'POST', '/requests', { type: 'access', email: 'a@example.lv', channel: 'admin', $where: '1' })).status).to.equal(400);
    expect((await api(t, 'dpo', 'GET', '/requests?status=all')).status).to.equal(400);
    expect((await api(t, 'dpo', 'GET', '/requests/not-an-id')).status).to.equal(400);
    expect((await api(t, 'dpo', 'GET', '/requests/0123456789abcdef01234567')).status).to.equal(404);
  });

  it('gives concurrent registrations distinct numbers (claimed through the unique index)', async () => {
    const results = await Promise.all(
      Array.from({ length: 12 }, (_, i) => api(t, 'dpo', 'POST', '/requests', { type: 'restriction', email: `race${i}@example.lv`, channel: 'admin' })),
    );
    expect(results.map((r) => r.status)).to.deep.equal(Array(12).fill(201));
    const numbers = results.map((r) => r.body.number as string);
    expect(new Set(numbers).size).to.equal(12);
  });

  it('lists open requests overdue and due-within-7-days first, and counts them in the metrics', async () => {
    const metricsBefore = (await api(t, 'dpo', 'GET', '/metrics/requests')).body;
    const now = Date.now();
    const days = (n: number) => new Date(now + n * 86_400_000).toISOString();
    // Received 40 days ago: overdue. Received 27 days ago: due within about 4 days. Received today: a month left.
    const overdue = await api(t, 'dpo', 'POST', '/requests', { type: 'access', email: 'overdue@example.lv', channel: 'letter', receivedAt: days(-40) });
    const soon = await api(t, 'dpo', 'POST', '/requests', { type: 'erasure', email: 'soon@example.lv', channel: 'letter', receivedAt: days(-27) });
    const fresh = await api(t, 'dpo', 'POST', '/requests', { type: 'rectification', email: 'fresh@example.lv', channel: 'admin' });

    const open = await api(t, 'dpo', 'GET', '/requests?status=open');
    expect(open.status).to.equal(200);
    const ids = open.body.items.map((r: { id: string }) => r.id);
    expect(ids.indexOf(overdue.body.id)).to.be.lessThan(ids.indexOf(soon.body.id));
    expect(ids.indexOf(soon.body.id)).to.be.lessThan(ids.indexOf(fresh.body.id));
    const byId = new Map(open.body.items.map((r: { id: string }) => [r.id, r]));
    expect(byId.get(overdue.body.id)).to.include({ overdue: true, urgent: true });
    expect(byId.get(soon.body.id)).to.include({ overdue: false, urgent: true });
    expect(byId.get(fresh.body.id)).to.include({ overdue: false, urgent: false });

    const overdueList = await api(t, 'dpo', 'GET', '/requests?status=overdue');
    const overdueIds = overdueList.body.items.map((r: { id: string }) => r.id);
    expect(overdueIds).to.include(overdue.body.id).and.not.include(soon.body.id);

    const metrics = await api(t, 'dpo', 'GET', '/metrics/requests');
    expect(metrics.status).to.equal(200);
    expect(metrics.body.overdue - metricsBefore.overdue).to.equal(1);
    expect(metrics.body.dueWithin7Days - metricsBefore.dueWithin7Days).to.equal(1);
    expect(metrics.body.awaitingVerification - metricsBefore.awaitingVerification).to.equal(3);
    // The deadline that comes first is named: no open request is due before it.
    const overdueDue = new Date((byId.get(overdue.body.id) as { dueAt: string }).dueAt).getTime();
    expect(metrics.body.nearestDue).to.include.keys('id', 'number', 'dueAt');
    expect(new Date(metrics.body.nearestDue.dueAt).getTime()).to.be.at.most(overdueDue);
    expect(ids).to.include(metrics.body.nearestDue.id);
  });

  it('extends by at most two months in total, records the reason and mails the requester', async () => {
    // Extensions are decided within the first month (art. 12(3)): a letter of three days ago.
    const receivedAt = new Date(Date.now() - 3 * 86_400_000).toISOString();
    const created = await api(t, 'dpo', 'POST', '/requests', { type: 'access', email: 'extend.me@example.lv', channel: 'letter', receivedAt });
    const id = created.body.id;
    const once = await api(t, 'dpo', 'POST', `/requests/${id}/extend`, { reason: 'Dati jāmeklē arhīvā', months: 1 });
    expect(once.status).to.equal(200);
    expect(once.body.dueAt).to.equal(addCalendarMonths(new Date(receivedAt), 2).toISOString());
    expect(once.body.extendedMonths).to.equal(1);
    const twice = await api(t, 'dpo', 'POST', `/requests/${id}/extend`, { reason: 'Vēl viens mēnesis' });
    expect(twice.body.dueAt).to.equal(addCalendarMonths(new Date(receivedAt), 3).toISOString());
    expect(twice.body.extendedMonths).to.equal(2);
    expect(twice.body.extensionReason).to.equal('Vēl viens mēnesis');
    const third = await api(t, 'dpo', 'POST', `/requests/${id}/extend`, { reason: 'too long', months: 1 });
    expect(third.status).to.equal(409);
    expect((await api(t, 'dpo', 'POST', `/requests/${id}/extend`, {})).status).to.equal(400);

    const mails = await t.waitForMails(2, (m) => m.to.includes('extend.me@example.lv') && /termiņš pagarināts/i.test(m.parsed.subject ?? ''));
    expect(mails[0]!.parsed.text).to.contain('Dati jāmeklē arhīvā');
    expect(mails[1]!.parsed.text).to.contain('Vēl viens mēnesis');
    const history = (await api(t, 'dpo', 'GET', `/requests/${id}`)).body.actions.map((a: { action: string }) => a.action);
    expect(history.filter((a: string) => a === 'extended')).to.have.length(2);
  });

  it('rejects with a reason and completes; a closed request takes no further action', async () => {
    const a = (await api(t, 'dpo', 'POST', '/requests', { type: 'access', email: 'reject.me@example.lv', channel: 'admin' })).body;
    const rejected = await api(t, 'dpo', 'POST', `/requests/${a.id}/reject`, { reason: 'Identitāti nevarēja pārbaudīt' });
    expect(rejected.body).to.include({ status: 'rejected', rejectionReason: 'Identitāti nevarēja pārbaudīt' });
    expect(rejected.body.closedAt).to.be.a('string');
    expect((await api(t, 'dpo', 'POST', `/requests/${a.id}/complete`, {})).status).to.equal(409);
    expect((await api(t, 'dpo', 'POST', `/requests/${a.id}/extend`, { reason: 'x' })).status).to.equal(409);

    // The link of a rejected request discloses nothing and changes nothing.
    const mail = (await t.waitForMails(1, (m) => m.to.includes('reject.me@example.lv')))[0]!;
    const post = await fetch(`${t.baseUrl}/r/${verifyTokenIn(mail)}`, { method: 'POST', headers: { accept: 'text/html' } });
    expect(post.status).to.equal(409);

    const b = (await api(t, 'dpo', 'POST', '/requests', { type: 'rectification', email: 'complete.me@example.lv', channel: 'admin' })).body;
    const done = await api(t, 'dpo', 'POST', `/requests/${b.id}/complete`, { note: 'answered by phone' });
    expect(done.body.status).to.equal('done');
    const closed = await api(t, 'dpo', 'GET', '/requests?status=done');
    expect(closed.body.items.map((r: { id: string }) => r.id)).to.include.members([a.id, b.id]);
  });

  it('admits dpo and admin only: a marketer gets 403, no token 401', async () => {
    for (const [method, path] of [
      ['GET', '/requests'],
      ['POST', '/requests'],
      ['GET', '/metrics/requests'],
      ['POST', '/subscribers/0123456789abcdef01234567/restriction'],
    ] as const) {
      expect((await api(t, 'marketer', method, path, method === 'POST' ? {} : undefined)).status, `${method} ${path}`).to.equal(403);
      expect((await api(t, null, method, path, method === 'POST' ? {} : undefined)).status, `${method} ${path}`).to.equal(401);
    }
    expect((await api(t, 'admin', 'GET', '/requests')).status).to.equal(200);
  });

  it('records an audit entry for every DPO action, naming the actor', async () => {
    const before = await t.c.models.auditEntries.countDocuments({ action: /^request\./ });
    const created = (await api(t, 'dpo', 'POST', '/requests', { type: 'access', email: 'audited@example.lv', channel: 'admin' })).body;
    await api(t, 'dpo', 'GET', `/requests/${created.id}`);
    await api(t, 'dpo', 'GET', '/requests?status=open');
    await api(t, 'dpo', 'POST', `/requests/${created.id}/extend`, { reason: 'archive', months: 1 });
    await api(t, 'dpo', 'POST', `/requests/${created.id}/resend-verification`);
    await api(t, 'dpo', 'POST', `/requests/${created.id}/complete`, {});
    await api(t, 'dpo', 'GET', '/metrics/requests');
    const entries = await t.c.models.auditEntries.find({ action: /^request\./ }).sort({ at: 1, _id: 1 }).lean();
    const mine = entries.slice(before);
    expect(mine.map((e) => e.action)).to.deep.equal([
      'request.create',
      'request.read',
      'request.list',
      'request.extend',
      'request.resend-verification',
      'request.complete',
      'request.metrics',
    ]);
    expect(mine.every((e) => e.actor === 'dpo@impro.lv' && e.role === 'dpo')).to.equal(true);
    // The trail names requests by id, never by address.
    expect(JSON.stringify(mine)).not.to.contain('audited@example.lv');
  });
});
