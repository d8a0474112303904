// What must exist after start: the default list and the first privacy-policy version.
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { DEFAULT_LIST } from '../data/list.model';
import type { Models } from '../data/models';
import { TEMPLATES_DIR } from '../paths';
import { insertOnce } from './claims';

export const POLICY_V1_EFFECTIVE = new Date('2018-05-25T00:00:00Z');

export const CONSENT_TEXT_V1 = {
  lv:
    'Piekrītu saņemt IMPRO CEĻOJUMI komerciālus paziņojumus (e-Jaunumus) uz norādīto e-pastu. ' +
    'Piekrišanu varu atsaukt jebkurā brīdī, sekojot norādījumiem katra e-Jaunumu sūtījuma beigās vai rakstot uz impro@impro.lv.',
  en:
    'I agree to receive commercial notices (e-Jaunumi) from IMPRO CEĻOJUMI at this address. ' +
    'I can withdraw my consent at any moment through the link at the end of every mailing or by writing to impro@impro.lv.',
};

export function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

// Two processes may seed at once (API and workers start together): the unique index decides.
export async function seedDefaults(models: Models): Promise<void> {
  await insertOnce(() =>
    models.lists.create({
      slug: DEFAULT_LIST,
      name: { lv: 'e-Jaunumi', en: 'e-Jaunumi' },
      description: {
        lv: 'IMPRO CEĻOJUMI jaunumi, ceļojumu piedāvājumi un akcijas',
        en: 'IMPRO CEĻOJUMI news, travel offers and promotions',
      },
      public: true,
    }),
  );
  const text = await readFile(path.join(TEMPLATES_DIR, 'policy', 'privacy-policy-v1-lv.txt'), 'utf8');
  await insertOnce(() =>
    models.policyVersions.create({
      version: 1,
      effectiveAt: POLICY_V1_EFFECTIVE,
      textHash: sha256(text),
      text,
      consentText: CONSENT_TEXT_V1,
    }),
  );
}

