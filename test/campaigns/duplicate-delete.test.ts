// The editor's housekeeping: duplicating a campaign into a new draft, deleting a draft (and only a
// draft), and counting the people of a list a `{{name}}` without a fallback would greet by nothing.
import { expect } from 'chai';
import { createTestContext, type TestContext } from '../helpers/context';
import { createSubscriber } from '../helpers/factories';
import { api, createCampaign, NEWSLETTER, seedAudience } from './helpers';

const ENGLISH = { subject: 'Summer', preheader: 'Italy', mjml: '<mj-section><mj-column><mj-text>Hello {{name|friend}}</mj-text></mj-column></mj-section>' };

describe('campaigns: duplicate, delete a draft, nameless people on a list', () => {
  let t: TestContext;
  before(async () => {
    t = await createTestContext();
  });
  after(async () => t.close());

  it('duplicates a campaign, both versions, into a new draft, audited', async () => {
    const id = await createCampaign(t, { name: 'Pavasaris', preheader: 'Itālija', en: ENGLISH });
    await api(t, 'POST', `/campaigns/${id}/send`, { at: new Date(Date.now() + 86_400_000).toISOString() });
    const copy = await api(t, 'POST', `/campaigns/${id}/duplicate`, {});
    expect(copy.status, copy.text).to.equal(201);
    expect(copy.json).to.include({ name: 'Pavasaris (kopija)', status: 'draft', list: 'e-jaunumi', subject: 'Sveiki, {{name}}!', preheader: 'Itālija' });
    expect(copy.json.id).not.to.equal(id);
    const full = (await api(t, 'GET', `/campaigns/${copy.json.id}`)).json;
    expect(full.mjml).to.equal(NEWSLETTER);
    expect(full.en).to.deep.equal(ENGLISH);
    const stored = await t.c.models.campaigns.findById(copy.json.id).lean();
    expect(stored!.html).to.contain('Vasaras ceļojumi uz Itāliju.');
    expect(stored!.scheduledAt).to.equal(undefined);
    const named = await api(t, 'POST', `/campaigns/${id}/duplicate`, { name: 'Rudens' });
    expect(named.json.name).to.equal('Rudens');
    const audit = await t.c.models.auditEntries.find({ action: 'campaign.duplicate' }).lean();
    expect(audit.map((a) => a.target).sort()).to.deep.equal([copy.json.id, named.json.id].sort());
    expect((await api(t, 'POST', '/campaigns/0123456789abcdef01234567/duplicate', {})).status).to.equal(404);
  });

  it('deletes a draft, audited; refuses with 409 anything that is not a draft', async () => {
    const draft = await createCampaign(t, { name: 'Dzēšamais' });
    const deleted = await api(t, 'DELETE', `/campaigns/${draft}`);
    expect(deleted.status, deleted.text).to.equal(204);
    expect(await t.c.models.campaigns.findById(draft).lean()).to.equal(null);
    expect((await api(t, 'GET', `/campaigns/${draft}`)).status).to.equal(404);
    expect((await api(t, 'DELETE', `/campaigns/${draft}`)).status).to.equal(404);
    expect(await t.c.models.auditEntries.countDocuments({ action: 'campaign.delete', target: draft })).to.equal(1);

    const scheduled = await createCampaign(t, { name: 'Ieplānotais' });
    await api(t, 'POST', `/campaigns/${scheduled}/send`, { at: new Date(Date.now() + 86_400_000).toISOString() });
    const cancelled = await createCampaign(t, { name: 'Atceltais' });
    await api(t, 'POST', `/campaigns/${cancelled}/cancel`);
    for (const id of [scheduled, cancelled]) {
      const refused = await api(t, 'DELETE', `/campaigns/${id}`);
      expect(refused.status).to.equal(409);
      expect(refused.json.error.message).to.match(/only a draft can/);
      expect(await t.c.models.campaigns.findById(id).lean()).not.to.equal(null);
    }
    expect(await t.c.models.auditEntries.countDocuments({ action: 'campaign.delete', target: { $in: [scheduled, cancelled] } })).to.equal(0);
    // Only marketers (and admins) may.
    expect((await api(t, 'DELETE', `/campaigns/${scheduled}`, undefined, 'dpo')).status).to.equal(403);
  });

  it('of a draft deleted and sent at the same moment, exactly one wins', async () => {
    const id = await createCampaign(t, { name: 'Sacensība' });
    const [del, send] = await Promise.all([api(t, 'DELETE', `/campaigns/${id}`), api(t, 'POST', `/campaigns/${id}/send`, { at: new Date(Date.now() + 86_400_000).toISOString() })]);
    const statuses = [del.status, send.status].sort();
    // Deleted (204) and the send refused (404 or 409), or scheduled (202) and the deletion refused (409).
    expect([['204', '404'], ['204', '409'], ['202', '409']].map(String)).to.include(statuses.map(String).join(','));
    const stored = await t.c.models.campaigns.findById(id).lean();
    expect(stored === null).to.equal(del.status === 204);
  });

  it('counts the active subscribers of a list without a name', async () => {
    await t.c.models.lists.create({ slug: 'vardi', name: { lv: 'Vārdi', en: 'Names' } });
    await seedAudience(t.c, 30, { prefix: 'ar-vardu', list: 'vardi' });
    await seedAudience(t.c, 7, { prefix: 'bez-varda', list: 'vardi', name: () => '' });
    await seedAudience(t.c, 2, { prefix: 'tukss', list: 'vardi', name: () => '   ' });
    await seedAudience(t.c, 5, { prefix: 'atteikusies', list: 'vardi', status: 'unsubscribed', name: () => '' });
    await createSubscriber(t.c, { email: 'cits@example.lv', lists: { 'e-jaunumi': 'active' } });
    const res = await api(t, 'GET', '/campaigns/nameless?list=vardi');
    expect(res.status, res.text).to.equal(200);
    expect(res.json).to.deep.equal({ list: 'vardi', recipients: 39, checked: 39, nameless: 9, complete: true });
    // A long list is read only up to the bound, page by page, and says so.
    expect(await t.c.campaigns.namelessOnList('vardi', { limit: 35, page: 10 })).to.deep.equal({ list: 'vardi', recipients: 39, checked: 35, nameless: 5, complete: false });
    expect((await api(t, 'GET', '/campaigns/nameless?list=nav-tada')).status).to.equal(400);
    expect((await api(t, 'GET', '/campaigns/nameless')).status).to.equal(400);
  });
});
