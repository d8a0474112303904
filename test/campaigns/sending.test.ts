// Sending against the real services: the workers mail only active consent, checked at send time,
// once per recipient, with the headers every campaign mail must carry.
import { expect } from 'chai';
import { createTestContext, type TestContext } from '../helpers/context';
import { createSubscriber } from '../helpers/factories';
import { api, copiesPerRecipient, createCampaign, rawHeader, waitForStatus } from './helpers';

describe('campaign sending', () => {
  let t: TestContext;
  before(async () => {
    t = await createTestContext({ workers: true });
  });
  after(async () => t.close());

  it('mails only active consent: pending, unsubscribed, restricted and suppressed are skipped', async () => {
    const active = await createSubscriber(t.c, { email: 'aktivs@example.lv', name: 'Aktīvs', lists: { 'e-jaunumi': 'active' } });
    await createSubscriber(t.c, { email: 'gaida@example.lv', lists: { 'e-jaunumi': 'pending' } });
    await createSubscriber(t.c, { email: 'atteicies@example.lv', lists: { 'e-jaunumi': 'unsubscribed' } });
    await createSubscriber(t.c, { email: 'ierobezots@example.lv', restricted: true, lists: { 'e-jaunumi': 'active' } });
    const suppressed = await createSubscriber(t.c, { email: 'blokets@example.lv', lists: { 'e-jaunumi': 'active' } });
    await t.c.suppressions.suppress(suppressed.emailHash, 'complaint');
    await createSubscriber(t.c, { email: 'cits@example.lv', lists: { 'citi-jaunumi': 'active' } });

    const id = await createCampaign(t);
    expect((await api(t, 'POST', `/campaigns/${id}/send`, {})).status).to.equal(202);
    const done = await waitForStatus(t, id, 'sent');
    // Pending and unsubscribed are not even queued; restricted and suppressed are caught at send time.
    expect(done.stats).to.include({ queued: 3, sent: 1, skipped: 2, failed: 0, ambiguous: 0, remaining: 0 });
    expect(done.stats.skipReasons).to.deep.equal({ restricted: 1, suppressed: 1 });

    const copies = copiesPerRecipient(await t.mails(), id);
    expect([...copies.entries()]).to.deep.equal([[active.email, 1]]);
    // Sent again: 409, and nothing more goes out.
    expect((await api(t, 'POST', `/campaigns/${id}/send`, {})).status).to.equal(409);
  });

  it('carries List-Unsubscribe (https + mailto), One-Click, List-Id, Message-ID, Feedback-ID and a working footer link', async () => {
    const person = await createSubscriber(t.c, { email: 'galvenes@example.lv', name: 'Ģirts', lists: { 'galvenes': 'active' } });
    await t.c.models.lists.create({ slug: 'galvenes', name: { lv: 'Galvenes', en: 'Headers' } });
    const id = await createCampaign(t, { list: 'galvenes' });
    await api(t, 'POST', `/campaigns/${id}/send`);
    await waitForStatus(t, id, 'sent');
    const [mail] = (await t.mails()).filter((m) => m.to.includes(person.email));
    const h = mail!.parsed.headers;
    const listUnsubscribe = rawHeader(mail!.raw, 'List-Unsubscribe')!;
    expect(listUnsubscribe).to.match(/^<http:\/\/127\.0\.0\.1:\d+\/u\/[\w.-]+>, <mailto:unsubscribe\+[\w.-]+@impro\.lv\?subject=unsubscribe>$/);
    expect(rawHeader(mail!.raw, 'List-Unsubscribe-Post')).to.equal('List-Unsubscribe=One-Click');
    expect(rawHeader(mail!.raw, 'List-Id')).to.equal('<galvenes.impro.lv>');
    expect(mail!.parsed.messageId).to.equal(`<${id}.${person._id}@impro.lv>`);
    expect(h.get('feedback-id')).to.equal(`${id}:galvenes:ejaunumi`);
    expect(h.get('x-ejaunumi-subscriber')).to.equal(String(person._id));
    expect(mail!.parsed.replyTo?.text).to.equal('impro@impro.lv');
    expect(mail!.raw).not.to.contain('galvenes@example.lv\r\nX-');
    const url = /<(http[^>]+)>/.exec(listUnsubscribe)![1]!;
    expect(mail!.parsed.html).to.contain(`href="${url}"`);
    expect(mail!.parsed.text).to.contain(url);
    expect(mail!.parsed.subject).to.equal('Sveiki, Ģirts!');
    // The link names the subscription it ends (one-click finds it by _id), and it works.
    const sub = await t.c.models.subscriptions.findOne({ subscriberId: person._id, list: 'galvenes' }).lean();
    const claims = t.c.signer.verify(url.split('/u/')[1], 'unsubscribe');
    expect(claims).to.include({ subject: String(person._id), list: 'galvenes', campaign: id, subscription: String(sub!._id) });
    const res = await fetch(url, { method: 'POST', body: new URLSearchParams({ 'List-Unsubscribe': 'One-Click' }) });
    expect(res.status).to.equal(200);
    expect((await t.c.models.subscriptions.findById(sub!._id).lean())?.status).to.equal('unsubscribed');
  });

  it('escapes script and strips CR/LF from a subscriber name in html, text and subject', async () => {
    await t.c.models.lists.create({ slug: 'vardi', name: { lv: 'Vārdi', en: 'Names' } });
    const person = await createSubscriber(t.c, {
      email: 'vards@example.lv',
      name: '<script>alert(1)</script>\r\nBcc: victim@example.lv',
      lists: { vardi: 'active' },
    });
    const id = await createCampaign(t, { list: 'vardi' });
    await api(t, 'POST', `/campaigns/${id}/send`);
    await waitForStatus(t, id, 'sent');
    const [mail] = (await t.mails()).filter((m) => m.to.includes(person.email));
    expect(mail!.to).to.deep.equal([person.email]);
    expect(mail!.parsed.html).not.to.contain('<script>');
    expect(mail!.parsed.html).to.contain('&lt;script&gt;');
    expect(mail!.parsed.subject).to.equal('Sveiki, <script>alert(1)</script> Bcc: victim@example.lv!');
    expect(mail!.parsed.headers.get('bcc')).to.equal(undefined);
    expect(mail!.parsed.text).to.contain('Labdien, <script>alert(1)</script>');
  });

  it('speaks each person\'s language: the footer in it alone, and the vocative only in Latvian', async () => {
    await t.c.models.lists.create({ slug: 'valodas', name: { lv: 'Valodas', en: 'Languages' } });
    const janis = await createSubscriber(t.c, { email: 'janis@example.lv', name: 'Jānis', locale: 'lv', lists: { valodas: 'active' } });
    const andris = await createSubscriber(t.c, { email: 'andris@example.com', name: 'Andris', locale: 'en', lists: { valodas: 'active' } });
    const nameless = await createSubscriber(t.c, { email: 'bezvarda@example.lv', locale: 'lv', lists: { valodas: 'active' } });
    const id = await createCampaign(t, { list: 'valodas', subject: 'Ziņas', mjml: '<mj-section><mj-column><mj-text>Labdien, {{name.vocative}}! Sveiki, {{name}}!</mj-text></mj-column></mj-section>' });
    await api(t, 'POST', `/campaigns/${id}/send`);
    await waitForStatus(t, id, 'sent');
    const textOf = async (email: string) => (await t.mails()).find((m) => m.to.includes(email))!.parsed.text ?? '';

    const lv = await textOf(janis.email);
    expect(lv).to.contain('Labdien, Jāni!');
    expect(lv).to.contain('Atteikties no e-Jaunumiem');
    expect(lv).not.to.contain('Unsubscribe');
    const en = await textOf(andris.email);
    expect(en).to.contain('Labdien, Andris!');
    expect(en).to.contain('Unsubscribe from e-Jaunumi');
    expect(en).not.to.contain('Atteikties');
    const none = await textOf(nameless.email);
    expect(none).to.contain('Labdien! Sveiki!');
    expect(none).not.to.contain('Unsubscribe');
  });

  it('stops a send when the person unsubscribes between queuing and sending (pause, unsubscribe, resume)', async () => {
    await t.c.models.lists.create({ slug: 'pauze', name: { lv: 'Pauze', en: 'Pause' } });
    const stays = await createSubscriber(t.c, { email: 'paliek@example.lv', lists: { pauze: 'active' } });
    const leaves = await createSubscriber(t.c, { email: 'aiziet@example.lv', lists: { pauze: 'active' } });
    const id = await createCampaign(t, { list: 'pauze' });
    // Queued while paused: the fan-out freezes the audience and enqueues, the batch waits.
    await t.c.models.campaigns.updateOne({ _id: id }, { $set: { status: 'paused' } });
    await t.c.queues.fanout.add('fanout', { campaignId: id }, { jobId: `fanout-${id}` });
    const deadline = Date.now() + 10_000;
    while (!(await t.c.models.campaigns.findById(id).lean())?.fanoutDone) {
      if (Date.now() > deadline) throw new Error('fan-out did not finish');
      await new Promise((r) => setTimeout(r, 100));
    }
    expect((await api(t, 'GET', `/campaigns/${id}`)).json.stats.queued).to.equal(2);
    await t.c.unsubscribes.unsubscribe({ subscriberId: String(leaves._id), lists: ['pauze'], channel: 'one-click' });
    expect((await api(t, 'POST', `/campaigns/${id}/resume`)).status).to.equal(200);
    const done = await waitForStatus(t, id, 'sent');
    expect(done.stats).to.include({ sent: 1, skipped: 1 });
    expect(done.stats.skipReasons).to.deep.equal({ 'not-active': 1 });
    const copies = copiesPerRecipient(await t.mails(), id);
    expect([...copies.keys()]).to.deep.equal([stays.email]);
  });

  it('sends a scheduled campaign at its time', async () => {
    await t.c.models.lists.create({ slug: 'plans', name: { lv: 'Plāns', en: 'Plan' } });
    const person = await createSubscriber(t.c, { email: 'plans@example.lv', lists: { plans: 'active' } });
    const id = await createCampaign(t, { list: 'plans' });
    const at = new Date(Date.now() + 1500).toISOString();
    const res = await api(t, 'POST', `/campaigns/${id}/send`, { at });
    expect(res.status).to.equal(202);
    expect(res.json.status).to.equal('scheduled');
    expect(new Date(res.json.scheduledAt).toISOString()).to.equal(at);
    expect(copiesPerRecipient(await t.mails(), id).size).to.equal(0);
    await waitForStatus(t, id, 'sent');
    expect(copiesPerRecipient(await t.mails(), id).get(person.email)).to.equal(1);
  });

  it('cancels a scheduled campaign: nothing goes out, and it cannot be sent afterwards', async () => {
    await t.c.models.lists.create({ slug: 'atcelts', name: { lv: 'Atcelts', en: 'Cancelled' } });
    await createSubscriber(t.c, { email: 'atcelts@example.lv', lists: { atcelts: 'active' } });
    const id = await createCampaign(t, { list: 'atcelts' });
    await api(t, 'POST', `/campaigns/${id}/send`, { at: new Date(Date.now() + 1000).toISOString() });
    expect((await api(t, 'POST', `/campaigns/${id}/cancel`)).json.status).to.equal('cancelled');
    await new Promise((r) => setTimeout(r, 2000));
    expect(copiesPerRecipient(await t.mails(), id).size).to.equal(0);
    expect((await api(t, 'POST', `/campaigns/${id}/send`)).status).to.equal(409);
    expect((await api(t, 'POST', `/campaigns/${id}/resume`)).status).to.equal(409);
  });
});
