// The marketers' admin API: roles, drafts with strict MJML validation, preview, test sends, state
// rules, and lists.
import { expect } from 'chai';
import { createTestContext, type TestContext } from '../helpers/context';
import { createSubscriber } from '../helpers/factories';
import { api, createCampaign, NEWSLETTER } from './helpers';

describe('campaigns admin API', () => {
  let t: TestContext;
  before(async () => {
    t = await createTestContext();
  });
  after(async () => t.close());

  it('admits marketer and admin, refuses dpo (403) and anonymous (401)', async () => {
    expect((await api(t, 'GET', '/campaigns', undefined, 'marketer')).status).to.equal(200);
    expect((await api(t, 'GET', '/campaigns', undefined, 'admin')).status).to.equal(200);
    expect((await api(t, 'GET', '/campaigns', undefined, 'dpo')).status).to.equal(403);
    expect((await api(t, 'GET', '/lists', undefined, 'dpo')).status).to.equal(403);
    expect((await fetch(`${t.baseUrl}/api/v1/admin/campaigns`)).status).to.equal(401);
  });

  it('creates a draft (201), lists it, shows zero stats, and audits the change', async () => {
    const res = await api(t, 'POST', '/campaigns', { name: 'Rudens', list: 'e-jaunumi', subject: 'Rudens', mjml: NEWSLETTER });
    expect(res.status).to.equal(201);
    expect(res.json).to.include({ status: 'draft', list: 'e-jaunumi', author: 'marketer@impro.lv' });
    const shown = await api(t, 'GET', `/campaigns/${res.json.id}`);
    expect(shown.json.stats).to.include({ queued: 0, sent: 0, skipped: 0, failed: 0 });
    const listed = await api(t, 'GET', '/campaigns?status=draft');
    expect(listed.json.items.map((c: { id: string }) => c.id)).to.include(res.json.id);
    const audit = await t.c.models.auditEntries.findOne({ action: 'campaign.create', target: res.json.id }).lean();
    expect(audit?.actor).to.equal('marketer@impro.lv');
  });

  it('takes a newsletter far larger than the public 10 kB body limit', async () => {
    const offers = Array.from({ length: 300 }, (_, i) => `<mj-text>Piedāvājums ${i}: nedēļa Romā, viesnīca un lidojums.</mj-text>`).join('\n');
    const mjml = `<mj-section><mj-column>${offers}</mj-column></mj-section>`;
    expect(mjml.length).to.be.greaterThan(20_000);
    const res = await api(t, 'POST', '/campaigns', { name: 'Liels', list: 'e-jaunumi', subject: 'Liels', mjml });
    expect(res.status, res.text).to.equal(201);
  });

  it('answers invalid MJML with 400 and MJML line numbers; bad input with 400, never 500', async () => {
    const mjml = `<mj-section>\n  <mj-column>\n    <mj-text>ok</mj-text>\n    <mj-txt>typo</mj-txt>\n  </mj-column>\n</mj-section>`;
    const res = await api(t, 'POST', '/campaigns', { name: 'x', list: 'e-jaunumi', subject: 's', mjml });
    expect(res.status).to.equal(400);
    expect(res.json.error.code).to.equal('invalid_mjml');
    expect(res.json.error.details.errors[0]).to.include({ line: 4, tag: 'mj-txt' });
    for (const body of [
      { name: 'x', list: 'e-jaunumi', subject: 's' },
      { name: 'x', list: 'e-jaunumi', subject: 's', mjml: NEWSLETTER, extra: 1 },
      { name: 'x', list: { $gt: '' }, subject: 's', mjml: NEWSLETTER },
      { name: 'x', list: 'nav-tada', subject: 's', mjml: NEWSLETTER },
    ]) {
      expect((await api(t, 'POST', '/campaigns', body)).status, JSON.stringify(body)).to.equal(400);
    }
    expect((await api(t, 'GET', '/campaigns/not-an-id')).status).to.equal(400);
    expect((await api(t, 'GET', '/campaigns/0123456789abcdef01234567')).status).to.equal(404);
  });

  it('edits drafts (recompiling), previews HTML with sample merge fields', async () => {
    const id = await createCampaign(t);
    const edited = await api(t, 'PATCH', `/campaigns/${id}`, { subject: 'Jauns temats, {{name}}', preheader: 'Īsi' });
    expect(edited.status).to.equal(200);
    expect(edited.json.subject).to.equal('Jauns temats, {{name}}');
    const bad = await api(t, 'PATCH', `/campaigns/${id}`, { mjml: '<mj-section><mj-column><mj-text bad="1">x</mj-text></mj-column></mj-section>' });
    expect(bad.status).to.equal(400);
    const preview = await api(t, 'GET', `/campaigns/${id}/preview`);
    expect(preview.status).to.equal(200);
    expect(preview.headers.get('content-type')).to.contain('text/html');
    expect(preview.headers.get('content-security-policy')).to.contain("default-src 'none'");
    expect(preview.text).to.contain('Labdien, Anna Paraugs!');
    expect(preview.text).to.contain('Atteikties no e-Jaunumiem');
  });

  it('test-sends marked as test, with working links for a known colleague, not counted', async () => {
    const colleague = await createSubscriber(t.c, { email: 'kolega@impro.lv', name: 'Kolēģe', lists: { 'e-jaunumi': 'active' } });
    const id = await createCampaign(t);
    const res = await api(t, 'POST', `/campaigns/${id}/test`, { to: ['kolega@impro.lv', 'Cits@Impro.LV'] });
    expect(res.status).to.equal(202);
    expect(res.json.results.map((r: { status: string }) => r.status)).to.deep.equal(['sent', 'sent']);
    const mails = await t.waitForMails(2, (m) => m.parsed.headers.get('x-ejaunumi-campaign') === id);
    for (const mail of mails) {
      expect(mail.parsed.subject).to.match(/^\[TEST\] Sveiki[,!]/);
      expect(mail.parsed.headers.get('x-ejaunumi-test')).to.equal('1');
    }
    const own = mails.find((m) => m.to.includes(colleague.email))!;
    expect(own.parsed.subject).to.equal('[TEST] Sveiki, Kolēģe!');
    // A colleague without a name: the greeting closes up instead of "Sveiki, !".
    expect(mails.find((m) => m !== own)!.parsed.subject).to.equal('[TEST] Sveiki!');
    expect(own.parsed.headers.get('x-ejaunumi-subscriber')).to.equal(String(colleague._id));
    expect(await t.c.models.deliveries.countDocuments({ campaignId: id })).to.equal(0);
    expect((await api(t, 'GET', `/campaigns/${id}`)).json.status).to.equal('draft');
    expect((await api(t, 'POST', `/campaigns/${id}/test`, { to: ['not an address'] })).status).to.equal(400);
  });

  it('schedules with a local Riga time, refuses past times and actions that do not fit the state (409)', async () => {
    const id = await createCampaign(t);
    expect((await api(t, 'POST', `/campaigns/${id}/pause`)).status).to.equal(409);
    expect((await api(t, 'POST', `/campaigns/${id}/send`, { at: '2020-01-01T10:00' })).status).to.equal(400);
    expect((await api(t, 'POST', `/campaigns/${id}/send`, { at: '2099-03-10T10:00', timeZone: 'Nowhere/City' })).status).to.equal(400);
    const scheduled = await api(t, 'POST', `/campaigns/${id}/send`, { at: '2099-03-10T10:00' });
    expect(scheduled.status).to.equal(202);
    expect(scheduled.json).to.include({ status: 'scheduled', scheduledAt: '2099-03-10T08:00:00.000Z' });
    const job = await t.c.queues.fanout.getJob(`fanout-${id}`);
    expect(await job?.isDelayed()).to.equal(true);
    // Rescheduling replaces the job; cancelling removes it.
    await api(t, 'POST', `/campaigns/${id}/send`, { at: '2099-07-07T10:00' });
    expect((await api(t, 'GET', `/campaigns/${id}`)).json.scheduledAt).to.equal('2099-07-07T07:00:00.000Z');
    expect((await api(t, 'POST', `/campaigns/${id}/cancel`)).json.status).to.equal('cancelled');
    expect(await t.c.queues.fanout.getJob(`fanout-${id}`)).to.equal(undefined);
    expect((await api(t, 'POST', `/campaigns/${id}/cancel`)).status).to.equal(409);
    expect((await api(t, 'PATCH', `/campaigns/${id}`, { name: 'late' })).status).to.equal(409);
  });

  it('manages lists: create, rename, describe, public flag; duplicates 409', async () => {
    const created = await api(t, 'POST', '/lists', { slug: 'celojumi', name: { lv: 'Ceļojumi', en: 'Travel' }, public: false });
    expect(created.status).to.equal(201);
    expect(created.json).to.deep.include({ slug: 'celojumi', public: false, subscriptions: { pending: 0, active: 0, unsubscribed: 0, lapsed: 0 } });
    expect((await api(t, 'POST', '/lists', { slug: 'celojumi', name: { lv: 'X', en: 'X' } })).status).to.equal(409);
    expect((await api(t, 'POST', '/lists', { slug: 'Bad Slug', name: { lv: 'X', en: 'X' } })).status).to.equal(400);
    const renamed = await api(t, 'PATCH', '/lists/celojumi', { name: { lv: 'Ceļojumu jaunumi', en: 'Travel news' }, description: { lv: 'Apraksts', en: 'About' }, public: true });
    expect(renamed.json).to.deep.include({ name: { lv: 'Ceļojumu jaunumi', en: 'Travel news' }, public: true });
    expect((await api(t, 'PATCH', '/lists/nav', { public: true })).status).to.equal(404);
    const all = await api(t, 'GET', '/lists');
    expect(all.json.items.map((l: { slug: string }) => l.slug)).to.include.members(['e-jaunumi', 'celojumi']);
    expect((await t.c.models.lists.findOne({ slug: 'celojumi' }).lean())?.public).to.equal(true);
  });
});
