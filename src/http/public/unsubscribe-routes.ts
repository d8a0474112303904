// /u/:token — the link in every mail's footer and List-Unsubscribe header. GET and HEAD only show
// the person's lists (link scanners prefetch them); POST changes state: the RFC 8058 one-click body
// from a mail client, or a choice made on the page.
import { Router } from 'express';
import { z } from 'zod';
import type { Container } from '../../container';
import { LIST_SLUG } from '../../data/list.model';
import type { Preferences } from '../../domain/consent/unsubscribe';
import { negotiateLocale, type Locale } from '../locale';
import type { PageRenderer } from '../pages';
import { parseOr400 } from '../validate';
import { caseSensitiveRouter } from '../router';

const ONE_CLICK_FIELD = 'List-Unsubscribe';
const ONE_CLICK_VALUE = 'One-Click';

// The page's form: a per-list button (list=slug) or the "everything" button (scope=all).
const pageChoice = z.union([
  z.strictObject({ list: z.string().regex(LIST_SLUG), lang: z.enum(['lv', 'en']).optional() }),
  z.strictObject({ scope: z.literal('all'), lang: z.enum(['lv', 'en']).optional() }),
]);

type Deps = Pick<Container, 'signer' | 'unsubscribes' | 'pages' | 'clock'>;

export function unsubscribeRoutes(c: Deps): Router {
  const router = caseSensitiveRouter();

  router.get('/u/:token', async (req, res) => {
    const claims = c.signer.verify(req.params.token, 'unsubscribe');
    const locale = negotiateLocale(req);
    const prefs = await c.unsubscribes.preferences(claims.subject);
    const stillSubscribed = prefs?.subscriptions.some((s) => s.status !== 'unsubscribed');
    if (!prefs || !stillSubscribed) {
      c.pages.send(res, 200, 'unsubscribe-nothing', locale, nothingVars(c.pages, locale, prefs));
      return;
    }
    c.pages.send(res, 200, 'unsubscribe', locale, {
      token: req.params.token,
      maskedEmail: maskEmail(prefs.email),
      rows: listRows(c.pages, locale, prefs, claims.list),
    });
  });

  router.post('/u/:token', async (req, res) => {
    const receivedAt = c.clock.now();
    const claims = c.signer.verify(req.params.token, 'unsubscribe');
    const origin = { subscriberId: claims.subject, campaignId: claims.campaign, ip: req.ip, userAgent: req.get('user-agent'), receivedAt };

    // RFC 8058: a mail client POSTs this body with no cookie and no page; answer plainly, never redirect.
    if (req.body?.[ONE_CLICK_FIELD] === ONE_CLICK_VALUE) {
      const { changed } = await c.unsubscribes.unsubscribe({
        ...origin,
        lists: claims.list ? [claims.list] : 'all',
        subscriptionId: claims.subscription,
        channel: 'one-click',
      });
      res
        .status(200)
        .type('text/plain')
        .set('Cache-Control', 'no-store')
        .send(changed.length > 0 ? 'Unsubscribed.\n' : 'Nothing to do: already unsubscribed.\n');
      return;
    }

    const choice = parseOr400(pageChoice, req.body ?? {});
    const locale = negotiateLocale(req);
    const lists = 'scope' in choice ? 'all' : [choice.list];
    const { changed } = await c.unsubscribes.unsubscribe({ ...origin, lists, channel: 'unsubscribe-page' });
    const prefs = await c.unsubscribes.preferences(claims.subject);
    if (changed.length === 0) {
      c.pages.send(res, 200, 'unsubscribe-nothing', locale, nothingVars(c.pages, locale, prefs));
      return;
    }
    const names = changed.map((list) => prefs?.subscriptions.find((s) => s.list === list)?.name[locale] ?? list);
    c.pages.send(res, 200, 'unsubscribe-done', locale, {
      changedNames: names.join(', '),
      manageUrl: `/u/${req.params.token}${locale === 'en' ? '?lang=en' : ''}`,
      resubscribeUrl: resubscribeUrl(locale, changed.length === 1 ? changed[0] : undefined),
    });
  });

  return router;
}

function nothingVars(pages: PageRenderer, locale: Locale, prefs: Preferences | undefined) {
  return { rows: prefs ? listRows(pages, locale, prefs) : '', resubscribeUrl: resubscribeUrl(locale) };
}

/** One row per list, the list the mail came from first; the row's wording depends on its state. */
function listRows(pages: PageRenderer, locale: Locale, prefs: Preferences, first?: string): string {
  const ordered = [...prefs.subscriptions].sort((a, b) => Number(b.list === first) - Number(a.list === first));
  return ordered
    .map((s) =>
      pages.fragment(`unsubscribe-list-${s.status}`, locale, { name: s.name[locale], slug: s.list, resubscribeUrl: resubscribeUrl(locale, s.list) }),
    )
    .join('\n');
}

// The way back in is the sign-up form, so a return always goes through double opt-in again.
function resubscribeUrl(locale: Locale, list?: string): string {
  const query = new URLSearchParams();
  if (list) query.set('list', list);
  if (locale === 'en') query.set('lang', 'en');
  const text = query.toString();
  return text ? `/subscribe?${text}` : '/subscribe';
}

/** Enough for people with several addresses to recognise which one; not enough to read it off a forwarded link. */
export function maskEmail(email: string): string {
  const at = email.lastIndexOf('@');
  return `${email.slice(0, 1)}•••${email.slice(at)}`;
}
