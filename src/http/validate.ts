import type { z } from 'zod';
import { ValidationError } from '../errors';

/** Parses untrusted input with a strict schema; a mismatch is the client's error (400), never a query. */
export function parseOr400<T extends z.ZodTypeAny>(schema: T, input: unknown): z.infer<T> {
  const result = schema.safeParse(input);
  if (!result.success) {
    const fields = result.error.issues.map((i) => ({ field: i.path.join('.'), message: i.message }));
    throw new ValidationError(fields.map((f) => (f.field ? `${f.field}: ${f.message}` : f.message)).join('; '), { fields });
  }
  return result.data;
}
