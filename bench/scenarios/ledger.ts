// The consent ledger's hash chain: what an append costs (ms per consent event over an unchained
// insert of the same event, measured in the same run, interleaved), and `ledger verify --all` over
// 100,000 people (10,000 with --quick), in process on the stage's database (the CLI adds its start).
import { performance } from 'node:perf_hooks';
import { Types } from 'mongoose';
import { chainFieldsFor, GENESIS_HASH } from '../../src/domain/consent/ledger-canonical';
import { log, type BenchSettings } from '../context';
import type { Stage } from '../services';
import { median, round } from '../stats';

const ROUNDS = 10;

export async function benchLedger(stage: Stage, settings: BenchSettings): Promise<object> {
  const { c } = stage;
  const perRound = settings.quick ? 30 : 100;
  // People with a few events each, as the ledger has them: the head read finds a short chain.
  const people = Array.from({ length: perRound }, (_, i) => `bench-person-${String(i).padStart(4, '0')}`.padEnd(64, '0'));
  const event = (emailHash: string) => ({ emailHash, list: 'e-jaunumi', type: 'confirmed' as const, channel: 'web-form' as const, ip: '192.0.2.1', userAgent: 'bench', policyVersion: 1 });
  const chained: number[] = [];
  const plain: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    for (const emailHash of people) {
      // Unchained: the insert the ledger made before the chain (ConsentLedger.record then).
      let t0 = performance.now();
      await c.models.consentEvents.create({ ...event(`plain-${emailHash}`), at: new Date() });
      plain.push(performance.now() - t0);
      t0 = performance.now();
      await c.ledger.record(event(emailHash));
      chained.push(performance.now() - t0);
    }
  }
  const appendMs = median(chained);
  const baselineMs = median(plain);
  log(`ledger: append ${appendMs.toFixed(2)} ms, unchained insert ${baselineMs.toFixed(2)} ms (${chained.length} each)`);
  // The baseline's events are outside any chain: verification would rightly call them broken.
  await c.models.consentEvents.deleteMany({ emailHash: { $in: people.map((p) => `plain-${p}`) } });

  const subscribers = settings.quick ? 10_000 : 100_000;
  const events = await seedChains(stage, subscribers);
  const verifyRuns: number[] = [];
  let broken = 0;
  for (let run = 0; run < settings.runs; run++) {
    const t0 = performance.now();
    const report = await c.ledgerVerifier.verifyAll();
    verifyRuns.push((performance.now() - t0) / 1000);
    broken = report.broken.length;
  }
  const verifyAllSec = median(verifyRuns);
  log(`ledger: verify --all ${verifyAllSec.toFixed(1)} s over ${subscribers} people, ${events} events`);
  return {
    appendMs: round(appendMs, 2),
    baselineInsertMs: round(baselineMs, 2),
    extraMsPerEvent: round(appendMs - baselineMs, 2),
    appends: chained.length,
    verifyAll: { subscribers, events, seconds: round(verifyAllSec, 2), eventsPerSec: Math.round(events / verifyAllSec), broken, runs: verifyRuns.map((r) => round(r, 2)) },
  };
}

/** `subscribers` chains, one in ten with three events, written in bulk as the chain would have. */
async function seedChains(stage: Stage, subscribers: number): Promise<number> {
  const collection = stage.c.models.consentEvents.collection;
  const key = stage.c.config.ledgerKey;
  const at = new Date();
  let total = 0;
  let batch: Array<Record<string, unknown>> = [];
  for (let i = 0; i < subscribers; i++) {
    const emailHash = `seeded-${String(i).padStart(8, '0')}`.padEnd(64, 'f');
    let prev = GENESIS_HASH;
    for (let seq = 0; seq < (i % 10 === 0 ? 3 : 1); seq++) {
      const doc = { _id: new Types.ObjectId(), emailHash, list: 'e-jaunumi', type: seq === 1 ? 'withdrawn' : 'confirmed', channel: 'web-form', at, ip: '192.0.2.1', policyVersion: 1 };
      const linked = { ...doc, ...chainFieldsFor(doc, seq, prev, key) };
      prev = linked.hash;
      batch.push(linked);
    }
    if (batch.length >= 2000) {
      total += batch.length;
      await collection.insertMany(batch, { ordered: false });
      batch = [];
    }
  }
  if (batch.length) await collection.insertMany(batch, { ordered: false });
  return total + batch.length;
}
