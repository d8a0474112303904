// Merge fields with fallbacks and the vocative, through a real MJML compile: the greeting reads well
// with a name, without one, with a fallback, and for a foreign name.
import { expect } from 'chai';
import { compileCampaign, personalise, render, type MergeVars } from '../../src/mail/campaign-renderer';

const section = (text: string) => `<mj-section><mj-column><mj-text>${text}</mj-text></mj-column></mj-section>`;
const VARS: MergeVars = { name: 'Jānis Bērziņš', unsubscribeUrl: 'https://e.impro.lv/u/T', preferencesUrl: 'https://e.impro.lv/p/T' };

async function greet(text: string, vars: Partial<MergeVars>, subject = 's') {
  const compiled = await compileCampaign({ subject, preheader: '', mjml: section(text) });
  return personalise(compiled, { ...VARS, ...vars });
}

describe('merge fields: fallbacks and the vocative', () => {
  it('fills {{name|fallback}} with the name, or with the fallback when there is none', async () => {
    expect((await greet('Labdien, {{name|draugs}}!', {})).text).to.contain('Labdien, Jānis Bērziņš!');
    const none = await greet('Labdien, {{ name | dārgais ceļotāj }}!', { name: '' }, 'Sveiki, {{name|ceļotāj}}');
    expect(none.text).to.contain('Labdien, dārgais ceļotāj!');
    expect(none.html).to.contain('Labdien, dārgais ceļotāj!');
    expect(none.subject).to.equal('Sveiki, ceļotāj');
  });

  it('closes up a greeting when the name is missing and no fallback is written (no "Labdien, !")', async () => {
    const copy = await greet('Labdien, {{name}}! Vasara klāt.', { name: '   ' }, 'Sveiki, {{name}}!');
    expect(copy.text).to.contain('Labdien! Vasara klāt.');
    expect(copy.html).to.contain('Labdien! Vasara klāt.');
    expect(copy.subject).to.equal('Sveiki!');
    expect(copy.text).not.to.contain('Labdien, !');
  });

  it('{{name.vocative}} greets a Latvian subscriber in the vocative, others by their first name', async () => {
    expect((await greet('Labdien, {{name.vocative}}!', {})).text).to.contain('Labdien, Jāni!');
    expect((await greet('Labdien, {{name.vocative}}!', { name: 'Inese Kalniņa' })).text).to.contain('Labdien, Inese!');
    expect((await greet('Hello {{name.vocative|friend}}!', { name: 'Jānis', locale: 'en' })).text).to.contain('Hello Jānis!');
    expect((await greet('Labdien, {{name.vocative|draugs}}!', { name: '' })).text).to.contain('Labdien, draugs!');
    expect((await greet('Labdien, {{name.vocative}}!', { name: 'Boris' })).text).to.contain('Labdien, Boris!');
  });

  it('escapes the value in HTML but keeps the marketer fallback as written', () => {
    expect(render('<p>Hi {{name|A &amp; B}}</p>', { ...VARS, name: '<b>x</b>' }, (v) => v.replace(/</g, '&lt;'))).to.equal('<p>Hi &lt;b>x&lt;/b></p>');
    expect(render('<p>Hi {{name|A &amp; B}}</p>', { ...VARS, name: '' }, String)).to.equal('<p>Hi A &amp; B</p>');
  });

  it('refuses a fallback on a link field, and an unknown form', async () => {
    const link = await compileCampaign({ subject: 's', preheader: '', mjml: section('<a href="{{unsubscribeUrl|x}}">x</a>') }).catch((e: unknown) => e);
    expect(link).to.have.property('code', 'invalid_mjml');
    const form = await compileCampaign({ subject: '{{name.genitive}}', preheader: '', mjml: section('x') }).catch((e: unknown) => e);
    expect((form as Error).message).to.contain('{{name|fallback}}');
  });

  it('renders in one pass: a long run of empty names stays fast and correct', () => {
    const text = 'Labdien, {{name}}! '.repeat(20_000);
    const out = render(text, { ...VARS, name: '' }, String);
    expect(out).to.equal('Labdien! '.repeat(20_000));
  });

  it("speaks the recipient's language only in the footer, both when the sender names none", async () => {
    const compiled = await compileCampaign({ subject: 's', preheader: '', mjml: section('Sveiki') });
    const lv = personalise(compiled, { ...VARS, locale: 'lv' });
    expect(lv.text).to.contain('Atteikties no e-Jaunumiem').and.contain('Mainīt iestatījumus');
    expect(lv.text).not.to.match(/Unsubscribe|Preferences|You receive/);
    const en = personalise(compiled, { ...VARS, locale: 'en' });
    expect(en.html).to.contain('Unsubscribe from e-Jaunumi').and.contain('Change your preferences');
    expect(en.html).not.to.match(/Atteikties|Mainīt/);
    expect(personalise(compiled, VARS).text).to.contain('Atteikties no e-Jaunumiem / Unsubscribe');
  });
});

describe('a whole <mjml> document: its <mj-head>', () => {
  const doc = (head: string) => `<mjml>\n<mj-head>\n${head}\n</mj-head>\n<mj-body>\n${section('Sveiki')}\n</mj-body>\n</mjml>`;

  it('joins the layout head: attributes, styles and fonts take effect', async () => {
    const compiled = await compileCampaign({
      subject: 's',
      preheader: 'Ievads',
      mjml: doc('<mj-attributes><mj-text color="#ff0066" font-family="Lora, Arial" /></mj-attributes>\n<mj-style>.akcija { font-weight: 700; }</mj-style>\n<mj-font name="Lora" href="https://fonts.example/lora.css" />'),
    });
    expect(compiled.html).to.contain('#ff0066').and.contain('.akcija').and.contain('https://fonts.example/lora.css');
    expect(compiled.html).to.contain('Ievads');
  });

  it('refuses, with its line, what the layout head cannot take', async () => {
    const err = await compileCampaign({ subject: 's', preheader: '', mjml: doc('<mj-style>.a{}</mj-style>\n<mj-preview>Cits ievads</mj-preview>') }).catch((e: unknown) => e);
    expect(err).to.have.property('code', 'invalid_mjml');
    expect((err as Error).message).to.contain('line 4').and.contain('preheader field');
  });
});
