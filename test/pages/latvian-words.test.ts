// No English word in a Latvian page or mail: every Latvian page and mail template as rendered, the
// live pages whose wording comes from code (errors, notices, field messages), and a newsletter footer
// for a Latvian subscriber are scanned for common English words. Brand names (IMPRO CEĻOJUMI,
// e-Jaunumi) and the "English" language switch are not in the list.
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { expect } from 'chai';
import { PageRenderer } from '../../src/http/pages';
import { compileCampaign, personalise } from '../../src/mail/campaign-renderer';
import { EmailTemplates } from '../../src/mail/email-templates';
import { TEMPLATES_DIR } from '../../src/paths';
import { createTestContext, type TestContext } from '../helpers/context';
import { createSubscriber } from '../helpers/factories';
import { DEFAULT_LIST } from '../../src/data/list.model';

const ENGLISH = [
  'unsubscribe', 'unsubscribed', 'subscribe', 'subscribed', 'subscription', 'subscriptions', 'preferences', 'please', 'click',
  'here', 'you', 'your', 'the', 'and', 'link', 'email', 'confirm', 'confirmed', 'privacy', 'policy', 'list', 'lists', 'sign',
  'thank', 'thanks', 'error', 'page', 'request', 'language', 'save', 'check', 'inbox', 'valid', 'expired', 'not', 'found',
  'from', 'with', 'send', 'sent', 'we', 'our', 'this', 'that', 'name', 'refused', 'receive', 'version', 'none', 'yes', 'active', 'pending',
];
const ENGLISH_WORD = new RegExp(`(?<![\\p{L}\\d@.-])(${ENGLISH.join('|')})(?![\\p{L}\\d@-])`, 'giu');

/** What a reader sees: text and labels, without markup, styles, scripts, links' targets or addresses. */
function visibleText(html: string): string {
  const labels = [...html.matchAll(/aria-label="([^"]*)"/g)].map((m) => m[1]).join(' ');
  return `${html
    .replace(/<style[\s\S]*?<\/style>/gi, ' ')
    .replace(/<script[\s\S]*?<\/script>/gi, ' ')
    .replace(/<!--[\s\S]*?-->/g, ' ')
    .replace(/<[^>]+>/g, ' ')} ${labels}`
    .replace(/https?:\/\/\S+|mailto:\S+|\S+@\S+/g, ' ')
    .replace(/&[a-z#0-9]+;/gi, ' ');
}

function englishIn(text: string): string[] {
  return [...new Set([...text.matchAll(ENGLISH_WORD)].map((m) => m[1]!.toLowerCase()))];
}

describe('Latvian pages and mails speak Latvian', () => {
  let t: TestContext;
  before(async () => {
    t = await createTestContext();
  });
  after(async () => t.close());

  it('every Latvian page template, as rendered', async () => {
    const pages = new PageRenderer();
    const files = (await readdir(path.join(TEMPLATES_DIR, 'pages'))).filter((f) => f.endsWith('.lv.html'));
    expect(files.length).to.be.greaterThan(15);
    for (const file of files) {
      const name = file.replace(/\.lv\.html$/, '');
      const html = pages.render(name, 'lv', { heading: 'Virsraksts', message: 'Ziņa' });
      expect(englishIn(visibleText(html).replace(/\bEnglish\b/g, '')), file).to.deep.equal([]);
    }
  });

  it('every Latvian mail template: subject, HTML and text part', async () => {
    const emails = new EmailTemplates();
    const files = (await readdir(path.join(TEMPLATES_DIR, 'email'))).filter((f) => f.endsWith('.lv.mjml'));
    for (const file of files) {
      const mail = await emails.render(file.replace(/\.lv\.mjml$/, ''), 'lv', { lists: '„e-Jaunumi”', validFor: '7 dienas' });
      for (const [part, text] of [['subject', mail.subject], ['html', visibleText(mail.html)], ['text', visibleText(mail.text)]] as const) {
        expect(englishIn(text), `${file} ${part}`).to.deep.equal([]);
      }
    }
  });

  it('the newsletter footer for a Latvian subscriber', async () => {
    const compiled = await compileCampaign({ subject: 'Labdien, {{name.vocative|ceļotāj}}!', preheader: 'Jaunumi', mjml: '<mj-section><mj-column><mj-text>Sveiki!</mj-text></mj-column></mj-section>' });
    const copy = personalise(compiled, { name: 'Jānis', unsubscribeUrl: 'https://e.impro.lv/u/T', preferencesUrl: 'https://e.impro.lv/u/P', locale: 'lv' });
    for (const text of [copy.subject, visibleText(copy.html), copy.text]) expect(englishIn(visibleText(text))).to.deep.equal([]);
  });

  it('live pages whose words come from code: forms with errors, preferences, notices, error pages', async () => {
    const subscriber = await createSubscriber(t.c, { email: 'latviski@example.lv', lists: { [DEFAULT_LIST]: 'active' } });
    const token = t.c.listHeaders.unsubscribeToken({ subscriberId: String(subscriber._id) });
    const expired = t.c.signer.sign({ purpose: 'verify', subject: '0123456789abcdef01234567', exp: Math.floor(Date.now() / 1000) - 60 });
    const html = { accept: 'text/html', 'accept-language': 'lv' };
    const form = (body: Record<string, string>) => ({ method: 'POST', headers: html, body: new URLSearchParams(body) });
    const requests: Array<[string, RequestInit]> = [
      ['/subscribe', { headers: html }],
      ['/subscribe', form({ email: 'nav-adrese', name: 'x'.repeat(300), lang: 'lv' })],
      ['/subscribe', form({ email: 'a@example.lv', email2: 'b', lang: 'lv', policyVersion: '1', website: '' })],
      ['/privacy', { headers: html }],
      [`/u/${token}`, { headers: html }],
      [`/u/${token}`, form({ locale: 'lv', lang: 'lv' })],
      [`/u/${token}`, form({ scope: 'all', lang: 'lv' })],
      [`/u/${token}`, form({ scope: 'all', lang: 'lv' })],
      ['/u/salauzta-saite', { headers: html }],
      [`/r/${expired}`, { headers: html }],
      ['/confirm/salauzta-saite', { headers: html }],
      ['/resend-confirmation', form({ email: 'nav-adrese', lang: 'lv' })],
      ['/resend-confirmation', form({ email: 'kads@example.lv', lang: 'lv' })],
      ['/nav-tadas-lapas', { headers: html }],
    ];
    for (const [url, init] of requests) {
      const page = await (await fetch(`${t.baseUrl}${url}`, init)).text();
      expect(page, url).to.contain('<html lang="lv">');
      expect(englishIn(visibleText(page).replace(/\bEnglish\b/g, '')), `${init.method ?? 'GET'} ${url}`).to.deep.equal([]);
    }
  });
});
