// Reading many documents by _id, the one lookup the send path uses: one `{_id: {$in: ids}}` per
// thousand ids, served by the _id index on MongoDB and, through the equality pushdown built into
// the embedded FerretDB (src/infra/ferretdb.ts), on its SQLite backend too: 500 ids out of 50,000
// in 54 ms there, against 190 ms for 500 single seeks 16 at a time.
import type { Model } from 'mongoose';

// Well below the pushdown's limit on bound values (10,000), past which FerretDB would scan.
const IDS_PER_QUERY = 1000;

export class ByIdReader {
  /** The documents among `ids` that exist, in no particular order, lean, with the projection given. */
  async find<T>(model: Model<T>, ids: readonly unknown[], projection: Record<string, 0 | 1>): Promise<Array<T & { _id: unknown }>> {
    const found: Array<T & { _id: unknown }> = [];
    for (let i = 0; i < ids.length; i += IDS_PER_QUERY) {
      const chunk = ids.slice(i, i + IDS_PER_QUERY);
      found.push(...((await model.find({ _id: { $in: chunk } }, projection).lean()) as Array<T & { _id: unknown }>));
    }
    return found;
  }
}
