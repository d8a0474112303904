// The embedded FerretDB pushes equality filters down to SQLite (src/infra/ferretdb.ts,
// ferretdb/patches/sqlite_pushdown.go). A pushed-down WHERE clause that drops a row MongoDB would
// match is a silent wrong answer, so this compares the server with a reference evaluator of
// MongoDB's query language (sift) on random documents and filters built to sit on the edges:
// JSON-looking strings, arrays, ObjectIds beside the same hex as a string, nulls, numbers,
// missing fields, field names that must not be pushed down. Seeded: PUSHDOWN_SEED=n reproduces.
import { expect } from 'chai';
import mongoose from 'mongoose';
import sift from 'sift';
import { getServices, uniqueName } from '../helpers/services';
import { seededRandom } from '../helpers/seeded-random';

const { MongoClient, ObjectId } = mongoose.mongo;
type ObjectIdT = InstanceType<typeof ObjectId>;
type Doc = Record<string, unknown> & { _id: unknown };
type Filter = Record<string, unknown>;

const SEED = Number(process.env.PUSHDOWN_SEED ?? 20261201);
const ROUNDS = 10;
const DOCS_PER_ROUND = 60;
const FILTERS_PER_ROUND = 32;


class Gen {
  private readonly next: () => number;
  readonly oids: ObjectIdT[];
  readonly strings: string[];

  constructor(seed: number) {
    this.next = seededRandom(seed);
    this.oids = Array.from({ length: 4 }, () => this.oid());
    // Strings whose stored JSON text is tricky: JSON look-alikes, the bytes around the array
    // branch's range ('[' and '\'), escapes Go's encoder writes (\u003c for '<', \u2028), emoji.
    this.strings = [
      '', 'a', 'b', 'A', ' a', '[', ']', '[a', '["a"]', '[]', '"a"', '"', '\\', '\\"', "'", "a'b", '\\u003c', '<', '<b>',
      '&amp;', '</script>', '😀', 'žāņ', '\u2028', '{"a":1}', 'null', '1', 'Z', '^', '\\\\[',
      this.oids[0]!.toHexString(), this.oids[1]!.toHexString(),
    ];
  }

  float(): number {
    return this.next();
  }
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  pick<T>(xs: readonly T[]): T {
    return xs[this.int(xs.length)]!;
  }
  oid(): ObjectIdT {
    return new ObjectId(Array.from({ length: 24 }, () => '0123456789abcdef'[this.int(16)]).join(''));
  }

  /** A string or ObjectId most of the time: the values the pushdown handles. */
  scalar(): unknown {
    const r = this.float();
    if (r < 0.55) return this.pick(this.strings);
    if (r < 0.8) return this.pick(this.oids);
    if (r < 0.88) return null;
    return this.pick([0, 1, 1.5, -2]);
  }

  value(): unknown {
    const r = this.float();
    if (r < 0.7) return this.scalar();
    if (r < 0.95) return Array.from({ length: this.int(4) }, () => this.scalar()); // empty arrays too
    return { b: this.scalar() }; // a document: {f: v} must not match it (FerretDB v1 stores no nested arrays)
  }

  nested(): unknown {
    const r = this.float();
    if (r < 0.6) return { b: this.value() };
    if (r < 0.8) return Array.from({ length: 1 + this.int(2) }, () => ({ b: this.value() }));
    return this.value();
  }

  doc(i: number): Doc {
    const d: Doc = { _id: this.float() < 0.8 ? this.oid() : `id-${i}` };
    for (const f of ['s', 't', 'u', "o'k"]) if (this.float() < 0.8) d[f] = this.value();
    if (this.float() < 0.6) d.a = this.nested();
    return d;
  }

  condition(field: string, docs: Doc[]): unknown {
    const any = () => {
      if (docs.length === 0) return this.scalar(); // the deletes may have emptied the collection
      return field === '_id' ? this.pick(docs)._id : this.float() < 0.5 ? this.valueOf(docs, field) : this.scalar();
    };
    // null on a dotted path through arrays of documents: FerretDB v1 itself, patched or not,
    // differs from MongoDB there, and it is never pushed down; the test is about the pushdown.
    const known = () => {
      const v = any();
      return v === null && field.includes('.') ? this.pick(this.strings) : v;
    };
    const r = this.float();
    if (r < 0.45) return known();
    if (r < 0.6) return { $eq: known() };
    if (r < 0.9) return { $in: Array.from({ length: 1 + this.int(4) }, known) };
    // Not pushed down; mixed with pushed-down ones. Not on a dotted path: there FerretDB v1 itself,
    // patched or not, keeps a document whose array holds the value (MongoDB and sift drop it).
    if (field.includes('.')) return known();
    return { $ne: known() };
  }

  /** A scalar some document holds in that field, so that filters hit. */
  private valueOf(docs: Doc[], field: string): unknown {
    const v = this.pick(docs)[field];
    if (Array.isArray(v)) return v.length > 0 ? this.pick(v) : this.scalar();
    return v === undefined || (typeof v === 'object' && v !== null && !(v instanceof ObjectId)) ? this.scalar() : v;
  }

  filter(docs: Doc[]): Filter {
    const fields = ['s', 't', 'u', "o'k", 'a.b', '_id'];
    const f: Filter = {};
    const n = 1 + this.int(3);
    for (let i = 0; i < n; i++) {
      const field = this.pick(fields);
      f[field] = this.condition(field, docs);
    }
    return f;
  }
}

/** Which filters the patch must push down: see ferretdb/patches/sqlite_pushdown.go. */
function pushable(filter: Filter): boolean {
  const eq = (v: unknown) => typeof v === 'string' || v instanceof ObjectId;
  return Object.entries(filter).some(([k, v]) => {
    if (!/^[A-Za-z0-9_-]+$/.test(k)) return false;
    if (eq(v)) return true;
    if (typeof v !== 'object' || v === null || Object.keys(v).length !== 1) return false;
    const o = v as { $eq?: unknown; $in?: unknown };
    if ('$eq' in o) return eq(o.$eq);
    return Array.isArray(o.$in) && o.$in.length > 0 && o.$in.every(eq);
  });
}

// sift compares an ObjectId by its toJSON(), the bare hex, so it would call an ObjectId equal to
// the same hex as a string; MongoDB does not. The reference sees ObjectIds as a distinct type.
class RefObjectId {
  constructor(readonly hex: string) {}
  toJSON(): string {
    return `\u0000ObjectId:${this.hex}`;
  }
}
function forReference(v: unknown): unknown {
  if (v instanceof ObjectId) return new RefObjectId(v.toHexString());
  if (Array.isArray(v)) return v.map(forReference);
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, forReference(x)]));
  return v;
}
function expectedIds(docs: Doc[], filter: Filter): string[] {
  const test = sift(forReference(filter) as Filter);
  return docs.filter((d) => test(forReference(d))).map((d) => idKey(d._id)).sort();
}
function idKey(id: unknown): string {
  return id instanceof ObjectId ? `oid:${id.toHexString()}` : `str:${String(id)}`;
}
function show(filter: Filter): string {
  return JSON.stringify(filter, (_k, v: unknown) => (typeof v === 'object' && v && 'buffer' in v ? `ObjectId(${String(v)})` : v));
}

describe('FerretDB equality pushdown returns what MongoDB would', function () {
  this.timeout(180_000);
  let client: InstanceType<typeof MongoClient>;
  let db: ReturnType<InstanceType<typeof MongoClient>['db']>;
  let onFerretDb = false;

  before(async () => {
    const s = getServices();
    client = await new MongoClient(`${s.mongoBase}${uniqueName('pd')}${s.mongoQuery}`).connect();
    db = client.db();
    onFerretDb = 'ferretdbVersion' in (await db.admin().command({ buildInfo: 1 }));
  });
  after(async () => {
    await db.dropDatabase();
    await client.close();
  });

  it(`find, countDocuments, findOneAndUpdate, updateMany and deleteMany agree with the reference (seed ${SEED})`, async () => {
    const gen = new Gen(SEED);
    let cases = 0;
    for (let round = 0; round < ROUNDS; round++) {
      const coll = db.collection<Doc>(`r${round}`);
      // Indexed and unindexed fields both: the plan differs, the answer must not.
      await coll.createIndexes([{ key: { s: 1 } }, { key: { t: 1, s: 1 } }, { key: { 'a.b': 1 } }]);
      let docs = Array.from({ length: DOCS_PER_ROUND }, (_, i) => gen.doc(round * 1000 + i));
      await coll.insertMany(docs);

      for (let i = 0; i < FILTERS_PER_ROUND; i++, cases++) {
        const filter = gen.filter(docs);
        const where = `seed ${SEED}, round ${round}, case ${i}: ${show(filter)}`;
        const expected = expectedIds(docs, filter);

        const found = (await coll.find(filter, { projection: { _id: 1 } }).toArray()).map((d) => idKey(d._id)).sort();
        expect(found, `find ${where}`).to.deep.equal(expected);
        expect(await coll.countDocuments(filter), `countDocuments ${where}`).to.equal(expected.length);

        if (onFerretDb) {
          const explained = await coll.find(filter).explain();
          expect(explained.filterPushdown, `filterPushdown ${where}`).to.equal(pushable(filter));
        }

        if (i % 4 === 0) {
          const mark = `${round}-${i}`;
          const one = await coll.findOneAndUpdate(filter, { $set: { fm: mark } }); // no projection: FerretDB v1 has none here
          if (expected.length === 0) expect(one, `findOneAndUpdate ${where}`).to.equal(null);
          else expect(expected, `findOneAndUpdate ${where}`).to.include(idKey(one?._id));

          const updated = await coll.updateMany(filter, { $set: { m: mark } });
          expect(updated.matchedCount, `updateMany ${where}`).to.equal(expected.length);
          const marked = (await coll.find({ m: mark }, { projection: { _id: 1 } }).toArray()).map((d) => idKey(d._id)).sort();
          expect(marked, `updateMany ${where}`).to.deep.equal(expected);
        }
      }

      // Deletes last: each one shrinks the reference set the same way.
      for (let i = 0; i < 4; i++, cases++) {
        const filter = gen.filter(docs);
        const where = `seed ${SEED}, round ${round}, delete ${i}: ${show(filter)}`;
        const expected = new Set(expectedIds(docs, filter));
        const deleted = await coll.deleteMany(filter);
        expect(deleted.deletedCount, `deleteMany ${where}`).to.equal(expected.size);
        docs = docs.filter((d) => !expected.has(idKey(d._id)));
        const left = (await coll.find({}, { projection: { _id: 1 } }).toArray()).map((d) => idKey(d._id)).sort();
        expect(left, `deleteMany ${where}`).to.deep.equal(docs.map((d) => idKey(d._id)).sort());
      }
    }
    expect(cases).to.equal(ROUNDS * (FILTERS_PER_ROUND + 4));
  });
});
