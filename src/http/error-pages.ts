// Public pages show errors as pages in the visitor's language; the API keeps JSON.
import type { Request, Response } from 'express';
import { ErrorCodes, type AppError } from '../errors';
import type { ErrorPageRenderer } from './error-handler';
import { negotiateLocale } from './locale';
import type { PageRenderer } from './pages';

const MESSAGES: Record<string, { lv: [string, string]; en: [string, string] }> = {
  [ErrorCodes.INVALID_TOKEN]: {
    lv: ['Saite nav derīga', 'Šī saite nav derīga vai ir nepilnīga. Pārbaudiet, vai nokopējāt visu saiti no e-pasta.'],
    en: ['This link is not valid', 'This link is not valid or is incomplete. Check that you copied the whole link from the email.'],
  },
  [ErrorCodes.EXPIRED_TOKEN]: {
    lv: ['Saite ir novecojusi', 'Šīs saites derīguma termiņš ir beidzies. Lūdzu, pierakstieties vēlreiz.'],
    en: ['This link has expired', 'This link is no longer valid. Please sign up again.'],
  },
  [ErrorCodes.USED_TOKEN]: {
    lv: ['Saite jau izmantota', 'Šī saite jau ir izmantota vai to aizstājusi jaunāka. Izmantojiet jaunāko saņemto e-pastu.'],
    en: ['This link was already used', 'This link has been used or replaced by a newer one. Use the newest email you received.'],
  },
  [ErrorCodes.NOT_FOUND]: {
    lv: ['Lapa nav atrasta', 'Meklētā lapa neeksistē.'],
    en: ['Page not found', 'The page you are looking for does not exist.'],
  },
  [ErrorCodes.INTERNAL]: {
    lv: ['Radās kļūda mūsu pusē', 'Lūdzu, mēģiniet vēlreiz vēlāk. Ja kļūda atkārtojas, rakstiet uz impro@impro.lv.'],
    en: ['Something went wrong on our side', 'Please try again later. If it keeps happening, write to impro@impro.lv.'],
  },
  [ErrorCodes.RATE_LIMITED]: {
    lv: ['Pārāk daudz pieprasījumu', 'Lūdzu, pamēģiniet vēlreiz pēc brīža.'],
    en: ['Too many requests', 'Please try again in a moment.'],
  },
};

const FALLBACK = {
  lv: ['Pieprasījumu nevar izpildīt', 'Pieprasījumā ir kļūda.'] as [string, string],
  en: ['The request cannot be processed', 'Something in the request is not right.'] as [string, string],
};

const LINK_ERRORS: readonly string[] = [ErrorCodes.INVALID_TOKEN, ErrorCodes.EXPIRED_TOKEN, ErrorCodes.USED_TOKEN];

// A broken unsubscribe link must still let the person leave: a mail from their own address does it.
const UNSUBSCRIBE_MAILTO = 'mailto:impro@impro.lv?subject=Atteikties%20no%20e-Jaunumiem%20%2F%20Unsubscribe';

type Words = { lv: [string, string]; en: [string, string] };

/**
 * Messages for a broken link of one kind, by the path it came in on; `byCode` where the cause
 * matters to the person; `resendForm` adds the form that asks for a fresh confirmation link.
 */
const LINK_MESSAGES: Array<Words & { path: RegExp; help: { lv: string; en: string }; byCode?: Record<string, Words>; resendForm?: boolean }> = [
  {
    path: /^\/confirm\//,
    lv: ['Apstiprinājuma saite nedarbojas', 'Šī apstiprinājuma saite nav derīga vai ir nepilnīga.'],
    en: ['This confirmation link does not work', 'This confirmation link is not valid or is incomplete.'],
    byCode: {
      [ErrorCodes.EXPIRED_TOKEN]: {
        lv: ['Apstiprinājuma saite ir novecojusi', 'Šīs apstiprinājuma saites derīguma termiņš ir beidzies.'],
        en: ['This confirmation link has expired', 'This confirmation link is no longer valid.'],
      },
      [ErrorCodes.USED_TOKEN]: {
        lv: ['Saite jau izmantota', 'Šī saite jau ir izmantota vai to aizstājusi jaunāka. Izmantojiet jaunāko saņemto e-pastu.'],
        en: ['This link was already used', 'This link has been used or replaced by a newer one. Use the newest email you received.'],
      },
    },
    help: {
      lv: 'Ievadiet e-pasta adresi, ar kuru pierakstījāties: ja pierakstīšanās vēl gaida apstiprinājumu, nosūtīsim jaunu saiti. Var arī <a href="/subscribe">pierakstīties no jauna</a>.',
      en: 'Enter the email address you signed up with: if the sign-up is still waiting for confirmation, we will send you a new link. You can also <a href="/subscribe?lang=en">sign up again</a>.',
    },
    resendForm: true,
  },
  {
    path: /^\/u\//,
    lv: ['Atteikšanās saite nedarbojas', 'Šī atteikšanās saite nav derīga vai ir nepilnīga. Atteikties var arī bez tās.'],
    en: ['This unsubscribe link does not work', 'This unsubscribe link is not valid or is incomplete. You can still unsubscribe without it.'],
    help: {
      lv: `Nosūtiet mums e-pastu no adreses, uz kuru saņemat e-Jaunumus: <a href="${UNSUBSCRIBE_MAILTO}">impro@impro.lv</a> ar tematu „Atteikties no e-Jaunumiem”, un mēs pārtrauksim sūtīšanu. Derīga atteikšanās saite ir arī katra e-Jaunumu sūtījuma beigās.`,
      en: `Send us an email from the address that receives e-Jaunumi: <a href="${UNSUBSCRIBE_MAILTO}">impro@impro.lv</a> with the subject “Unsubscribe”, and we will stop sending. Every e-Jaunumi mailing also ends with a working unsubscribe link.`,
    },
  },
  {
    path: /^\/r\//,
    lv: ['Apstiprinājuma saite nedarbojas', 'Šī pieprasījuma apstiprinājuma saite vairs nav derīga.'],
    en: ['This verification link does not work', 'This link to verify your request is no longer valid.'],
    help: {
      lv: 'Lai saņemtu jaunu apstiprinājuma e-pastu, atbildiet uz e-pastu, kurā saņēmāt šo saiti, vai rakstiet uz <a href="mailto:impro@impro.lv">impro@impro.lv</a>, norādot pieprasījuma numuru. Jūsu pieprasījums nav zudis: nosūtīsim jaunu saiti.',
      en: 'To receive a new verification email, reply to the email that brought this link or write to <a href="mailto:impro@impro.lv">impro@impro.lv</a> with the request number. Your request is not lost: we will send you a new link.',
    },
  },
  {
    path: /^\/re-consent\//,
    lv: ['Apstiprinājuma saite nedarbojas', 'Šī saite vairs nav derīga: termiņš ir beidzies, tā jau ir izmantota vai nav pilnīga.'],
    en: ['This confirmation link does not work', 'This link is no longer valid: its deadline has passed, it was already used, or it is incomplete.'],
    help: {
      lv: 'Ja vēlaties saņemt e-Jaunumus, <a href="/subscribe">pierakstieties no jauna</a> (nosūtīsim apstiprinājuma saiti). Jautājumi: <a href="mailto:impro@impro.lv">impro@impro.lv</a>.',
      en: 'If you want e-Jaunumi, <a href="/subscribe?lang=en">sign up again</a> (we will send a confirmation link). Questions: <a href="mailto:impro@impro.lv">impro@impro.lv</a>.',
    },
  },
];

const HELP = {
  lv: 'Ja Jums nepieciešama palīdzība, rakstiet uz <a href="mailto:impro@impro.lv">impro@impro.lv</a>. Pierakstīties e-Jaunumiem var <a href="/subscribe">šeit</a>.',
  en: 'If you need help, write to <a href="mailto:impro@impro.lv">impro@impro.lv</a>. You can sign up for e-Jaunumi <a href="/subscribe?lang=en">here</a>.',
};

export function errorPages(pages: PageRenderer): ErrorPageRenderer {
  return (req: Request, res: Response, err: AppError, status: number) => {
    if (req.originalUrl.startsWith('/api/') || !req.accepts('html')) return false;
    const locale = negotiateLocale(req);
    const link = LINK_ERRORS.includes(err.code) ? LINK_MESSAGES.find((m) => m.path.test(req.path)) : undefined;
    const [heading, message] = link?.byCode?.[err.code]?.[locale] ?? link?.[locale] ?? MESSAGES[err.code]?.[locale] ?? FALLBACK[locale];
    const extra = link?.resendForm ? pages.fragment('confirm-resend-form', locale, { email: '', emailError: '' }) : '';
    pages.send(res, status, 'error', locale, { heading, message, help: link?.help[locale] ?? HELP[locale], extra });
    return true;
  };
}
