// Child process of crash.test.ts: performs one consent path against the test's database with one
// crash point armed, so the process dies by SIGKILL between two writes that must both happen.
// Usage: node --import tsx test/consent/crash-run.ts <crash point> <path> <json args>
import { loadConfig } from '../../src/config';
import { createContainer } from '../../src/container';
import { armCrashPoint } from '../../src/crash-point';
import { importSubscribers } from '../../src/domain/consent/import';
import { createLogger } from '../../src/logger';

const [point, path, json] = process.argv.slice(2);
const args = JSON.parse(json ?? '{}') as Record<string, string>;
const config = loadConfig(process.env);
const c = await createContainer(config, createLogger(config.logLevel));
armCrashPoint(point);

const paths: Record<string, () => Promise<unknown>> = {
  unsubscribe: () => c.unsubscribes.unsubscribe({ subscriberId: args.subscriberId!, lists: 'all', channel: 'one-click' }),
  // A newsletter's link names its subscription: committed by the group path (grouped-withdrawals.ts).
  'one-click': () => c.unsubscribes.unsubscribe({ subscriberId: args.subscriberId!, subscriptionId: args.subscriptionId!, lists: [args.list!], channel: 'one-click' }),
  confirm: () => c.signup.confirm(args.token!, {}),
  import: () => importSubscribers(c, { csv: args.csv!, list: args.list!, actor: 'crash-test' }),
  verify: () => c.requests.verify(args.token!, {}),
};
await paths[path!]!();
// Reaching here means the crash point was never passed: the parent test fails on the exit code.
await c.close();
process.exit(3);
