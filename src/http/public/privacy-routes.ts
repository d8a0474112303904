// GET /privacy (the policy in force) and GET /privacy/v/:version (each version a consent may name):
// the sign-up form and the confirmation page link the version they show.
import type { Response } from 'express';
import type { Container } from '../../container';
import { NotFoundError } from '../../errors';
import { escapeHtml } from '../../html';
import { negotiateLocale, type Locale } from '../locale';
import { caseSensitiveRouter } from '../router';
import { policyVersionQueries } from '../../data/policy-version.queries';

type Deps = Pick<Container, 'models' | 'pages' | 'policies' | 'clock'>;

export function privacyRoutes(c: Deps) {
  const router = caseSensitiveRouter();

  router.get('/privacy', async (req, res) => {
    const current = await c.policies.current();
    await sendVersion(res, negotiateLocale(req), current.version, true);
  });

  router.get('/privacy/v/:version', async (req, res) => {
    const version = /^\d{1,6}$/.test(req.params.version) ? Number(req.params.version) : Number.NaN;
    if (!Number.isInteger(version)) throw new NotFoundError('privacy-policy version');
    const current = await c.policies.inForceAt();
    await sendVersion(res, negotiateLocale(req), version, current?.version === version);
  });

  async function sendVersion(res: Response, locale: Locale, version: number, inForce: boolean) {
    const doc = await policyVersionQueries.publishedText(c.models, version).lean();
    // A version registered ahead of time is not published before it takes effect.
    if (!doc || doc.effectiveAt > c.clock.now()) throw new NotFoundError('privacy-policy version');
    const note = inForce
      ? ''
      : locale === 'lv'
        ? ' <a href="/privacy">Spēkā esošā versija</a>.'
        : ' <a href="/privacy?lang=en">The version in force</a>.';
    c.pages.send(res, 200, 'privacy', locale, {
      version: doc.version,
      effectiveDate: doc.effectiveAt.toISOString().slice(0, 10),
      inForceNote: note,
      policyHtml: paragraphs(doc.text),
      langSwitchUrl: `?lang=${locale === 'lv' ? 'en' : 'lv'}`,
    });
  }

  return router;
}

/** Plain text to escaped paragraphs: blank lines separate them, single line breaks stay. */
function paragraphs(text: string): string {
  return text
    .split(/\r?\n\s*\r?\n/)
    .map((p) => p.trim())
    .filter(Boolean)
    .map((p) => `<p>${escapeHtml(p).replace(/\r?\n/g, '<br>')}</p>`)
    .join('\n');
}
