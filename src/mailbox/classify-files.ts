// Core of `npm run cli -- classify-email FILE.eml...`: one lean JSON-ready object per file, in
// the order given. A file that cannot be read still gets its object, with an error.

import { readFile } from 'node:fs/promises';
import { classifyMessage } from './classify';
import type { Classification, ClassifyOptions } from './classification';

export interface FileClassification {
  file: string;
  kind: Classification['kind'];
  recipient?: string;
  status?: string;
  permanent?: boolean;
  feedbackType?: string;
  unsubscribeToken?: string;
  language?: Classification['language'];
  error?: string;
}

export async function classifyFiles(paths: string[], opts: ClassifyOptions = {}): Promise<FileClassification[]> {
  const out: FileClassification[] = [];
  // One at a time: output order is the contract, and a mailbox dump can hold large files.
  for (const file of paths) out.push(await classifyFile(file, opts));
  return out;
}

async function classifyFile(file: string, opts: ClassifyOptions): Promise<FileClassification> {
  let raw: Buffer;
  try {
    raw = await readFile(file);
  } catch (err) {
    return { file, kind: 'other', error: err instanceof Error ? err.message : String(err) };
  }
  return lean(file, await classifyMessage(raw, opts));
}

/** Only the fields that mean something for the kind; never an undefined. */
function lean(file: string, c: Classification): FileClassification {
  const out: FileClassification = { file, kind: c.kind };
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
  if (c.error) out.error = c.error;
  return out;
}
