// What every scenario gets: the services, one stage (database, queue prefix, API process), the
// workers started on first use, and the run settings.
import type { NodeChild } from './node-child';
import type { ApiProcess, BenchServices, Stage } from './services';

export interface BenchSettings {
  /** `--quick`: one run each, shorter loads, smaller audiences; under two minutes on an idle machine. */
  quick: boolean;
  /** Runs per figure; the median is reported. */
  runs: number;
  /** `--profile`: the send scenario's worker process runs under `node --cpu-prof`. */
  profileDir?: string;
}

export interface BenchContext {
  services: BenchServices;
  stage: Stage;
  api: ApiProcess;
  settings: BenchSettings;
  /** The workers process, started on first use (scenarios before it measure the API alone). */
  workers(): Promise<NodeChild>;
}

export function log(message: string): void {
  console.error(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}`);
}
