// Sign-up and confirmation: GET /subscribe (form), POST /subscribe (form), POST /api/v1/subscriptions
// (JSON), GET /confirm/:token (a page with a button: link scanners fetch it) and POST /confirm/:token.
//
// Invariant 6: every well-formed sign-up gets the same 202 body whatever the address's state,
// including honeypot hits and addresses in their cooldown. Only malformed input (400) and the per-IP
// limit (429) answer differently, and neither depends on the address being known. The answer does
// not wait for the sign-up itself either: it goes onto the `signup` queue (workers/signup.worker.ts),
// so a known address answers in the same time as a new one; the checks here need no query.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Router, type Request, type RequestHandler, type Response } from 'express';
import { ipKeyGenerator, rateLimit, type RateLimitInfo } from 'express-rate-limit';
import { isIPv4 } from 'node:net';
import { z } from 'zod';
import type { Container } from '../../container';
import { DEFAULT_LIST, LIST_SLUG } from '../../data/list.model';
import { isValidEmail, normalizeEmail } from '../../domain/email-address';
import { checkPersonName } from '../../domain/person-name';
import { consentProof } from '../../domain/consent/policy-versions';
import { consentParts, quotedNames } from '../../domain/consent/specific-consent';
import { TEMPLATES_DIR } from '../../paths';
import { AppError, ErrorCodes, ValidationError } from '../../errors';
import type { SignupJob } from '../../queues/signup-jobs';
import { clientIp, forwardedFor } from '../client-ip';
import { escapeHtml } from '../../html';
import { negotiateLocale, type Locale } from '../locale';
import { personNameSchema } from '../person-name-schema';
import { assertSingleValued, parseOr400, repeatedField } from '../validate';
import { SignupCatalogue } from './signup-catalogue';
import { caseSensitiveRouter } from '../router';
import { listQueries } from '../../data/list.queries';

type Deps = Pick<Container, 'config' | 'models' | 'pages' | 'policies' | 'signup' | 'signupIntake' | 'clock'>;

const ACCEPTED_JSON = { status: 'accepted', message: 'If the address can receive e-Jaunumi, a confirmation email is on its way.' };

// JSON: exactly these keys, strings where strings belong; an object or `$`-key never reaches a query.
const apiBody = z.strictObject({
  email: z.string(),
  name: personNameSchema.optional(),
  lists: z.array(z.string().regex(LIST_SLUG)).min(1).max(20).optional(),
  locale: z.enum(['lv', 'en']).optional(),
});

// Form fields arrive as strings, or arrays when repeated (the list checkboxes).
const formBody = z.object({
  email: z.string().optional(),
  name: z.string().optional(),
  lists: z.union([z.string(), z.array(z.string())]).optional(),
  consent: z.string().optional(),
  website: z.string().optional(),
  lang: z.string().optional(),
  policyVersion: z.string().optional(),
});

// The expired-link page's form: an address, the honeypot, the page's language.
const resendBody = z.object({ email: z.string().optional(), website: z.string().optional(), lang: z.string().optional() });

// Fields that hold one value; the list checkboxes may repeat.
const SINGLE_VALUED = ['email', 'name', 'consent', 'website', 'lang', 'policyVersion'] as const;

const FIELD_MESSAGES = {
  lv: {
    email: 'Ievadiet derīgu e-pasta adresi, piemēram, vards@example.lv.',
    name: 'Vārds var būt līdz 200 rakstzīmēm garš, bez vadības rakstzīmēm.',
    consent: 'Lai pierakstītos, atzīmējiet piekrišanu.',
    lists: 'Izvēlieties vismaz vienu sarakstu.',
    repeated: 'Lauks „{field}” ir nosūtīts vairāk nekā vienu reizi. Lūdzu, aizpildiet formu vēlreiz.',
  },
  en: {
    email: 'Enter a valid email address, for example name@example.lv.',
    name: 'The name may be up to 200 characters, without control characters.',
    consent: 'To sign up, tick the consent box.',
    lists: 'Choose at least one list.',
    repeated: 'The field "{field}" was sent more than once. Please fill in the form again.',
  },
} as const;

type Field = Exclude<keyof (typeof FIELD_MESSAGES)['lv'], 'repeated'>;

export function signupRoutes(c: Deps): Router {
  const router = caseSensitiveRouter();
  const limitPerIp = signupRateLimit(c.config.signupIpLimitPerMinute);
  const catalogue = new SignupCatalogue({ models: c.models, policies: c.policies, now: () => c.clock.now() });

  /**
   * The lists a form chose, or undefined when the choice is wrong. A form that offered a choice
   * (more than one public list) must tick one; a form with a single public list sends none and
   * means that one.
   */
  const chosenLists = async (field: string | string[] | undefined): Promise<string[] | undefined> => {
    const lists = [...new Set(field === undefined ? [] : [field].flat())];
    if (lists.length === 0) {
      const offered = [...(await catalogue.publicListNames()).keys()];
      return offered.length === 1 ? offered : undefined;
    }
    const wellFormed = lists.length <= 20 && lists.every((l) => LIST_SLUG.test(l));
    return wellFormed && (await catalogue.arePublicLists(lists)) ? lists : undefined;
  };

  // The site's root is the sign-up form.
  router.get('/', (req, res) => {
    const lang = req.query.lang === 'en' ? '?lang=en' : '';
    res.redirect(302, `/subscribe${lang}`);
  });

  router.get('/subscribe.js', (_req, res) => {
    res.set({ 'Content-Type': 'text/javascript; charset=utf-8', 'Cache-Control': 'public, max-age=300' }).send(subscribeScript());
  });

  router.get('/subscribe', async (req, res) => {
    // The unsubscribe page's "way back in" links here with ?list=SLUG: preselect that list.
    const list = typeof req.query.list === 'string' && LIST_SLUG.test(req.query.list) ? req.query.list : undefined;
    await sendForm(c, req, res, 200, { preselect: list ?? DEFAULT_LIST });
  });

  router.post('/subscribe', limitPerIp, async (req, res) => {
    const repeated = repeatedField(req.body, SINGLE_VALUED);
    if (repeated) {
      // A visible field gets its own message; a hidden one (lang, say) a message naming it.
      const visible = repeated === 'email' || repeated === 'name' || repeated === 'consent';
      return sendForm(c, req, res, 400, visible ? { errors: { [repeated]: true } } : { repeatedField: repeated });
    }
    const locale = negotiateLocale(req);
    const parsed = formBody.safeParse(req.body ?? {});
    if (!parsed.success) return sendForm(c, req, res, 400, { errors: { email: true } });
    const form = parsed.data;
    // A bot filled the hidden field: answer as for anyone, do nothing.
    if (form.website) return sendAccepted(c, res, locale);

    const name = checkPersonName(form.name ?? '');
    const lists = await chosenLists(form.lists);
    const errors: Partial<Record<Field, boolean>> = {
      email: !isValidEmail(form.email),
      name: name === undefined,
      consent: form.consent !== 'yes',
      lists: lists === undefined,
    };
    if (Object.values(errors).some(Boolean) || !lists) return sendForm(c, req, res, 400, { errors, values: form });
    const version = form.policyVersion && /^\d{1,6}$/.test(form.policyVersion) ? Number(form.policyVersion) : undefined;
    await c.signupIntake.request({
      // Normalised here, so the job's deduplication and an erasure's search see one spelling.
      email: normalizeEmail(form.email),
      name: name || undefined,
      lists,
      locale,
      channel: 'web-form',
      consent: await catalogue.consentShown(version, locale, lists),
      ...origin(req),
    });
    sendAccepted(c, res, locale);
  });

  router.post('/api/v1/subscriptions', limitPerIp, async (req, res) => {
    const body = parseOr400(apiBody, req.body ?? {});
    const email = normalizeEmail(body.email); // a malformed address: the invalid_email 400
    if (body.lists && !(await catalogue.arePublicLists(body.lists))) {
      throw new ValidationError('unknown list', { fields: [{ field: 'lists', message: 'unknown list' }] });
    }
    await c.signupIntake.request({
      email,
      name: body.name || undefined,
      lists: body.lists,
      locale: body.locale ?? negotiateLocale(req),
      channel: 'api',
      ...origin(req),
    });
    res.status(202).set('Cache-Control', 'no-store').json(ACCEPTED_JSON);
  });

  // "Send me a fresh link" from the page of a broken confirmation link. The same answer for every
  // well-formed address (invariant 6), decided on the queue; the per-IP limit and the sign-up
  // cooldown bound the mails.
  router.post('/resend-confirmation', limitPerIp, async (req, res) => {
    const locale = negotiateLocale(req);
    const parsed = resendBody.safeParse(req.body ?? {});
    const email = parsed.success ? parsed.data.email : undefined;
    if (!parsed.success || repeatedField(req.body, ['email', 'website', 'lang']) || !isValidEmail(email)) {
      const emailError = `<p class="error" id="resend-email-error" role="alert">${escapeHtml(FIELD_MESSAGES[locale].email)}</p>`;
      const form = c.pages.fragment('confirm-resend-form', locale, { email: typeof email === 'string' ? email.slice(0, 254) : '', emailError });
      return c.pages.send(res, 400, 'confirm-resend', locale, { form });
    }
    if (!parsed.data.website) await c.signupIntake.resend({ email: normalizeEmail(email), locale, ...origin(req) });
    c.pages.send(res, 202, 'confirm-resend-sent', locale);
  });

  router.get('/confirm/:token', async (req, res) => {
    const { lists } = await c.signup.inspect(req.params.token);
    const locale = negotiateLocale(req);
    // The page shows the consent sentence of the policy in force naming the lists this click
    // confirms; pressing its button agrees to it.
    const policy = await c.policies.current();
    const names = await listNames(c, lists, locale);
    c.pages.send(res, 200, 'confirm', locale, {
      token: req.params.token,
      consentText: consentProof(policy, locale, names).consentText,
      policyVersion: policy.version,
      lists: quotedNames(names, locale),
    });
  });

  router.post('/confirm/:token', async (req, res) => {
    assertSingleValued(req.body, ['lang', 'policyVersion']);
    const locale = negotiateLocale(req);
    const posted = typeof req.body?.policyVersion === 'string' && /^\d{1,6}$/.test(req.body.policyVersion) ? Number(req.body.policyVersion) : undefined;
    const { lists } = await c.signup.inspect(req.params.token);
    const shown = await catalogue.consentShown(posted, locale, lists);
    await c.signup.confirm(req.params.token, { ip: clientIp(req), forwardedFor: forwardedFor(req), userAgent: req.get('user-agent')?.slice(0, 512), shown });
    c.pages.send(res, 200, 'confirmed', locale);
  });

  return router;
}

/** Per-IP limit on sign-up POSTs; 429 with Retry-After through the shared error handler. */
function signupRateLimit(perMinute: number): RequestHandler {
  return rateLimit({
    windowMs: 60_000,
    limit: perMinute,
    keyGenerator: (req) => limitKey(req.ip ?? ''),
    // The library reads the function's source for a call of ipKeyGenerator; limitKey makes it.
    validate: { keyGeneratorIpFallback: false },
    // No RateLimit-* headers: a counter that changes per request would make answers differ.
    standardHeaders: false,
    legacyHeaders: false,
    handler: (req, res, next) => {
      const info = (req as Request & { rateLimit?: RateLimitInfo }).rateLimit;
      const resetAt = info?.resetTime?.getTime() ?? Date.now() + 60_000;
      res.set('Retry-After', String(Math.max(1, Math.ceil((resetAt - Date.now()) / 1000))));
      next(new AppError(ErrorCodes.RATE_LIMITED, 'too many sign-up requests from this address; try again later'));
    },
  });
}

/** Where the request came from, for the consent proof. */
function origin(req: Request): Pick<SignupJob, 'ip' | 'forwardedFor' | 'userAgent'> {
  return { ip: clientIp(req), forwardedFor: forwardedFor(req), userAgent: req.get('user-agent')?.slice(0, 512) };
}

function sendAccepted(c: Deps, res: Response, locale: Locale): void {
  c.pages.send(res, 202, 'check-inbox', locale);
}

interface FormState {
  errors?: Partial<Record<Field, boolean>>;
  repeatedField?: string;
  /** What the person sent: shown again as sent, every field (the consent box too). */
  values?: { email?: string; name?: string; lists?: string | string[]; consent?: string };
  /** A blank form's ticked list. */
  preselect?: string;
}

async function sendForm(c: Deps, req: Request, res: Response, status: number, state: FormState): Promise<void> {
  const locale = negotiateLocale(req);
  const [policy, lists] = await Promise.all([
    c.policies.current(),
    listQueries.publicCatalogue(c.models).lean(),
  ]);
  const sent = state.values ? [state.values.lists ?? []].flat() : [state.preselect ?? DEFAULT_LIST];
  const chosen = new Set(lists.length === 1 ? [lists[0]!.slug] : sent);
  const nameOf = (l: (typeof lists)[number]) => l.name?.[locale] ?? l.slug;
  const parts = consentParts(policy.consentText[locale], locale);
  const fieldError = (field: Field) =>
    state.errors?.[field] ? `<p class="error" id="${field}-error" role="alert">${escapeHtml(FIELD_MESSAGES[locale][field])}</p>` : '';
  res.vary('Accept-Language');
  c.pages.send(res, status, 'subscribe', locale, {
    email: state.values?.email ?? '',
    name: state.values?.name ?? '',
    consentChecked: state.values?.consent === 'yes' ? ' checked' : '',
    consentBefore: parts.before,
    consentAfter: parts.after,
    quoteOpen: parts.open,
    quoteClose: parts.close,
    consentLists: quotedNames(lists.filter((l) => chosen.has(l.slug)).map(nameOf), locale),
    policyVersion: policy.version,
    // One public list needs no choice; the sign-up then defaults to it.
    listChoice:
      lists.length > 1
        ? c.pages.fragment('subscribe-lists', locale, {
            rows: lists
              .map((l) =>
                c.pages.fragment('subscribe-list-row', locale, {
                  slug: l.slug,
                  name: nameOf(l),
                  // No empty line under a list without a description.
                  descriptionHtml: l.description?.[locale] ? `<br><span class="muted">${escapeHtml(l.description[locale])}</span>` : '',
                  checked: chosen.has(l.slug) ? ' checked' : '',
                }),
              )
              .join('\n'),
          })
        : '',
    emailError: fieldError('email'),
    nameError: fieldError('name'),
    listsError: fieldError('lists'),
    consentError: fieldError('consent'),
    formError: state.repeatedField
      ? `<p class="error" role="alert">${escapeHtml(FIELD_MESSAGES[locale].repeated.replace('{field}', state.repeatedField))}</p>`
      : '',
  });
}

async function listNames(c: Deps, slugs: string[], locale: Locale): Promise<string[]> {
  const docs = await listQueries.namesOf(c.models, slugs).lean();
  const names = new Map(docs.map((d) => [d.slug, d.name?.[locale] ?? d.slug]));
  return slugs.map((s) => names.get(s) ?? s);
}

let script: string | undefined;
/** templates/pages/subscribe.js: keeps the consent sentence naming the ticked lists (the CSP allows 'self' scripts only). */
function subscribeScript(): string {
  return (script ??= readFileSync(path.join(TEMPLATES_DIR, 'pages', 'subscribe.js'), 'utf8'));
}

/**
 * The limiter's key: the IPv4 address (also when a dual-stack socket reports it IPv4-mapped), else
 * the IPv6 /56 as the library keys it. The library parses every address as IPv6 to find out, a
 * measurable share of a sign-up's time at a thousand a second.
 */
export function limitKey(ip: string): string {
  const v4 = ip.startsWith('::ffff:') ? ip.slice(7) : ip;
  return isIPv4(v4) ? v4 : ipKeyGenerator(ip);
}
