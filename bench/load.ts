// HTTP load with autocannon: a fixed number of connections for a fixed time, every request built by
// `next()` (a fresh address, a different subscriber's link), so no request repeats another's work.
import autocannon from 'autocannon';
import { round } from './stats';

export interface LoadResult {
  rps: number;
  p50Ms: number;
  p99Ms: number;
  requests: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  durationSec: number;
}

export interface LoadOptions {
  baseUrl: string;
  connections: number;
  durationSec: number;
  method: 'POST';
  contentType: string;
  next: () => { path: string; body: string };
}

export async function httpLoad(opts: LoadOptions): Promise<LoadResult> {
  const result = await autocannon({
    url: opts.baseUrl,
    connections: opts.connections,
    duration: opts.durationSec,
    requests: [
      {
        method: opts.method,
        headers: { 'content-type': opts.contentType },
        setupRequest: (req) => ({ ...req, ...opts.next() }),
      },
    ],
  });
  // autocannon's latencies cover completed requests only; with none completed there is no latency
  // to report (NaN, written as null), never a reassuring 0.
  const none = result.requests.total === 0;
  return {
    rps: round(result.requests.average),
    p50Ms: none ? NaN : result.latency.p50,
    p99Ms: none ? NaN : result.latency.p99,
    requests: result.requests.total,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    durationSec: round(result.duration, 1),
  };
}
