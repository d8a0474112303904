// `npx tsx bench/people-search.ts [--people=20000] [--runs=11]`
// Times the DPO's people search (src/domain/people/person-search.ts) on the embedded FerretDB with
// its equality pushdown: the exact address (index), a part of the address or the name (a scan of
// the subscribers, bounded by the page), and a list and state. Prints medians.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { Types } from 'mongoose';
import { connectDatabase } from '../src/data/connect';
import { createModels, syncIndexes } from '../src/data/models';
import { emailKey, hashEmail } from '../src/domain/email-address';
import { PersonSearch, type PersonQuery } from '../src/domain/people/person-search';
import { startFerretDb } from '../src/infra/ferretdb';
import { ROOT_DIR } from '../src/paths';

const { values: flags } = parseArgs({ options: { people: { type: 'string' }, runs: { type: 'string' } } });
const PEOPLE = Number(flags.people ?? 20_000);
const RUNS = Number(flags.runs ?? 11);
const STATES = ['active', 'active', 'active', 'unsubscribed', 'pending'] as const;
const NAMES = ['Anna', 'Jānis', 'Līga', 'Māris', 'Ilze', 'Pēteris', 'Ieva', 'Kārlis'];

const dir = await mkdtemp(path.join(os.tmpdir(), 'ej-people-'));
const db = await startFerretDb({ binDir: path.join(ROOT_DIR, 'var', 'bin'), dataDir: path.join(dir, 'data'), logFile: path.join(dir, 'ferretdb.log') });
const conn = await connectDatabase(db.uri);
try {
  const models = createModels(conn);
  await syncIndexes(models);
  for (let i = 0; i < PEOPLE; i += 5000) {
    const subscribers = [];
    const subscriptions = [];
    for (let n = i; n < Math.min(i + 5000, PEOPLE); n++) {
      const _id = new Types.ObjectId();
      const email = `person${n}@example${n % 50}.lv`;
      subscribers.push({ _id, email, emailKey: emailKey(email), emailHash: hashEmail(email, 'bench'), name: `${NAMES[n % NAMES.length]} Paraugs${n}`, locale: 'lv', restricted: false, createdAt: new Date(), updatedAt: new Date() });
      subscriptions.push({ subscriberId: _id, list: 'e-jaunumi', status: STATES[n % STATES.length], policyVersion: 1, createdAt: new Date(), updatedAt: new Date() });
    }
    await models.subscribers.collection.insertMany(subscribers);
    await models.subscriptions.collection.insertMany(subscriptions);
  }
  const search = new PersonSearch({ models });
  const pick = () => Math.floor(Math.random() * PEOPLE);

  async function time(name: string, query: () => Omit<PersonQuery, 'limit'>): Promise<void> {
    await search.find({ ...query(), limit: 50 }); // warm
    const ms: number[] = [];
    let found = 0;
    for (let i = 0; i < RUNS; i++) {
      const start = process.hrtime.bigint();
      found = (await search.find({ ...query(), limit: 50 })).items.length;
      ms.push(Number(process.hrtime.bigint() - start) / 1e6);
    }
    ms.sort((a, b) => a - b);
    console.log(`${name.padEnd(52)} median ${ms[Math.floor(RUNS / 2)]!.toFixed(1).padStart(8)} ms  (min ${ms[0]!.toFixed(1)}, max ${ms[RUNS - 1]!.toFixed(1)}; ${found} on the page)`);
  }

  console.log(`people search on FerretDB, ${PEOPLE} subscribers, page of 50, ${RUNS} runs, load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`);
  await time('exact address (emailKey index)', () => { const n = pick(); return { email: `PERSON${n}@Example${n % 50}.LV` }; });
  await time('part of the address, a few matches (full scan)', () => ({ address: `person${pick()}@` }));
  await time('part of the address, many matches (4,400)', () => ({ address: 'example1' }));
  await time('part of the address, no match', () => ({ address: 'nobody-here' }));
  await time('part of the name, a few matches', () => ({ name: `paraugs${pick()}` }));
  await time('list and state (active: 60%)', () => ({ list: 'e-jaunumi', state: 'active' }));
  await time('list and state and part of the name, a few matches', () => { const n = pick(); return { list: 'e-jaunumi', state: 'active', name: `paraugs${n - (n % 5)}` }; });
  console.log(`load average after ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`);
} finally {
  await conn.close();
  await db.stop();
  await rm(dir, { recursive: true, force: true });
}
