// The one rule for a person's name, wherever it enters (sign-up, import, rectification by link or
// by the DPO): at most 200 characters after trimming, no control characters (a CR/LF in a name ends
// up in a mail header or a CSV export), no line or paragraph separators.
import { ValidationError } from '../errors';

export const MAX_NAME_LENGTH = 200;
const FORBIDDEN = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;

export const NAME_RULE = `at most ${MAX_NAME_LENGTH} characters, without control characters`;

/** The trimmed name, or undefined when it breaks the rule. */
export function checkPersonName(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const name = value.trim();
  if (name.length > MAX_NAME_LENGTH || FORBIDDEN.test(name)) return undefined;
  return name;
}

/** The trimmed name; a ValidationError naming the field `name` when it breaks the rule. */
export function personName(value: unknown): string {
  const name = checkPersonName(value);
  if (name === undefined) throw new ValidationError(`name: must be ${NAME_RULE}`, { fields: [{ field: 'name', message: `must be ${NAME_RULE}` }] });
  return name;
}
