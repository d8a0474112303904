// /r/:token — the link that proves a data-subject requester controls the address (invariant 7).
// GET only shows the request and a button (link scanners prefetch); POST verifies, and only then
// does the request proceed (export, erasure, rectification).
import { Router } from 'express';
import { z } from 'zod';
import type { Container } from '../../container';
import type { RequestType } from '../../data/data-subject-request.model';
import type { VerifyOutcome } from '../../domain/requests/requests';
import { negotiateLocale, type Locale } from '../locale';
import { personNameSchema } from '../person-name-schema';
import { parseOr400 } from '../validate';
import { caseSensitiveRouter } from '../router';

const emptyToUndefined = (v: unknown) => (v === '' ? undefined : v);
const verifyForm = z.strictObject({
  lang: z.enum(['lv', 'en']).optional(),
  name: z.preprocess(emptyToUndefined, personNameSchema.optional()),
  locale: z.preprocess(emptyToUndefined, z.enum(['lv', 'en']).optional()),
});

const WHAT: Record<RequestType, Record<Locale, string>> = {
  access: {
    lv: 'Jūs lūdzāt izsniegt savus datus. Pēc apstiprināšanas kopiju nosūtīsim tikai uz šo e-pasta adresi.',
    en: 'You asked for a copy of your data. Once you confirm, we send it to this email address only.',
  },
  erasure: {
    lv: 'Jūs lūdzāt dzēst savus datus. Pēc apstiprināšanas tos neatgriezeniski dzēsīsim, un e-Jaunumus vairs nesaņemsiet.',
    en: 'You asked us to erase your data. Once you confirm, it is erased for good and you will no longer receive e-Jaunumi.',
  },
  rectification: {
    lv: 'Jūs lūdzāt labot savus datus. Norādiet pareizo vārdu un vēlamo valodu; tukšu lauku neizmainīsim.',
    en: 'You asked us to correct your data. Enter the correct name and preferred language; an empty field stays as it is.',
  },
  restriction: { lv: 'Jūs lūdzāt ierobežot savu datu apstrādi.', en: 'You asked us to restrict the processing of your data.' },
  withdrawal: { lv: 'Jūs atsaucāt piekrišanu.', en: 'You withdrew your consent.' },
};

const RESULT: Record<VerifyOutcome | 'rejected', Record<Locale, [string, string]>> = {
  exported: {
    lv: ['Paldies, apstiprināts', 'Jūsu datu kopija ir nosūtīta uz Jūsu e-pasta adresi.'],
    en: ['Thank you, confirmed', 'A copy of your data has been sent to your email address.'],
  },
  erased: {
    lv: ['Jūsu dati ir dzēsti', 'Mēs vairs neglabājam Jūsu datus un nesūtīsim Jums e-Jaunumus. Ja vēlaties tos saņemt atkal, varat pierakstīties no jauna.'],
    en: ['Your data has been erased', 'We no longer hold your data and will not send you e-Jaunumi. If you want them again, you can sign up anew.'],
  },
  rectified: {
    lv: ['Jūsu dati ir laboti', 'Paldies! Izmaiņas ir saglabātas.'],
    en: ['Your data has been corrected', 'Thank you! The changes are saved.'],
  },
  verified: {
    lv: ['Paldies, apstiprināts', 'Jūsu pieprasījums tiks izskatīts, un atbildi nosūtīsim uz Jūsu e-pasta adresi.'],
    en: ['Thank you, confirmed', 'We will handle your request and answer at your email address.'],
  },
  'already-verified': {
    lv: ['Jau apstiprināts', 'Šis pieprasījums jau ir apstiprināts. Atbildi nosūtīsim vai jau esam nosūtījuši uz Jūsu e-pasta adresi.'],
    en: ['Already confirmed', 'This request has already been confirmed. We will answer, or have answered, at your email address.'],
  },
  rejected: {
    lv: ['Pieprasījums ir slēgts', 'Šis pieprasījums ir slēgts. Ja Jums ir jautājumi, rakstiet uz impro@impro.lv.'],
    en: ['This request is closed', 'This request is closed. If you have questions, write to impro@impro.lv.'],
  },
};

export function verifyRoutes(c: Pick<Container, 'requests' | 'pages'>): Router {
  const router = caseSensitiveRouter();

  router.get('/r/:token', async (req, res) => {
    const locale = negotiateLocale(req);
    const request = await c.requests.forVerification(req.params.token);
    if (request.status !== 'awaiting-verification') {
      sendResult(res, request.status === 'rejected' ? 'rejected' : 'already-verified', locale, request.number);
      return;
    }
    c.pages.send(res, 200, 'verify', locale, {
      token: req.params.token,
      number: request.number,
      what: WHAT[request.type][locale],
      // Empty fields only: showing the current name before the person confirms would disclose it.
      rectificationFields: request.type === 'rectification' ? c.pages.fragment('verify-rectification', locale) : '',
    });
  });

  router.post('/r/:token', async (req, res) => {
    const form = parseOr400(verifyForm, req.body ?? {});
    const locale = negotiateLocale(req);
    const rectification = form.name !== undefined || form.locale !== undefined ? { name: form.name, locale: form.locale } : undefined;
    const { number, outcome } = await c.requests.verify(req.params.token, { locale, rectification });
    sendResult(res, outcome, locale, number);
  });

  function sendResult(res: Parameters<typeof c.pages.send>[0], outcome: VerifyOutcome | 'rejected', locale: Locale, number: string) {
    const [heading, message] = RESULT[outcome][locale];
    c.pages.send(res, 200, 'verify-result', locale, { heading, message, number });
  }

  return router;
}
