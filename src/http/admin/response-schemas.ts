// Building blocks of the admin API's response schemas: what a Date, an id and a list look like once
// the handler's answer has gone through JSON. Responses are strict objects, so a field a handler
// starts to leak shows up in the tests instead of in a browser.
import { z } from 'zod';

/** A Date written by res.json. */
export const isoDate = z.iso.datetime();
export const objectId = z.string().regex(/^[0-9a-f]{24}$/);

/** `{items: [...]}`, the shape of every list answer. */
export const itemsOf = <T extends z.ZodType>(item: T) => z.strictObject({ items: z.array(item) });
