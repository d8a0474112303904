// Reading many documents by _id, the one lookup the hot paths use. MongoDB answers
// `{_id: {$in: ids}}` from its _id index in one round trip. FerretDB v1's SQLite backend pushes
// down only `{_id: value}` (an index seek, see src/infra/ferretdb.ts) and answers `$in` by decoding
// the whole collection in Go: for a send batch of 500 out of 20,000 that was 1.4 s per query, while
// 500 seeks, 16 at a time, take about 0.1 s. So the strategy follows the server.
import type { Connection, Model } from 'mongoose';
import { mapConcurrently } from '../map-concurrently';

export type IdLookup = 'in' | 'seek';

const SEEKS_IN_FLIGHT = 16;

/** `seek` on FerretDB (its buildInfo names its version), `in` on MongoDB. */
export async function detectIdLookup(conn: Connection): Promise<IdLookup> {
  const info = await conn.db!.admin().command({ buildInfo: 1 });
  return 'ferretdbVersion' in info ? 'seek' : 'in';
}

export class ByIdReader {
  constructor(readonly lookup: IdLookup) {}

  /** The documents among `ids` that exist, in no particular order, lean, with the projection given. */
  async find<T>(model: Model<T>, ids: readonly unknown[], projection: Record<string, 0 | 1>): Promise<Array<T & { _id: unknown }>> {
    if (ids.length === 0) return [];
    if (this.lookup === 'in') return (await model.find({ _id: { $in: ids } }, projection).lean()) as Array<T & { _id: unknown }>;
    const found = await mapConcurrently(ids, SEEKS_IN_FLIGHT, (id) => model.findById(id, projection).lean());
    return found.filter((doc) => doc !== null) as Array<T & { _id: unknown }>;
  }
}
