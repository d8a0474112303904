// Core of `npm run cli -- classify-email FILE.eml...`: one lean JSON-ready object per file, in
// the order given. A file that cannot be read still gets its object, with an error.

import { readFile } from 'node:fs/promises';
import { classifyMessage } from './classify';
import { BudgetedClassifier } from './classify-budget';
import type { Classification, ClassifyOptions } from './classification';

export interface FileClassification {
  file: string;
  kind: Classification['kind'];
  confidence: number;
  evidence?: string;
  recipient?: string;
  status?: string;
  permanent?: boolean;
  feedbackType?: string;
  unsubscribeToken?: string;
  language?: Classification['language'];
  timedOut?: boolean;
  error?: string;
}

/** With budgetMs, each file is classified in a worker thread and gets that long (see classify-budget.ts). */
export async function classifyFiles(paths: string[], opts: ClassifyOptions = {}, budgetMs?: number): Promise<FileClassification[]> {
  const budgeted = budgetMs === undefined ? undefined : new BudgetedClassifier(budgetMs);
  const classify = (raw: Buffer) => (budgeted ? budgeted.classify(raw, opts) : classifyMessage(raw, opts));
  const out: FileClassification[] = [];
  try {
    // One at a time: output order is the contract, and a mailbox dump can hold large files.
    for (const file of paths) out.push(await classifyFile(file, classify));
  } finally {
    await budgeted?.close();
  }
  return out;
}

async function classifyFile(file: string, classify: (raw: Buffer) => Promise<Classification>): Promise<FileClassification> {
  let raw: Buffer;
  try {
    raw = await readFile(file);
  } catch (err) {
    return { file, kind: 'other', confidence: 0, error: err instanceof Error ? err.message : String(err) };
  }
  return lean(file, await classify(raw));
}

/** Only the fields that mean something for the kind; never an undefined. */
function lean(file: string, c: Classification): FileClassification {
  const out: FileClassification = { file, kind: c.kind, confidence: c.confidence };
  if (c.evidence) out.evidence = c.evidence;
  if (c.kind === 'bounce') {
    if (c.recipient) out.recipient = c.recipient;
    if (c.status) out.status = c.status;
    out.permanent = c.permanent ?? false;
  } else if (c.kind === 'complaint') {
    if (c.recipient) out.recipient = c.recipient;
    if (c.feedbackType) out.feedbackType = c.feedbackType;
  } else if (c.kind !== 'auto-reply' && c.kind !== 'other') {
    if (c.unsubscribeToken) out.unsubscribeToken = c.unsubscribeToken;
    if (c.language) out.language = c.language;
  }
  if (c.timedOut) out.timedOut = true;
  if (c.error) out.error = c.error;
  return out;
}
