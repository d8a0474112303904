// Newsletter rendering: MJML compiled once, validated with the marketer's own line numbers, and
// merge fields substituted per recipient without ever becoming markup or a header.
import { expect } from 'chai';
import { resolveSendAt } from '../../src/domain/campaigns/campaign-scheduler';
import { compileCampaign, personalise } from '../../src/mail/campaign-renderer';

const SECTION = `<mj-section>
  <mj-column>
    <mj-text>Labdien, {{name}}! Jūrmala &amp; Rīga</mj-text>
    <mj-button href="https://impro.lv/piedavajumi">Skatīt piedāvājumus</mj-button>
  </mj-column>
</mj-section>`;

const VARS = { name: 'Anna', unsubscribeUrl: 'https://e.impro.lv/u/TOKEN', preferencesUrl: 'https://e.impro.lv/u/PREFS' };

describe('campaign renderer', () => {
  it('wraps the content in the layout with header and mandatory footer links, html and text', async () => {
    const compiled = await compileCampaign({ subject: 'Sveiki, {{name}}', preheader: 'Vasaras piedāvājumi', mjml: SECTION });
    const copy = personalise(compiled, VARS);
    expect(copy.subject).to.equal('Sveiki, Anna');
    expect(copy.html).to.contain('IMPRO CEĻOJUMI · e-Jaunumi');
    expect(copy.html).to.contain('href="https://e.impro.lv/u/TOKEN"');
    expect(copy.html).to.contain('href="https://e.impro.lv/u/PREFS"');
    expect(copy.html).to.contain('Vasaras piedāvājumi');
    expect(copy.text).to.contain('Labdien, Anna! Jūrmala & Rīga');
    expect(copy.text).to.contain('Skatīt piedāvājumus (https://impro.lv/piedavajumi)');
    expect(copy.text).to.contain('https://e.impro.lv/u/TOKEN');
    expect(copy.text).to.contain('https://e.impro.lv/u/PREFS');
    expect(copy.text).not.to.match(/<[a-z]/i);
  });

  it('accepts a whole <mjml> document and uses its body', async () => {
    const compiled = await compileCampaign({ subject: 's', preheader: '', mjml: `<mjml>\n<mj-body>\n${SECTION}\n</mj-body>\n</mjml>` });
    expect(compiled.html).to.contain('Skatīt piedāvājumus');
  });

  it('reports invalid MJML with line numbers of the marketer source (fragment and document)', async () => {
    const fragment = `<mj-section>\n  <mj-column>\n    <mj-text colour="red">x</mj-text>\n    <mj-textt>y</mj-textt>\n  </mj-column>\n</mj-section>`;
    const err = await compileCampaign({ subject: 's', preheader: '', mjml: fragment }).catch((e: unknown) => e);
    expect(err).to.have.property('code', 'invalid_mjml');
    const errors = (err as { details: { errors: Array<{ line: number; tag?: string; message: string }> } }).details.errors;
    expect(errors.map((e) => e.line)).to.deep.equal([3, 4]);
    expect(errors[1]!.tag).to.equal('mj-textt');

    const document = `<mjml>\n  <mj-body>\n    <mj-section>\n      <mj-column>\n        <mj-image src="x.png" foo="1" />\n      </mj-column>\n    </mj-section>\n  </mj-body>\n</mjml>`;
    const err2 = await compileCampaign({ subject: 's', preheader: '', mjml: document }).catch((e: unknown) => e);
    expect((err2 as { details: { errors: Array<{ line: number }> } }).details.errors[0]!.line).to.equal(5);
    expect((err2 as Error).message).to.contain('line 5');
  });

  it('refuses unknown or raw merge fields and mj-include', async () => {
    const raw = await compileCampaign({ subject: 's', preheader: '', mjml: SECTION.replace('{{name}}', '{{{name}}}') }).catch((e: unknown) => e);
    expect(raw).to.have.property('code', 'invalid_mjml');
    const unknown = await compileCampaign({ subject: 'Hi {{email}}', preheader: '', mjml: SECTION }).catch((e: unknown) => e);
    expect(unknown).to.have.property('code', 'validation_failed');
    const include = await compileCampaign({ subject: 's', preheader: '', mjml: `<mj-include path="/etc/passwd" />\n${SECTION}` }).catch((e: unknown) => e);
    expect(include).to.have.property('code', 'invalid_mjml');
  });

  it('escapes script and strips CR/LF from names: html escaped, text plain, subject header-safe', async () => {
    const compiled = await compileCampaign({ subject: 'Sveiki, {{name}}', preheader: '', mjml: SECTION });
    const copy = personalise(compiled, { ...VARS, name: '<script>alert(1)</script>\r\nBcc: victim@example.lv' });
    expect(copy.html).not.to.contain('<script>');
    expect(copy.html).to.contain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(copy.subject).not.to.match(/[\r\n]/);
    expect(copy.subject).to.equal('Sveiki, <script>alert(1)</script> Bcc: victim@example.lv');
    expect(copy.text).to.contain('<script>alert(1)</script>');
  });
});

describe('send time', () => {
  it('reads a local time on the Riga wall clock, winter and summer', () => {
    expect(resolveSendAt('2026-03-10T10:00').toISOString()).to.equal('2026-03-10T08:00:00.000Z');
    expect(resolveSendAt('2026-07-07T10:00').toISOString()).to.equal('2026-07-07T07:00:00.000Z');
    expect(resolveSendAt('2026-07-07T10:00', 'Europe/London').toISOString()).to.equal('2026-07-07T09:00:00.000Z');
  });

  it('takes an explicit offset as is and refuses nonsense', () => {
    expect(resolveSendAt('2026-03-10T10:00:00+02:00').toISOString()).to.equal('2026-03-10T08:00:00.000Z');
    expect(resolveSendAt('2026-03-10T08:00:00Z', 'America/New_York').toISOString()).to.equal('2026-03-10T08:00:00.000Z');
    for (const bad of ['tuesday', '2026-02-30T10:00', '2026-03-10T25:00', '']) {
      expect(() => resolveSendAt(bad), bad).to.throw().with.property('code', 'validation_failed');
    }
    expect(() => resolveSendAt('2026-03-10T10:00', 'Mars/Olympus')).to.throw().with.property('code', 'validation_failed');
  });
});
