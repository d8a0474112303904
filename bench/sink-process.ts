// The SMTP sink as its own process, so writing 20,000 .eml files costs the sink's CPU, not the
// sender's or the benchmark's. Tells the parent its port over IPC and answers "count" requests.
import { startSmtpSink } from '../src/infra/smtp-sink';

export type SinkMessage = { port: number } | { received: number };

const dir = process.env.BENCH_SINK_DIR;
if (!dir || !process.send) {
  console.error('run by bench/services.ts: needs BENCH_SINK_DIR and an IPC channel');
  process.exit(64);
}
const sink = await startSmtpSink({ dir });
const reply = (message: SinkMessage) => process.send!(message);
process.on('message', (message) => {
  if (message === 'count') reply({ received: sink.received() });
});
process.on('SIGTERM', () => void sink.stop().then(() => process.exit(0)));
reply({ port: sink.port });
