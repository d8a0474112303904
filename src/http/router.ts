// Every router of the app: paths match case-sensitively, so `/U/<token>` is a 404 like any unknown
// path instead of a second spelling of `/u/<token>` that logs and caches would treat as different.
import { Router } from 'express';

export function caseSensitiveRouter(): Router {
  return Router({ caseSensitive: true });
}
