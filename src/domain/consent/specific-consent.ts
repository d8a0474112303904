// Consent must be specific (GDPR art. 4(11)): the sentence a person agrees to names every list they
// chose. A policy version's consent text is the template: where it holds `{lists}` the quoted list
// names go there; otherwise (version 1 predates lists) one sentence naming them follows it. The
// sign-up page's script (templates/pages/subscribe.js) fills the same `before`/`after` parts as the
// boxes change, so the text shown is the text recorded.
import type { PolicyLocale } from './policy-versions';

const LISTS_SLOT = '{lists}';

const QUOTES: Record<PolicyLocale, [string, string]> = { lv: ['„', '”'], en: ['“', '”'] };
const LISTS_SENTENCE: Record<PolicyLocale, string> = { lv: 'Izvēlētie saraksti: ', en: 'Lists chosen: ' };

export interface ConsentParts {
  before: string;
  after: string;
  open: string;
  close: string;
}

export function consentParts(template: string, locale: PolicyLocale): ConsentParts {
  const [open, close] = QUOTES[locale];
  const slot = template.indexOf(LISTS_SLOT);
  if (slot >= 0) return { before: template.slice(0, slot), after: template.slice(slot + LISTS_SLOT.length), open, close };
  return { before: `${template.trimEnd()} ${LISTS_SENTENCE[locale]}`, after: '.', open, close };
}

/** The quoted names, each once, in the order given. */
export function quotedNames(names: string[], locale: PolicyLocale): string {
  const [open, close] = QUOTES[locale];
  return [...new Set(names)].map((n) => `${open}${n}${close}`).join(', ');
}

/** The consent sentence for these lists, as shown on the form and the confirmation page. */
export function specificConsentText(template: string, listNames: string[], locale: PolicyLocale): string {
  const { before, after } = consentParts(template, locale);
  return `${before}${quotedNames(listNames, locale)}${after}`;
}
