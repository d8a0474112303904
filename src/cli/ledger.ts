import os from 'node:os';
import { hashEmail, normalizeEmail } from '../domain/email-address';
import type { ChainHead } from '../domain/consent/ledger-merkle';
import type { Container } from '../container';
import { parseOptions, type CliCommand } from './command';
import { withContainer } from './with-container';

const USAGE = `usage: npm run cli -- ledger verify [--email E | --all] [--anchor DATE|latest] [--json]
       npm run cli -- ledger migrate
       npm run cli -- ledger anchor

The consent ledger's hash chains (docs/ledger.md).

  verify    recomputes the chains (one person's with --email, every one with --all) and reports the
            first broken link of each with its event id; --anchor also checks them against that
            day's anchor (YYYY-MM-DD, or latest) and recomputes its root. Exit code 1 on any break.
  migrate   chains the events written before the chain existed, in their order; safe to rerun.
  anchor    anchors today now (as the daily job does): verifies every chain, stores and mails the
            Merkle root of their heads; a second run the same day changes nothing.

options:
  --email E     one person, by address
  --all         every chain
  --anchor D    an anchor day (YYYY-MM-DD) or latest
  --json        one JSON object instead of lines
  --help        this text`;

const cliActor = () => ({ sub: `cli:${os.userInfo().username}`, role: 'cli' });

export const ledgerCommand: CliCommand = {
  summary: 'ledger verify [--email E | --all] [--anchor DATE] | migrate | anchor: the consent ledger\'s hash chains',
  help: USAGE,
  async run(args) {
    const { values, positionals } = parseOptions(args, {
      email: { type: 'string' },
      all: { type: 'boolean' },
      anchor: { type: 'string' },
      json: { type: 'boolean' },
    });
    const [action, ...rest] = positionals;
    if (rest.length) throw new Error(`unexpected ${rest.join(' ')}`);
    if (action === 'migrate') return withContainer(migrate);
    if (action === 'anchor') return withContainer(anchor);
    if (action !== 'verify') throw new Error('give verify, migrate or anchor (see --help)');
    if (Boolean(values.email) === Boolean(values.all)) throw new Error('give --email E or --all');
    if (values.anchor && values.anchor !== 'latest' && !/^\d{4}-\d{2}-\d{2}$/.test(values.anchor)) throw new Error('--anchor must be YYYY-MM-DD or latest');
    const email = values.email ? normalizeEmail(values.email) : undefined;
    return withContainer((c) => verify(c, { email, anchor: values.anchor, json: Boolean(values.json) }));
  },
};

async function verify(c: Container, opts: { email?: string; anchor?: string; json: boolean }): Promise<number> {
  const anchor = opts.anchor === 'latest' ? await c.ledgerAnchors.latest() : opts.anchor ? await c.ledgerAnchors.byDate(opts.anchor) : undefined;
  if (opts.anchor && !anchor) throw new Error(`no anchor ${opts.anchor}`);
  let leaves: ChainHead[] = [];
  let rootHolds: boolean | undefined;
  if (anchor) {
    leaves = await c.ledgerAnchors.leaves(anchor.date);
    rootHolds = await c.ledgerAnchors.rootHolds(anchor.date);
  }
  const anchoredHeads = anchor ? new Map(leaves.map((l) => [l.key, l])) : undefined;
  let result: { chains: number; events: number; broken: Array<{ key: string; eventId?: string; seq?: number; reason: string }> };
  if (opts.email) {
    const key = hashEmail(opts.email, c.config.emailHashKey);
    const report = await c.ledgerVerifier.verifyPerson(key, anchoredHeads?.get(key));
    result = { chains: report.events ? 1 : 0, events: report.events, broken: report.broken ? [report.broken] : [] };
    // Verification reads a person's proof of consent: audited like the DPO's reads.
    await c.audit.record(cliActor(), 'ledger.verify', opts.email, { broken: result.broken.length });
  } else {
    result = await c.ledgerVerifier.verifyAll({ anchoredHeads });
    await c.audit.record(cliActor(), 'ledger.verify', 'all', { chains: result.chains, broken: result.broken.length });
  }
  const ok = result.broken.length === 0 && rootHolds !== false;
  const summary = {
    ok,
    chains: result.chains,
    events: result.events,
    broken: result.broken,
    anchor: anchor ? { date: anchor.date, root: anchor.root, count: anchor.count, rootHolds } : undefined,
  };
  if (opts.json) {
    console.log(JSON.stringify(summary));
  } else {
    console.log(`${result.chains} chains, ${result.events} events: ${ok ? 'verified' : 'BROKEN'}`);
    for (const b of result.broken) console.log(`broken: chain ${b.key} at event ${b.eventId ?? '(missing)'}${b.seq === undefined ? '' : ` seq ${b.seq}`}: ${b.reason}`);
    if (anchor) {
      console.log(`anchor ${anchor.date}: root ${anchor.root} over ${anchor.count} chains; its stored leaves ${rootHolds ? 'give this root' : 'DO NOT give this root'}`);
      console.log('compare the root with the one mailed to the DPO that day');
    }
  }
  return ok ? 0 : 1;
}

async function migrate(c: Container): Promise<number> {
  const counts = await c.ledgerMigration.run();
  await c.audit.record(cliActor(), 'ledger.migrate', undefined, { ...counts });
  console.log(JSON.stringify(counts));
  return 0;
}

async function anchor(c: Container): Promise<number> {
  const run = await c.ledgerAnchors.anchor();
  console.log(JSON.stringify({ status: run.status, ...run.anchor, broken: run.broken.length }));
  return run.broken.length ? 1 : 0;
}
