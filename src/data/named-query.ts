// Every query the product sends is a named function beside its model (`*.queries.ts`), declaring the
// index that serves it. On the embedded FerretDB a filter its SQLite backend does not push down
// reads and decodes the whole collection, and on MongoDB a filter no index serves does the same; a
// name and an index per shape let one read of src/data show what the product asks, and let
// test/foundation/query-plans.test.ts explain every one of them on the real server.
//
// A named query returns the Mongoose Query or Aggregate unawaited (the caller awaits it), so the
// test can explain the very shape the product sends. Updates and deletes are explained through a
// find with their filter: the backend reads them the same way.
import type { Models } from './models';

/** The index that serves a query (its name as MongoDB gives it, `_id_` for `_id`), or a scan on purpose. */
export type QueryPlan = { index: string } | { scan: string };

export type NamedQuery<A extends unknown[], R> = ((models: Models, ...args: A) => R) & { readonly plan: QueryPlan };

/** A query served by `index`; the plans test fails if the server reads the collection instead. */
export function uses<A extends unknown[], R>(index: string, run: (models: Models, ...args: A) => R): NamedQuery<A, R> {
  return Object.assign(run, { plan: { index } as const });
}

/**
 * A query that reads the whole collection on purpose, and why that is acceptable (a nightly job, a
 * search no index can serve). Never on a path a person waits for.
 */
export function scans<A extends unknown[], R>(why: string, run: (models: Models, ...args: A) => R): NamedQuery<A, R> {
  return Object.assign(run, { plan: { scan: why } as const });
}
