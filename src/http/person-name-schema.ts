// The name rule of src/domain/person-name.ts as a zod schema for request bodies.
import { z } from 'zod';
import { checkPersonName, NAME_RULE } from '../domain/person-name';

export const personNameSchema = z
  .string()
  .refine((value) => checkPersonName(value) !== undefined, `must be ${NAME_RULE}`)
  .transform((value) => checkPersonName(value)!);
