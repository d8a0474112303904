// `npm run cli -- inbox FILE.eml...`: drops messages into the Maildir (a standard delivery), or
// APPENDs them to the polled folder when the mailbox is IMAP; --help lists the options.
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { dropIntoInbox } from '../../src/mailbox/drop-into-inbox';
import { runCli } from '../helpers/cli';
import { dovecotAvailable, startDovecot } from '../helpers/dovecot';

const cli = (args: string[], env: Record<string, string> = {}) => runCli(env, 'inbox', ...args);

describe('inbox command', function () {
  this.timeout(60_000);
  let dir: string;
  let eml: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'ej-inbox-cli-'));
    eml = path.join(dir, 'jautajums.eml');
    await writeFile(eml, 'From: anna@example.lv\r\nTo: impro@impro.lv\r\nSubject: Jautājums\r\nMessage-ID: <q1@example.lv>\r\n\r\nSveiki!\r\n');
  });
  afterEach(async () => rm(dir, { recursive: true, force: true }));

  it('lists its options with --help', async () => {
    const { stdout } = await cli(['--help']);
    expect(stdout).to.contain('usage: npm run cli -- inbox FILE.eml...');
    expect(stdout).to.contain('--mailbox URL');
    expect(stdout).to.contain('--help');
  });

  it('delivers into the configured Maildir, prints where each file went, and exits 1 for a file it cannot read', async () => {
    const missing = path.join(dir, 'nav.eml');
    const result = await cli([eml, missing], { NODE_ENV: 'development', VAR_DIR: dir, MAILBOX_URL: '' }).catch((e: { code: number; stdout: string }) => e);
    expect(result).to.have.property('code', 1);
    const [ok, failed] = (result as { stdout: string }).stdout.trim().split('\n');
    const delivered = await readdir(path.join(dir, 'inbox', 'new'));
    expect(delivered).to.have.length(1);
    expect(ok).to.equal(`${eml} -> ${path.join(dir, 'inbox', 'new', delivered[0]!)}`);
    expect(failed).to.match(/nav\.eml: not delivered: ENOENT/);
    expect(await readFile(path.join(dir, 'inbox', 'new', delivered[0]!), 'utf8')).to.equal(await readFile(eml, 'utf8'));
  });

  it('appends to the IMAP folder when the mailbox is IMAP', async () => {
    if (!dovecotAvailable()) throw new Error('dovecot is not installed: run scripts/install-system-deps.sh');
    const imap = await startDovecot();
    try {
      const [result] = await dropIntoInbox([eml], imap.url);
      expect(result!.error).to.equal(undefined);
      expect(result!.deliveredTo).to.match(/^imap:\/\/127\.0\.0\.1:\d+\/INBOX UID 1$/);
      expect((await imap.list('INBOX')).map((m) => m.subject)).to.deep.equal(['Jautājums']);
    } finally {
      await imap.stop();
    }
  });
});
