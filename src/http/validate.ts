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

/**
 * Form bodies turn a field sent twice into an array. For a field that holds one value that is the
 * client's error, answered as such: the first such field's name, or undefined.
 */
export function repeatedField(body: unknown, singleValued: readonly string[]): string | undefined {
  if (!body || typeof body !== 'object') return undefined;
  return singleValued.find((field) => Array.isArray((body as Record<string, unknown>)[field]));
}

/** A 400 naming the first single-valued field that was sent more than once. */
export function assertSingleValued(body: unknown, singleValued: readonly string[]): void {
  const field = repeatedField(body, singleValued);
  if (field) throw new ValidationError(`${field}: sent more than once`, { fields: [{ field, message: 'sent more than once' }] });
}
