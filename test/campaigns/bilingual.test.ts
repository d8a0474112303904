// Campaigns in two languages: each person gets the version of their stored language (Latvian when
// there is no English one), with the footer in that language only; the MIME is still compiled once
// per template, never per recipient; previews and test sends offer both versions.
import { expect } from 'chai';
import { compileCampaignMail } from '../../src/mail/campaign-mail';
import { compileCampaign } from '../../src/mail/campaign-renderer';
import { MimeTemplate } from '../../src/mail/mime-template';
import { createTestContext, type TestContext } from '../helpers/context';
import { createSubscriber } from '../helpers/factories';
import { api, createCampaign, waitForStatus } from './helpers';

const LV_MJML = '<mj-section><mj-column><mj-text>Labdien, {{name}}! Vasaras ceļojumi uz Itāliju.</mj-text></mj-column></mj-section>';
const EN_MJML = '<mj-section><mj-column><mj-text>Hello {{name|friend}}! Summer trips to Italy.</mj-text></mj-column></mj-section>';
const ENGLISH = { subject: 'Summer, {{name|friend}}', preheader: 'Italy awaits', mjml: EN_MJML };

describe('bilingual campaigns', () => {
  let t: TestContext;
  before(async () => {
    t = await createTestContext({ workers: true });
  });
  after(async () => t.close());

  it('mails each person the version of their language, Latvian when they have none, the footer in that language alone', async () => {
    await t.c.models.lists.create({ slug: 'divvalodu', name: { lv: 'Divvalodu', en: 'Bilingual' } });
    const liga = await createSubscriber(t.c, { email: 'liga@example.lv', name: 'Līga', locale: 'lv', lists: { divvalodu: 'active' } });
    const john = await createSubscriber(t.c, { email: 'john@example.com', name: 'John', locale: 'en', lists: { divvalodu: 'active' } });
    const nameless = await createSubscriber(t.c, { email: 'anon@example.com', locale: 'en', lists: { divvalodu: 'active' } });
    const id = await createCampaign(t, { list: 'divvalodu', subject: 'Vasara, {{name}}', preheader: 'Itālija gaida', mjml: LV_MJML, en: ENGLISH });
    expect((await api(t, 'GET', `/campaigns/${id}`)).json.en).to.deep.equal({ ...ENGLISH });
    // The list names the English version without its source.
    const listed = (await api(t, 'GET', '/campaigns')).json.items.find((c: { id: string }) => c.id === id);
    expect(listed.en).to.deep.equal({ subject: ENGLISH.subject, preheader: ENGLISH.preheader });
    await api(t, 'POST', `/campaigns/${id}/send`);
    await waitForStatus(t, id, 'sent');
    const mailTo = async (email: string) => (await t.mails()).find((m) => m.to.includes(email))!.parsed;

    const lv = await mailTo(liga.email);
    expect(lv.subject).to.equal('Vasara, Līga');
    expect(lv.text).to.contain('Labdien, Līga! Vasaras ceļojumi uz Itāliju.');
    expect(lv.text).to.contain('Atteikties no e-Jaunumiem');
    expect(lv.text).not.to.match(/Unsubscribe|Summer/);
    const en = await mailTo(john.email);
    expect(en.subject).to.equal('Summer, John');
    expect(en.text).to.contain('Hello John! Summer trips to Italy.');
    expect(en.html).to.contain('Italy awaits');
    expect(en.text).to.contain('Unsubscribe from e-Jaunumi');
    expect(en.text).not.to.match(/Atteikties|Labdien|Vasara/);
    const anon = await mailTo(nameless.email);
    expect(anon.subject).to.equal('Summer, friend');
    expect(anon.text).to.contain('Hello friend!');
  });

  it('sends the Latvian version to English speakers when the campaign has no English one', async () => {
    await t.c.models.lists.create({ slug: 'vienvalodas', name: { lv: 'Vienvalodas', en: 'One language' } });
    const john = await createSubscriber(t.c, { email: 'john2@example.com', name: 'John', locale: 'en', lists: { vienvalodas: 'active' } });
    const id = await createCampaign(t, { list: 'vienvalodas', subject: 'Vasara', mjml: LV_MJML });
    await api(t, 'POST', `/campaigns/${id}/send`);
    await waitForStatus(t, id, 'sent');
    const mail = (await t.mails()).find((m) => m.to.includes(john.email))!.parsed;
    expect(mail.subject).to.equal('Vasara');
    expect(mail.text).to.contain('Labdien, John! Vasaras ceļojumi uz Itāliju.');
  });

  it('compiles the MIME once per template (language × with or without a name), whatever the number of people', async () => {
    const compiled = await compileCampaign({ subject: 'Vasara', preheader: '', mjml: LV_MJML });
    const english = await compileCampaign(ENGLISH);
    const settings = { mailDomain: 'impro.lv', mailboxAddress: 'impro@impro.lv', mailFrom: 'IMPRO <e-jaunumi@impro.lv>' };
    const original = MimeTemplate.compile;
    const compiledFor: string[] = [];
    MimeTemplate.compile = (c, ...rest) => {
      compiledFor.push(c.subject);
      return original.call(MimeTemplate, c, ...rest);
    };
    try {
      const mailFor = compileCampaignMail({ listHeaders: t.c.listHeaders, settings }, { campaignId: '0123456789abcdef01234567', list: 'e-jaunumi', compiled, english });
      for (let i = 0; i < 40; i++) {
        mailFor({ subscriberId: `0123456789abcdef012345${String(i).padStart(2, '0')}`, email: `p${i}@example.lv`, name: i % 2 ? `Vārds ${i}` : '', locale: i % 4 < 2 ? 'lv' : 'en' });
      }
    } finally {
      MimeTemplate.compile = original;
    }
    // lv and en, each named and nameless: four templates for forty people.
    expect(compiledFor.sort()).to.deep.equal(['Summer, {{name|friend}}', 'Summer, {{name|friend}}', 'Vasara', 'Vasara']);
  });

  it('refuses an incomplete English version, and says which version a broken MJML is in', async () => {
    const base = { name: 'Divas', list: 'e-jaunumi', subject: 'Vasara', mjml: LV_MJML };
    const noSubject = await api(t, 'POST', '/campaigns', { ...base, en: { mjml: EN_MJML } });
    expect(noSubject.status).to.equal(400);
    const broken = await api(t, 'POST', '/campaigns', { ...base, en: { subject: 'Summer', mjml: '<mj-section>\n<mj-column>\n<mj-text>{{nam}}</mj-text>\n</mj-column>\n</mj-section>' } });
    expect(broken.status).to.equal(400);
    expect(broken.json.error.code).to.equal('invalid_mjml');
    expect(broken.json.error.details.errors[0]).to.include({ line: 3, lang: 'en' });
    expect(await t.c.models.campaigns.countDocuments({ name: 'Divas' })).to.equal(0);
  });

  it('adds, replaces and removes the English version of a draft', async () => {
    const id = await createCampaign(t, { subject: 'Vasara', mjml: LV_MJML });
    expect((await api(t, 'GET', `/campaigns/${id}`)).json.en).to.equal(undefined);
    expect((await api(t, 'PATCH', `/campaigns/${id}`, { en: ENGLISH })).json.en).to.include({ subject: ENGLISH.subject });
    // A patch of other fields keeps it.
    expect((await api(t, 'PATCH', `/campaigns/${id}`, { name: 'Cits' })).json.en).to.include({ subject: ENGLISH.subject });
    expect((await api(t, 'PATCH', `/campaigns/${id}`, { en: null })).json.en).to.equal(undefined);
    expect((await t.c.models.campaigns.findById(id).lean())!.en).to.equal(undefined);
  });

  it('previews each version with its own footer, saved or not', async () => {
    const id = await createCampaign(t, { subject: 'Vasara', mjml: LV_MJML, en: ENGLISH });
    const lv = await api(t, 'GET', `/campaigns/${id}/preview`);
    expect(lv.text).to.contain('Vasaras ceļojumi').and.to.contain('Atteikties no e-Jaunumiem').and.not.to.contain('Unsubscribe');
    const en = await api(t, 'GET', `/campaigns/${id}/preview?lang=en`);
    expect(en.text).to.contain('Summer trips').and.to.contain('Unsubscribe from e-Jaunumi').and.not.to.contain('Atteikties');
    const unsaved = await api(t, 'POST', '/campaigns/preview', { ...ENGLISH, lang: 'en' });
    expect(unsaved.json.subject).to.equal('Summer, Anna Paraugs');
    expect(unsaved.json.html).to.contain('Unsubscribe from e-Jaunumi');
    expect(unsaved.json.nameWithoutFallback).to.equal(false);
    expect((await api(t, 'POST', '/campaigns/preview', { subject: 'Vasara', mjml: LV_MJML })).json.nameWithoutFallback).to.equal(true);
    const latvianOnly = await createCampaign(t, { subject: 'Vasara', mjml: LV_MJML });
    expect((await api(t, 'GET', `/campaigns/${latvianOnly}/preview?lang=en`)).status).to.equal(400);
  });

  it('sends a test of each version, or of the one chosen', async () => {
    const id = await createCampaign(t, { subject: 'Vasara', mjml: LV_MJML, en: ENGLISH });
    const both = await api(t, 'POST', `/campaigns/${id}/test`, { to: ['kolega@impro.lv'] });
    expect(both.status).to.equal(202);
    expect(both.json.results.map((r: { lang: string; status: string }) => `${r.lang}:${r.status}`)).to.deep.equal(['lv:sent', 'en:sent']);
    const mails = await t.waitForMails(2, (m) => m.to.includes('kolega@impro.lv'));
    expect(mails.map((m) => m.parsed.subject).sort()).to.deep.equal(['[TEST] Summer, friend', '[TEST] Vasara']);
    const english = mails.find((m) => m.parsed.subject!.includes('Summer'))!;
    expect(english.parsed.text).to.contain('Unsubscribe from e-Jaunumi').and.not.to.contain('Atteikties');

    const chosen = await api(t, 'POST', `/campaigns/${id}/test`, { to: ['izvele@impro.lv'], langs: ['en'] });
    expect(chosen.json.results).to.have.length(1);
    expect((await t.waitForMails(1, (m) => m.to.includes('izvele@impro.lv')))[0]!.parsed.subject).to.equal('[TEST] Summer, friend');
  });
});
