// /u/:token — the link in every mail's footer and List-Unsubscribe header. GET and HEAD only show
// the person's lists (link scanners prefetch them); POST changes state: the RFC 8058 one-click body
// from a mail client, or a choice made on the page.
import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import type { Container } from '../../container';
import { LIST_SLUG } from '../../data/list.model';
import type { Preferences } from '../../domain/consent/unsubscribe';
import { quotedNames } from '../../domain/consent/specific-consent';
import { NotFoundError, ValidationError } from '../../errors';
import { escapeHtml } from '../../html';
import { clientIp, forwardedFor } from '../client-ip';
import { explicitLocale, negotiateLocale, type Locale } from '../locale';
import type { PageRenderer } from '../pages';
import { parseOr400 } from '../validate';
import { caseSensitiveRouter } from '../router';

const ONE_CLICK_FIELD = 'List-Unsubscribe';
const ONE_CLICK_VALUE = 'One-Click';

// The page's forms: a per-list button (list=slug), the "everything" button (scope=all), re-joining
// a list (rejoin=slug: double opt-in through the sign-up queue), or the language of mails and pages.
const lang = z.enum(['lv', 'en']).optional();
const pageChoice = z.union([
  z.strictObject({ list: z.string().regex(LIST_SLUG), lang }),
  z.strictObject({ scope: z.literal('all'), lang }),
  z.strictObject({ rejoin: z.string().regex(LIST_SLUG), lang }),
  z.strictObject({ locale: z.enum(['lv', 'en']), lang }),
]);

type Deps = Pick<Container, 'signer' | 'unsubscribes' | 'pages' | 'clock' | 'config' | 'signupIntake'>;

export function unsubscribeRoutes(c: Deps): Router {
  const router = caseSensitiveRouter();


  // The preferences page: the person's lists with their states, the language, a way back into a list.
  router.get('/u/:token', async (req, res) => {
    const claims = c.signer.verify(req.params.token, 'unsubscribe');
    const prefs = await c.unsubscribes.preferences(claims.subject);
    const locale = pageLocale(req, prefs);
    if (!prefs || prefs.subscriptions.length === 0) {
      c.pages.send(res, 200, 'unsubscribe-nothing', locale, nothingVars(c.pages, locale, prefs));
      return;
    }
    sendPreferences(c.pages, res, locale, req.params.token, prefs, claims.list);
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
    const token = req.params.token;
    const manageUrl = `/u/${token}${choice.lang === 'en' ? '?lang=en' : ''}`;

    if ('locale' in choice) {
      await c.unsubscribes.setLocale(claims.subject, choice.locale);
      const prefs = await c.unsubscribes.preferences(claims.subject);
      if (!prefs) throw new NotFoundError('subscriber');
      sendPreferences(c.pages, res, choice.locale, token, prefs, claims.list, LOCALE_SAVED[choice.locale]);
      return;
    }

    if ('rejoin' in choice) {
      const prefs = await c.unsubscribes.preferences(claims.subject);
      const locale = pageLocale(req, prefs);
      const row = prefs?.subscriptions.find((s) => s.list === choice.rejoin && isClosed(s.status));
      if (!prefs || !row) throw new ValidationError('rejoin: not a list this person left', { fields: [{ field: 'rejoin', message: 'not a list you left' }] });
      // Back in only through double opt-in: the sign-up queue mails a confirmation link, as for the form.
      await c.signupIntake.request({
        email: prefs.email,
        lists: [row.list],
        locale,
        channel: 'web-form',
        ip: clientIp(req),
        forwardedFor: forwardedFor(req),
        userAgent: req.get('user-agent')?.slice(0, 512),
      });
      c.pages.send(res, 200, 'unsubscribe-rejoin', locale, { names: quotedNames([row.name[locale]], locale), manageUrl });
      return;
    }

    const lists = 'scope' in choice ? 'all' : [choice.list];
    const { changed } = await c.unsubscribes.unsubscribe({ ...origin, lists, channel: 'unsubscribe-page' });
    const prefs = await c.unsubscribes.preferences(claims.subject);
    const locale = pageLocale(req, prefs);
    if (changed.length === 0) {
      if (prefs?.subscriptions.length) sendPreferences(c.pages, res, locale, token, prefs, claims.list, NOTHING_CHANGED[locale]);
      else c.pages.send(res, 200, 'unsubscribe-nothing', locale, nothingVars(c.pages, locale, prefs));
      return;
    }
    const names = changed.map((list) => prefs?.subscriptions.find((s) => s.list === list)?.name[locale] ?? list);
    c.pages.send(res, 200, 'unsubscribe-done', locale, {
      changedNames: quotedNames(names, locale),
      manageUrl,
      resubscribeUrl: resubscribeUrl(locale, changed.length === 1 ? changed[0] : undefined),
    });
  });

  return router;
}

function nothingVars(pages: PageRenderer, locale: Locale, prefs: Preferences | undefined) {
  return { rows: prefs ? listRows(pages, locale, prefs) : '', resubscribeUrl: resubscribeUrl(locale) };
}

const LOCALE_SAVED = {
  lv: '<p class="notice" role="status">Valoda saglabāta: turpmāk rakstīsim Jums latviski.</p>',
  en: '<p class="notice" role="status">Language saved: we will write to you in English from now on.</p>',
} as const;

const NOTHING_CHANGED = {
  lv: '<p class="notice" role="status">Nekas nav mainīts: šī saraksta e-pastus Jums jau nesūtām.</p>',
  en: '<p class="notice" role="status">Nothing changed: we already do not send you this list.</p>',
} as const;

const ALL_BUTTON = {
  lv: { all: 'Atteikties no visiem sarakstiem', one: 'Atteikties no saraksta {name}' },
  en: { all: 'Unsubscribe from all lists', one: 'Unsubscribe from {name}' },
} as const;

const NONE_OPEN = {
  lv: '<p class="muted">Pašlaik mēs Jums neko nesūtām.</p>',
  en: '<p class="muted">We are not sending you anything at the moment.</p>',
} as const;

/** The language the link knows (the person's stored choice) unless the page was asked for another. */
function pageLocale(req: Request, prefs: Preferences | undefined): Locale {
  return explicitLocale(req) ?? prefs?.locale ?? negotiateLocale(req);
}

function sendPreferences(pages: PageRenderer, res: Response, locale: Locale, token: string, prefs: Preferences, first?: string, notice = ''): void {
  const open = prefs.subscriptions.filter((s) => !isClosed(s.status));
  // With one list still open, its own button and "all" would do the same: one button then.
  const single = open.length === 1 ? open[0] : undefined;
  const allLabel = single ? ALL_BUTTON[locale].one.replace('{name}', quotedNames([single.name[locale]], locale)) : ALL_BUTTON[locale].all;
  pages.send(res, 200, 'unsubscribe', locale, {
    token,
    notice,
    maskedEmail: maskEmail(prefs.email),
    rows: listRows(pages, locale, prefs, first, !single),
    allButton: open.length > 0 ? `<button type="submit" name="scope" value="all">${escapeHtml(allLabel)}</button>` : '',
    noneNote: open.length === 0 ? NONE_OPEN[locale] : '',
    lvSelected: prefs.locale === 'lv' ? ' selected' : '',
    enSelected: prefs.locale === 'en' ? ' selected' : '',
  });
}

/** One row per list, the list the mail came from first; the row's wording depends on its state. */
function listRows(pages: PageRenderer, locale: Locale, prefs: Preferences, first?: string, withButtons = true): string {
  const ordered = [...prefs.subscriptions].sort((a, b) => Number(b.list === first) - Number(a.list === first));
  return ordered
    .map((s) => {
      const vars = { name: s.name[locale], slug: s.list, resubscribeUrl: resubscribeUrl(locale, s.list) };
      const action = withButtons && !isClosed(s.status) ? pages.fragment('unsubscribe-list-button', locale, vars) : '';
      return pages.fragment(`unsubscribe-list-${s.status}`, locale, { ...vars, action });
    })
    .join('\n');
}

/** Nothing is sent on a closed list (left, or consent not renewed after a policy change); re-joining opens it. */
function isClosed(status: string): boolean {
  return status === 'unsubscribed' || status === 'lapsed';
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
