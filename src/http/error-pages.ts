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

export function errorPages(pages: PageRenderer): ErrorPageRenderer {
  return (req: Request, res: Response, err: AppError, status: number) => {
    if (req.originalUrl.startsWith('/api/') || !req.accepts('html')) return false;
    const locale = negotiateLocale(req);
    const [heading, message] = MESSAGES[err.code]?.[locale] ?? FALLBACK[locale];
    pages.send(res, status, 'error', locale, { heading, message });
    return true;
  };
}
