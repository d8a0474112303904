// Sign-up and confirmation: GET /subscribe (form), POST /subscribe (form), POST /api/v1/subscriptions
// (JSON), GET /confirm/:token (a page with a button: link scanners fetch it) and POST /confirm/:token.
//
// Invariant 6: every well-formed sign-up gets the same 202 body whatever the address's state,
// including honeypot hits and addresses in their cooldown. Only malformed input (400) and the per-IP
// limit (429) answer differently, and neither depends on the address being known.
import { Router, type Request, type RequestHandler, type Response } from 'express';
import { rateLimit, type RateLimitInfo } from 'express-rate-limit';
import { z } from 'zod';
import type { Container } from '../../container';
import { DEFAULT_LIST, LIST_SLUG } from '../../data/list.model';
import { isValidEmail } from '../../domain/email-address';
import { AppError, ErrorCodes, ValidationError } from '../../errors';
import { escapeHtml } from '../../html';
import { negotiateLocale, type Locale } from '../locale';
import { parseOr400 } from '../validate';
import { caseSensitiveRouter } from '../router';

type Deps = Pick<Container, 'config' | 'models' | 'pages' | 'policies' | 'signup'>;

const ACCEPTED_JSON = { status: 'accepted', message: 'If the address can receive e-Jaunumi, a confirmation email is on its way.' };

const NAME = z
  .string()
  .trim()
  .max(200)
  .regex(/^[^\u0000-\u001f\u007f]*$/, 'must not contain control characters');

// JSON: exactly these keys, strings where strings belong; an object or `$`-key never reaches a query.
const apiBody = z.strictObject({
  email: z.string(),
  name: NAME.optional(),
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
});

const FIELD_MESSAGES = {
  lv: {
    email: 'Ievadiet derīgu e-pasta adresi, piemēram, vards@example.lv.',
    name: 'Vārds var būt līdz 200 rakstzīmēm garš, bez vadības rakstzīmēm.',
    consent: 'Lai pierakstītos, atzīmējiet piekrišanu.',
    lists: 'Izvēlieties vismaz vienu sarakstu.',
  },
  en: {
    email: 'Enter a valid email address, for example name@example.lv.',
    name: 'The name may be up to 200 characters, without control characters.',
    consent: 'To sign up, tick the consent box.',
    lists: 'Choose at least one list.',
  },
} as const;

type Field = keyof (typeof FIELD_MESSAGES)['lv'];

export function signupRoutes(c: Deps): Router {
  const router = caseSensitiveRouter();
  const limitPerIp = signupRateLimit(c.config.signupIpLimitPerMinute);

  router.get('/subscribe', async (req, res) => {
    // The unsubscribe page's "way back in" links here with ?list=SLUG: preselect that list.
    const list = typeof req.query.list === 'string' && LIST_SLUG.test(req.query.list) ? req.query.list : undefined;
    await sendForm(c, req, res, 200, list ? { values: { lists: list } } : {});
  });

  router.post('/subscribe', limitPerIp, async (req, res) => {
    const locale = negotiateLocale(req);
    const parsed = formBody.safeParse(req.body ?? {});
    if (!parsed.success) return sendForm(c, req, res, 400, { errors: { email: true } });
    const form = parsed.data;
    // A bot filled the hidden field: answer as for anyone, do nothing.
    if (form.website) return sendAccepted(c, res, locale);

    const lists = form.lists === undefined ? undefined : [form.lists].flat();
    const name = NAME.safeParse(form.name ?? '');
    const errors: Partial<Record<Field, boolean>> = {
      email: !isValidEmail(form.email),
      name: !name.success,
      consent: form.consent !== 'yes',
      lists: lists !== undefined && (lists.length === 0 || !lists.every((l) => LIST_SLUG.test(l))),
    };
    if (Object.values(errors).some(Boolean)) return sendForm(c, req, res, 400, { errors, values: form });
    try {
      await c.signup.request({
        email: form.email!,
        name: name.data || undefined,
        lists,
        locale,
        channel: 'web-form',
        ip: req.ip,
        userAgent: req.get('user-agent'),
      });
    } catch (err) {
      // Only an unknown list is left to fail here; the address was checked above.
      if (err instanceof ValidationError) return sendForm(c, req, res, 400, { errors: { lists: true }, values: form });
      throw err;
    }
    sendAccepted(c, res, locale);
  });

  router.post('/api/v1/subscriptions', limitPerIp, async (req, res) => {
    const body = parseOr400(apiBody, req.body ?? {});
    await c.signup.request({
      email: body.email,
      name: body.name || undefined,
      lists: body.lists,
      locale: body.locale ?? negotiateLocale(req),
      channel: 'api',
      ip: req.ip,
      userAgent: req.get('user-agent'),
    });
    res.status(202).set('Cache-Control', 'no-store').json(ACCEPTED_JSON);
  });

  router.get('/confirm/:token', async (req, res) => {
    await c.signup.inspect(req.params.token);
    c.pages.send(res, 200, 'confirm', negotiateLocale(req), { token: req.params.token });
  });

  router.post('/confirm/:token', async (req, res) => {
    await c.signup.confirm(req.params.token, { ip: req.ip, userAgent: req.get('user-agent') });
    c.pages.send(res, 200, 'confirmed', negotiateLocale(req));
  });

  return router;
}

/** Per-IP limit on sign-up POSTs; 429 with Retry-After through the shared error handler. */
function signupRateLimit(perMinute: number): RequestHandler {
  return rateLimit({
    windowMs: 60_000,
    limit: perMinute,
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

function sendAccepted(c: Deps, res: Response, locale: Locale): void {
  c.pages.send(res, 202, 'check-inbox', locale);
}

interface FormState {
  errors?: Partial<Record<Field, boolean>>;
  values?: { email?: string; name?: string; lists?: string | string[] };
}

async function sendForm(c: Deps, req: Request, res: Response, status: number, state: FormState): Promise<void> {
  const locale = negotiateLocale(req);
  const [policy, lists] = await Promise.all([
    c.policies.current(),
    c.models.lists.find({ public: true }, { slug: 1, name: 1, description: 1 }).sort({ slug: 1 }).lean(),
  ]);
  const chosen = new Set(state.values?.lists === undefined ? [DEFAULT_LIST] : [state.values.lists].flat());
  const fieldError = (field: Field) =>
    state.errors?.[field] ? `<p class="error" id="${field}-error" role="alert">${escapeHtml(FIELD_MESSAGES[locale][field])}</p>` : '';
  res.vary('Accept-Language');
  c.pages.send(res, status, 'subscribe', locale, {
    email: state.values?.email ?? '',
    name: state.values?.name ?? '',
    consentText: policy.consentText[locale],
    policyVersion: policy.version,
    // One public list needs no choice; the sign-up then defaults to it.
    listChoice:
      lists.length > 1
        ? c.pages.fragment('subscribe-lists', locale, {
            rows: lists
              .map((l) =>
                c.pages.fragment('subscribe-list-row', locale, {
                  slug: l.slug,
                  name: l.name?.[locale] ?? l.slug,
                  description: l.description?.[locale] ?? '',
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
  });
}
