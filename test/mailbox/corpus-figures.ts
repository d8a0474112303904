// `npx tsx test/mailbox/corpus-figures.ts [path/to/classify.ts]`: the classifier's figures on the
// fixture corpus: kind accuracy, and hard-bounce recall (permanent bounces called permanent),
// with every miss listed. The optional argument points at another copy of the classifier, so an
// older version can be measured on the same corpus.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Classification } from '../../src/mailbox/classification';
import { CORPUS, FIXTURES } from './corpus';

type Classify = (raw: Buffer) => Promise<Classification>;

export interface CorpusFigures {
  messages: number;
  kindRight: number;
  kindAccuracy: number;
  hardBounces: number;
  hardBouncesCalledPermanent: number;
  hardBounceRecall: number;
  /** Bounces that are not a dead address but were called permanent (a wrong suppression). */
  softCalledPermanent: number;
  misses: string[];
}

export async function corpusFigures(classify: Classify): Promise<CorpusFigures> {
  let kindRight = 0;
  let hard = 0;
  let hardFound = 0;
  let softCalledPermanent = 0;
  const misses: string[] = [];
  for (const [file, kind, , , permanent] of CORPUS) {
    const c = await classify(await readFile(path.join(FIXTURES, file)));
    if (c.kind === kind) kindRight++;
    else misses.push(`${file}: kind ${c.kind}`);
    if (kind === 'bounce' && permanent) {
      hard++;
      if (c.kind === 'bounce' && c.permanent) hardFound++;
      else misses.push(`${file}: hard bounce called ${c.kind} ${c.status ?? ''} permanent=${c.permanent}`);
    }
    if (kind === 'bounce' && !permanent && c.permanent) {
      softCalledPermanent++;
      misses.push(`${file}: not a dead address, called permanent (${c.status})`);
    }
  }
  const round = (n: number) => Math.round(n * 1000) / 1000;
  return {
    messages: CORPUS.length,
    kindRight,
    kindAccuracy: round(kindRight / CORPUS.length),
    hardBounces: hard,
    hardBouncesCalledPermanent: hardFound,
    hardBounceRecall: round(hardFound / hard),
    softCalledPermanent,
    misses,
  };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const modulePath = process.argv[2] ? path.resolve(process.argv[2]) : path.resolve(path.dirname(new URL(import.meta.url).pathname), '../../src/mailbox/classify.ts');
  const { classifyMessage } = (await import(pathToFileURL(modulePath).href)) as { classifyMessage: Classify };
  const figures = await corpusFigures((raw) => classifyMessage(raw));
  console.log(JSON.stringify({ ...figures, misses: undefined }, null, 2));
  for (const miss of figures.misses) console.log(`  miss: ${miss}`);
}
