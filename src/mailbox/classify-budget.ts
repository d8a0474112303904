// Classification with a time budget: the classifier runs in a worker thread, and a message it
// cannot finish in time (or that kills the worker) comes back as `other` with reason `timeout`,
// for a person to look at, instead of blocking every poll after it. The worker is kept between
// messages and replaced after a timeout; messages go through it one at a time, so a slow one
// never costs another its budget.

import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { headersOf, withUnsubscribeToken } from './classify';
import type { Classification, ClassifyOptions } from './classification';
import { unsubscribeTokenFor } from './requests';

/** What one message may take; far above the few milliseconds a real one needs. */
export const DEFAULT_CLASSIFY_BUDGET_MS = 5_000;

const WORKER_URL = new URL(import.meta.url.endsWith('.ts') ? './classify-worker.ts' : './classify-worker.js', import.meta.url);

export function timedOutClassification(detail: string): Classification {
  return { kind: 'other', confidence: 0, timedOut: true, reason: 'timeout', error: detail };
}

/** Starting a worker under tsx compiles the classifier first; that is not the message's budget. */
const WORKER_START_MS = 60_000;

export class BudgetedClassifier {
  private worker?: Worker;
  private ready?: Promise<boolean>;
  private queue: Promise<unknown> = Promise.resolve();
  private nextId = 0;

  constructor(readonly budgetMs = DEFAULT_CLASSIFY_BUDGET_MS) {}

  classify(raw: Buffer | string, opts: ClassifyOptions = {}): Promise<Classification> {
    const run = this.queue.then(() => this.runOne(typeof raw === 'string' ? Buffer.from(raw, 'utf8') : raw, opts));
    this.queue = run.catch(() => undefined);
    return run;
  }

  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = undefined;
    if (worker) await worker.terminate();
  }

  private async runOne(raw: Buffer, opts: ClassifyOptions): Promise<Classification> {
    // The token validator is a function and stays here; the worker gets plain data only.
    const { unsubscribeTokenFromAddress: _validator, ...plainOpts } = opts;
    const result = await this.inWorker(raw, plainOpts);
    if (result.timedOut) return result;
    return withUnsubscribeToken(result, unsubscribeTokenFor(headersOf(raw), opts));
  }

  private async inWorker(raw: Buffer, opts: ClassifyOptions): Promise<Classification> {
    const worker = this.ensureWorker();
    if (!(await this.ready)) {
      if (this.worker === worker) this.worker = undefined;
      void worker.terminate();
      return timedOutClassification(`classifier worker did not start within ${WORKER_START_MS} ms`);
    }
    const id = ++this.nextId;
    return new Promise<Classification>((resolve) => {
      const finish = (c: Classification): void => {
        clearTimeout(timer);
        worker.off('message', onMessage);
        worker.off('error', onError);
        worker.off('exit', onExit);
        resolve(c);
      };
      const fail = (detail: string): void => {
        if (this.worker === worker) this.worker = undefined;
        void worker.terminate();
        finish(timedOutClassification(detail));
      };
      const onMessage = (m: { id: number; classification: Classification }): void => {
        if (m.id === id) finish(m.classification);
      };
      const onError = (err: Error): void => fail(`classifier worker failed: ${err.message}`);
      const onExit = (code: number): void => fail(`classifier worker exited with code ${code}`);
      const timer = setTimeout(() => fail(`classification took longer than ${this.budgetMs} ms`), this.budgetMs);
      worker.on('message', onMessage);
      worker.on('error', onError);
      worker.on('exit', onExit);
      worker.postMessage({ id, raw: new Uint8Array(raw), opts });
    });
  }

  private ensureWorker(): Worker {
    if (!this.worker) {
      const worker = startWorker();
      // An idle worker must not keep a CLI run alive; a pending call's timer does while it waits.
      worker.unref();
      // Failures during a call are that call's; one between calls only means a fresh worker next time.
      worker.on('error', () => undefined);
      worker.on('exit', () => {
        if (this.worker === worker) this.worker = undefined;
      });
      this.ready = new Promise<boolean>((resolve) => {
        const timer = setTimeout(() => resolve(false), WORKER_START_MS);
        timer.unref();
        const onReady = (m: { ready?: boolean }): void => {
          if (!m.ready) return;
          clearTimeout(timer);
          worker.off('message', onReady);
          resolve(true);
        };
        worker.on('message', onReady);
        worker.once('exit', () => resolve(false));
      });
      this.worker = worker;
    }
    return this.worker;
  }
}

/**
 * Compiled, the worker is a plain module. Under tsx (dev, tests, the CLI) a worker thread does not
 * get tsx's loader on Node 20, so a two-line bootstrap registers it before importing the worker.
 */
function startWorker(): Worker {
  if (!WORKER_URL.pathname.endsWith('.ts')) return new Worker(WORKER_URL);
  const bootstrap = `import(${JSON.stringify(TSX_API)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(WORKER_URL.href)}); });`;
  return new Worker(bootstrap, { eval: true });
}

const TSX_API = WORKER_URL.pathname.endsWith('.ts') ? tsxEsmApi() : '';

/**
 * The ESM entry of tsx's API, read from tsx's own package exports. Not import.meta.resolve: tsx may
 * load this module as CommonJS (mocha does), where import.meta has no resolve(); and not
 * require.resolve, which picks the CommonJS entry.
 */
function tsxEsmApi(): string {
  const require = createRequire(import.meta.url);
  const manifestPath = require.resolve('tsx/package.json');
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as { exports: Record<string, { import: { default: string } }> };
  return pathToFileURL(path.join(path.dirname(manifestPath), manifest.exports['./esm/api']!.import.default)).href;
}

let shared: BudgetedClassifier | undefined;

/** Classifies one raw message within `budgetMs`, on a worker shared by the process. */
export function classifyWithBudget(raw: Buffer | string, opts: ClassifyOptions = {}, budgetMs = DEFAULT_CLASSIFY_BUDGET_MS): Promise<Classification> {
  if (!shared || shared.budgetMs !== budgetMs) {
    void shared?.close();
    shared = new BudgetedClassifier(budgetMs);
  }
  return shared.classify(raw, opts);
}
