// Worker-thread side of classify-budget.ts: classifies what it is sent, one message at a time.
import { parentPort } from 'node:worker_threads';
import { classifyWithoutToken } from './classify';
import type { ClassifyOptions } from './classification';

interface Job {
  id: number;
  raw: Uint8Array;
  opts: ClassifyOptions;
}

parentPort?.on('message', (job: Job) => {
  void classifyWithoutToken(Buffer.from(job.raw.buffer, job.raw.byteOffset, job.raw.byteLength), job.opts).then((classification) =>
    parentPort?.postMessage({ id: job.id, classification }),
  );
});

// Loaded and compiled: from now on the caller's budget measures classification, not start-up.
parentPort?.postMessage({ ready: true });
