// The two routes the console's editor needs: a preview of MJML not yet saved (stored nowhere,
// errors with the marketer's line numbers) and the audience a send now would reach.
import { expect } from 'chai';
import { DEFAULT_LIST } from '../../src/data/list.model';
import { createSubscriber } from '../helpers/factories';
import type { TestContext } from '../helpers/context';
import { addStaff, Browser, staffContext } from '../staff/helpers';

const MJML = '<mj-section><mj-column><mj-text>Sveiki, {{name}}!</mj-text></mj-column></mj-section>';

describe('campaign preview of unsaved MJML, and the audience count', () => {
  let t: TestContext;
  let browser: Browser;
  before(async () => {
    t = await staffContext();
    browser = await new Browser(t).signIn(await addStaff(t, 'marketer'));
  });
  after(() => t?.close());

  it('renders unsaved MJML with sample merge values and stores nothing', async () => {
    const res = await browser.post('/campaigns/preview', { subject: 'Labdien, {{name}}', mjml: MJML });
    expect(res.status).to.equal(200);
    expect(res.body.subject).to.equal('Labdien, Anna Paraugs');
    expect(res.body.html).to.contain('Sveiki, Anna Paraugs!');
    expect(res.headers.get('cache-control')).to.equal('no-store');
    expect(await t.c.models.campaigns.countDocuments()).to.equal(0);
  });

  it('answers MJML that does not compile with its line numbers', async () => {
    const res = await browser.post('/campaigns/preview', { subject: 's', mjml: '<mj-section>\n<mj-column>\n<mj-text>{{vards}}</mj-text>\n</mj-column>\n</mj-section>' });
    expect(res.status).to.equal(400);
    expect(res.body.error.code).to.equal('invalid_mjml');
    expect(res.body.error.details.errors[0].line).to.equal(3);
  });

  it('refuses a preview without the CSRF token, and to anyone not signed in', async () => {
    expect((await browser.post('/campaigns/preview', { subject: 's', mjml: MJML }, { csrf: null })).status).to.equal(403);
    expect((await new Browser(t).post('/campaigns/preview', { subject: 's', mjml: MJML })).status).to.equal(401);
  });

  it('counts the active subscriptions of the campaign’s list, and nobody else', async () => {
    await createSubscriber(t.c, { email: 'a@example.lv', lists: { [DEFAULT_LIST]: 'active' } });
    await createSubscriber(t.c, { email: 'b@example.lv', lists: { [DEFAULT_LIST]: 'active' } });
    await createSubscriber(t.c, { email: 'c@example.lv', lists: { [DEFAULT_LIST]: 'pending' } });
    await createSubscriber(t.c, { email: 'd@example.lv', lists: { [DEFAULT_LIST]: 'unsubscribed' } });
    const created = await browser.post('/campaigns', { name: 'Ziema', list: DEFAULT_LIST, subject: 'Ziema', mjml: MJML });
    const res = await browser.get(`/campaigns/${created.body.id}/audience`);
    expect(res.status).to.equal(200);
    expect(res.body).to.deep.equal({ list: DEFAULT_LIST, recipients: 2 });
    expect((await browser.get('/campaigns/0123456789abcdef01234567/audience')).status).to.equal(404);
  });

  it('returns the MJML source with one campaign, for the editor', async () => {
    const created = await browser.post('/campaigns', { name: 'Avots', list: DEFAULT_LIST, subject: 'Avots', mjml: MJML });
    expect((await browser.get(`/campaigns/${created.body.id}`)).body.mjml).to.equal(MJML);
  });
});
