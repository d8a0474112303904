// /re-consent/:token — the link of a re-consent mail after a material policy change. GET shows the
// new consent text and a button (link scanners prefetch: it changes nothing); POST records the
// renewed consent. The token is a stranger's input: forged, expired or replayed links get the
// shared link-error pages (4xx), never a 500.
import { Router } from 'express';
import type { Container } from '../../container';
import { formatDate } from '../../domain/consent/re-consent';
import { quotedNames } from '../../domain/consent/specific-consent';
import { clientIp } from '../client-ip';
import { negotiateLocale } from '../locale';
import { caseSensitiveRouter } from '../router';
import { assertSingleValued } from '../validate';

export function reConsentPublicRoutes(c: Pick<Container, 'reConsent' | 'pages'>): Router {
  const router = caseSensitiveRouter();

  router.get('/re-consent/:token', async (req, res) => {
    const locale = negotiateLocale(req);
    const offer = await c.reConsent.offer(req.params.token, locale);
    c.pages.send(res, 200, 're-consent', locale, {
      token: req.params.token,
      version: offer.policy.version,
      changeSummary: offer.policy.changeSummary[locale],
      lists: quotedNames(offer.lists, locale),
      consentText: offer.consentText,
      deadline: formatDate(offer.deadline, locale),
    });
  });

  router.post('/re-consent/:token', async (req, res) => {
    assertSingleValued(req.body, ['lang']);
    const locale = negotiateLocale(req);
    // The page showed this version's text naming these lists; the confirmation records the same.
    const offer = await c.reConsent.offer(req.params.token, locale);
    await c.reConsent.confirm(req.params.token, locale, { ip: clientIp(req), userAgent: req.get('user-agent')?.slice(0, 512) });
    c.pages.send(res, 200, 're-consent-done', locale, { lists: quotedNames(offer.lists, locale), version: offer.policy.version });
  });

  return router;
}
