// `npx tsx bench/ferretdb-queries.ts [--without-pushdown] [--docs=50000]`
// Times the query shapes the product asks of the embedded FerretDB on one collection of subscriber-
// like documents, with or without the equality pushdown (src/infra/ferretdb.ts). Prints medians.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import mongoose from 'mongoose';
import { startFerretDb } from '../src/infra/ferretdb';
import { mapConcurrently } from '../src/map-concurrently';
import { ROOT_DIR } from '../src/paths';

const { MongoClient, ObjectId } = mongoose.mongo;
const { values: flags } = parseArgs({ options: { 'without-pushdown': { type: 'boolean' }, docs: { type: 'string' } } });
const pushdown = !flags['without-pushdown'];
const DOCS = Number(flags.docs ?? 50_000);
const GROUPS = DOCS / 1000; // find({g}) returns a 1,000-document page

const dir = await mkdtemp(path.join(os.tmpdir(), 'ej-fdbq-'));
const db = await startFerretDb({ binDir: path.join(ROOT_DIR, 'var', 'bin'), dataDir: path.join(dir, 'data'), logFile: path.join(dir, 'ferretdb.log'), build: { pushdown } });
const client = await new MongoClient(db.uri).connect();
try {
  const coll = client.db().collection('people');
  await coll.createIndexes([{ key: { k: 1 }, unique: true }, { key: { g: 1, k: 1 } }]);
  const ids: InstanceType<typeof ObjectId>[] = [];
  for (let i = 0; i < DOCS; i += 5000) {
    const batch = Array.from({ length: Math.min(5000, DOCS - i) }, (_, j) => {
      const n = i + j;
      const _id = new ObjectId();
      ids.push(_id);
      return { _id, k: `k${n}`, g: `g${n % GROUPS}`, email: `person${n}@example.lv`, name: `Person ${n}`, createdAt: new Date(), status: 'active' };
    });
    await coll.insertMany(batch);
  }
  const pick = () => Math.floor(Math.random() * DOCS);

  async function time(name: string, runs: number, fn: () => Promise<unknown>): Promise<void> {
    await fn(); // warm
    const ms: number[] = [];
    for (let i = 0; i < runs; i++) {
      const start = process.hrtime.bigint();
      await fn();
      ms.push(Number(process.hrtime.bigint() - start) / 1e6);
    }
    ms.sort((a, b) => a - b);
    console.log(`${name.padEnd(48)} median ${ms[Math.floor(runs / 2)]!.toFixed(1).padStart(8)} ms  (min ${ms[0]!.toFixed(1)}, max ${ms[runs - 1]!.toFixed(1)}, ${runs} runs)`);
  }

  const runs = pushdown ? 21 : 5;
  console.log(`FerretDB ${pushdown ? 'with' : 'without'} equality pushdown, ${DOCS} documents, load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`);
  await time('findOne({k})', runs, () => coll.findOne({ k: `k${pick()}` }));
  await time('find({g, k})', runs, () => { const n = pick(); return coll.find({ g: `g${n % GROUPS}`, k: `k${n}` }).toArray(); });
  await time('find({g}).sort({_id: 1}), a 1,000-document page', runs, () => coll.find({ g: `g${pick() % GROUPS}` }).sort({ _id: 1 }).toArray());
  await time('countDocuments({g})', runs, () => coll.countDocuments({ g: `g${pick() % GROUPS}` }));
  await time('updateOne({k}, $set)', runs, () => coll.updateOne({ k: `k${pick()}` }, { $set: { status: 'active' } }));
  const batch = () => Array.from({ length: 500 }, () => ids[pick()]!);
  await time('find({_id: {$in: 500 ids}})', runs, () => coll.find({ _id: { $in: batch() } }).toArray());
  await time('500 × findOne({_id}), 16 in flight', runs, () => mapConcurrently(batch(), 16, (_id) => coll.findOne({ _id })));
  console.log(`load average after ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`);
} finally {
  await client.close();
  await db.stop();
  await rm(dir, { recursive: true, force: true });
}
