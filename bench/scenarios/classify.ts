// Classify: the pure mailbox classifier, in this process, no services. Two figures: messages per
// second over the fixture corpus (every kind, bounces of many MTAs, requests in three languages),
// and the worst ratio of a hostile 1 MB message (test/mailbox/hostile-inputs.ts) to an ordinary
// 1 MB one timed in the same run: the fuzz test holds it below its bound, this shows the margin.
// The corpus figures (kind accuracy, hard-bounce recall) ride along.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { classifyMessage } from '../../src/mailbox/classify';
import { CORPUS, FIXTURES } from '../../test/mailbox/corpus';
import { corpusFigures } from '../../test/mailbox/corpus-figures';
import { hostileInputs, plainMessage } from '../../test/mailbox/hostile-inputs';
import { log, type BenchSettings } from '../context';
import { median, repeat, round } from '../stats';

const FUZZ_SIZE = 1024 * 1024;

export interface ClassifyFigures {
  msgsPerSec: number;
  worstFuzzRatio: number;
  worstFuzzInput: string;
  fuzzBaselineMs: number;
  corpusMessages: number;
  kindAccuracy: number;
  hardBounceRecall: number;
  runs: number[];
}

export async function benchClassify(settings: BenchSettings): Promise<ClassifyFigures> {
  const corpus = await Promise.all(CORPUS.map(([file]) => readFile(path.join(FIXTURES, file))));
  const durationMs = settings.quick ? 3_000 : 10_000;
  const pass = async (): Promise<number> => {
    for (const raw of corpus) await classifyMessage(raw);
    return corpus.length;
  };
  await pass(); // warm-up: module loading and JIT
  log(`classify: ${settings.runs} × ${durationMs / 1000} s over ${corpus.length} fixtures`);
  const runs = await repeat(settings.runs, async () => {
    const started = performance.now();
    let messages = 0;
    while (performance.now() - started < durationMs) messages += await pass();
    return round(messages / ((performance.now() - started) / 1000));
  });

  log(`classify: ${hostileInputs(FUZZ_SIZE).length} hostile 1 MB inputs against a plain 1 MB baseline`);
  const timeOf = async (raw: string) => {
    const started = performance.now();
    await classifyMessage(Buffer.from(raw, 'latin1'));
    return performance.now() - started;
  };
  const plain = plainMessage(FUZZ_SIZE);
  await timeOf(plain);
  const baselineRuns: number[] = [];
  for (let i = 0; i < 5; i++) baselineRuns.push(await timeOf(plain));
  const baseline = median(baselineRuns);
  let worst = { ratio: 0, name: '' };
  for (const input of hostileInputs(FUZZ_SIZE)) {
    const ratio = Math.min(await timeOf(input.raw), await timeOf(input.raw), await timeOf(input.raw)) / baseline;
    if (ratio > worst.ratio) worst = { ratio, name: input.name };
  }

  const figures = await corpusFigures((raw) => classifyMessage(raw));
  return {
    msgsPerSec: median(runs),
    worstFuzzRatio: round(worst.ratio, 2),
    worstFuzzInput: worst.name,
    fuzzBaselineMs: round(baseline, 1),
    corpusMessages: figures.messages,
    kindAccuracy: figures.kindAccuracy,
    hardBounceRecall: figures.hardBounceRecall,
    runs,
  };
}
