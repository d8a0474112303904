// The DPO reviews suppressions: what a bounce or complaint left, with its evidence, and lifts a wrong
// one with a reason (audited, in the consent ledger). Soft-bounce suppressions expire.
import { expect } from 'chai';
import { createTestContext, type TestContext } from '../helpers/context';
import { createSubscriber, DEFAULT_LIST } from '../helpers/factories';

describe('suppression review', () => {
  let t: TestContext;
  let now = new Date('2026-03-01T10:00:00Z');

  beforeEach(async () => {
    now = new Date('2026-03-01T10:00:00Z');
    t = await createTestContext({ clock: { now: () => now } });
  });

  afterEach(async () => {
    await t.close();
  });

  const api = (method: string, url: string, role: 'dpo' | 'marketer' | 'admin', body?: unknown) =>
    fetch(`${t.baseUrl}/api/v1/admin${url}`, {
      method,
      headers: { authorization: `Bearer ${t.token(role)}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });

  const evidence = { inboundMessageId: '65f0c0ffee0000000000abcd', status: '5.1.1', diagnostic: 'smtp; 550 5.1.1 user unknown', matchedBy: 'message-id' };

  it('shows an address\'s suppression with its evidence to the DPO, and audits the lookup', async () => {
    const anna = await createSubscriber(t.c, { email: 'anna@example.lv', lists: { [DEFAULT_LIST]: 'active' } });
    await t.c.suppressions.suppress(anna.emailHash, 'hard-bounce', '5.1.1 user unknown', undefined, { evidence });

    expect((await api('GET', '/suppressions?email=anna@example.lv', 'marketer')).status).to.equal(403);
    const res = await api('GET', '/suppressions?email=Anna@Example.LV', 'dpo');
    expect(res.status).to.equal(200);
    const { items } = (await res.json()) as { items: Array<Record<string, unknown>> };
    expect(items).to.have.length(1);
    expect(items[0]).to.deep.include({ reason: 'hard-bounce', detail: '5.1.1 user unknown', evidence, active: true, expiresAt: null });
    expect(await t.c.models.auditEntries.countDocuments({ action: 'suppression.search' })).to.equal(1);
    expect((await api('GET', '/suppressions', 'dpo')).status).to.equal(400);
  });

  it('lifts a wrong suppression with a reason: audited, a consent-ledger event, and the address is mailable again', async () => {
    const anna = await createSubscriber(t.c, { email: 'anna@example.lv', lists: { [DEFAULT_LIST]: 'active' } });
    await t.c.suppressions.suppress(anna.emailHash, 'hard-bounce', 'forged', undefined, { evidence });
    const [{ id }] = ((await (await api('GET', '/suppressions?email=anna@example.lv', 'dpo')).json()) as { items: Array<{ id: string }> }).items;

    expect((await api('DELETE', `/suppressions/${id}`, 'dpo', {})).status).to.equal(400);
    expect((await api('DELETE', `/suppressions/${id}`, 'marketer', { reason: 'x' })).status).to.equal(403);
    const res = await api('DELETE', `/suppressions/${id}`, 'dpo', { reason: 'forged bounce, the person still reads our mail' });
    expect(res.status).to.equal(200);

    expect(await t.c.suppressions.isSuppressed(anna.emailHash)).to.equal(false);
    const [event] = await t.c.models.consentEvents.find({ subscriberId: anna._id, type: 'suppression-lifted' }).lean();
    expect(event).to.include({ channel: 'admin', actor: 'dpo@impro.lv', note: 'hard-bounce lifted: forged bounce, the person still reads our mail' });
    const [entry] = await t.c.models.auditEntries.find({ action: 'suppression.lift' }).lean();
    expect(entry).to.include({ target: id, actor: 'dpo@impro.lv', role: 'dpo' });
    expect((await api('DELETE', `/suppressions/${id}`, 'dpo', { reason: 'again' })).status).to.equal(404);
  });

  it('never lifts an erasure tombstone (only the person\'s own new opt-in does)', async () => {
    const anna = await createSubscriber(t.c, { email: 'anna@example.lv' });
    await t.c.suppressions.suppress(anna.emailHash, 'erasure', 'DSR-2026-0001');
    const [{ id }] = ((await (await api('GET', '/suppressions?email=anna@example.lv', 'admin')).json()) as { items: Array<{ id: string }> }).items;

    expect((await api('DELETE', `/suppressions/${id}`, 'admin', { reason: 'by mistake' })).status).to.equal(409);
    expect(await t.c.suppressions.isSuppressed(anna.emailHash)).to.equal(true);
  });

  it('lets a soft-bounce suppression expire where suppressions are read, and suppresses again after it', async () => {
    const anna = await createSubscriber(t.c, { email: 'anna@example.lv' });
    const day = 86_400_000;
    expect(await t.c.suppressions.suppress(anna.emailHash, 'soft-bounce', '3 soft bounces', undefined, { expiresAt: new Date(now.getTime() + 30 * day) })).to.equal(true);
    expect(await t.c.suppressions.isSuppressed(anna.emailHash)).to.equal(true);
    expect([...(await t.c.suppressions.suppressedAmong([anna.emailHash]))]).to.deep.equal([anna.emailHash]);

    now = new Date(now.getTime() + 31 * day);
    expect(await t.c.suppressions.isSuppressed(anna.emailHash)).to.equal(false);
    expect(await t.c.suppressions.reasonFor(anna.emailHash)).to.equal(undefined);
    expect(await t.c.suppressions.suppressedAmong([anna.emailHash])).to.have.property('size', 0);

    // A hard bounce after an expired soft one is permanent again.
    expect(await t.c.suppressions.suppress(anna.emailHash, 'hard-bounce', '5.1.1')).to.equal(true);
    expect(await t.c.suppressions.reasonFor(anna.emailHash)).to.equal('hard-bounce');
    now = new Date(now.getTime() + 365 * day);
    expect(await t.c.suppressions.isSuppressed(anna.emailHash)).to.equal(true);
  });

  it('makes a soft-bounce suppression permanent when a hard bounce follows while it lasts', async () => {
    const anna = await createSubscriber(t.c, { email: 'anna@example.lv' });
    await t.c.suppressions.suppress(anna.emailHash, 'soft-bounce', 'full', undefined, { expiresAt: new Date(now.getTime() + 86_400_000) });
    expect(await t.c.suppressions.suppress(anna.emailHash, 'hard-bounce', '5.1.1')).to.equal(true);
    now = new Date(now.getTime() + 2 * 86_400_000);
    expect(await t.c.suppressions.reasonFor(anna.emailHash)).to.equal('hard-bounce');
  });
});
