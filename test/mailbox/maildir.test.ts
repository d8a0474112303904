// The Maildir adapter of the mailbox port against a real temporary directory: standard delivery,
// the poller's view (waiting, source, move), and UIDs that hold across restarts the way IMAP's do.
import { mkdtemp, readdir, readFile, rename, rm, utimes, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import type { MailboxSession } from '../../src/mailbox/imap-mailbox';
import { deliverToMaildir, MaildirMailbox } from '../../src/mailbox/maildir-mailbox';
import { createLogger } from '../../src/logger';

const logger = createLogger('silent');
const mail = (subject: string) => Buffer.from(`From: anna@example.lv\r\nTo: impro@impro.lv\r\nSubject: ${subject}\r\n\r\nSveiki!\r\n`);

describe('Maildir mailbox', () => {
  let root: string;
  beforeEach(async () => {
    root = path.join(await mkdtemp(path.join(os.tmpdir(), 'ej-maildir-')), 'inbox');
  });
  afterEach(async () => rm(path.dirname(root), { recursive: true, force: true }));

  // Files here are complete when written; the settle delay has its own test.
  const open = <T>(work: (s: MailboxSession) => Promise<T>) => new MaildirMailbox({ root, logger, settleMs: 0 }).session(work);
  const ls = async (dir: string) => (await readdir(path.join(root, dir)).catch(() => [] as string[])).sort();
  const fileWith = async (dir: string, text: string) => {
    for (const name of await ls(dir)) if ((await readFile(path.join(root, dir, name), 'utf8')).includes(text)) return name;
    throw new Error(`no file in ${dir} contains ${text}`);
  };

  it('delivers through tmp/ into new/ and serves the message to the poller: waiting, source, move', async () => {
    const file = await deliverToMaildir(root, mail('Pirmā'));
    expect(path.dirname(file)).to.equal(path.join(root, 'new'));
    expect(await ls('tmp')).to.deep.equal([]);
    await deliverToMaildir(root, mail('Otrā'));

    await open(async (s) => {
      expect(s.name).to.equal(`maildir:${root}`);
      expect(s.uidValidity).to.match(/^\d+$/);
      const waiting = await s.waiting();
      expect(waiting.map((m) => m.uid)).to.deep.equal([1, 2]);
      expect(waiting[0]!.receivedAt).to.be.instanceOf(Date);
      expect((await s.source(1))!.toString()).to.contain('Subject: Pirmā');
      expect((await s.source(2))!.toString()).to.contain('Subject: Otrā');
      expect(await s.source(99)).to.equal(undefined);
      await s.move(1, 'Processed');
      await s.move(2, 'Review');
      expect(await s.waiting()).to.deep.equal([]);
    });

    expect(await ls('new')).to.deep.equal([]);
    const [processed] = await ls('.Processed/cur');
    expect(processed).to.match(/:2,$/);
    expect(await readFile(path.join(root, '.Processed/cur', processed!), 'utf8')).to.contain('Subject: Pirmā');
    expect(await ls('.Review/cur')).to.have.length(1);
    // Maildir++ subfolders, as Dovecot and mail clients expect them.
    expect(await ls('.Review')).to.deep.equal(['cur', 'maildirfolder', 'new', 'tmp']);
  });

  it('keeps UIDVALIDITY and every UID across restarts and never gives a UID twice', async () => {
    await deliverToMaildir(root, mail('a'));
    await deliverToMaildir(root, mail('b'));
    const first = await open(async (s) => ({ validity: s.uidValidity, uids: (await s.waiting()).map((m) => m.uid) }));
    expect(first.uids).to.deep.equal([1, 2]);

    await deliverToMaildir(root, mail('c'));
    const second = await open(async (s) => {
      const waiting = await s.waiting();
      const subjects = await Promise.all(waiting.map(async (m) => /Subject: (\w+)/.exec((await s.source(m.uid))!.toString())![1]));
      await s.move(1, 'Processed');
      return { validity: s.uidValidity, uids: waiting.map((m) => m.uid), subjects };
    });
    expect(second).to.deep.equal({ validity: first.validity, uids: [1, 2, 3], subjects: ['a', 'b', 'c'] });

    // A mail client marking a message read renames it into cur/ with flags: the UID stays.
    const b = await fileWith('new', 'Subject: b');
    await rename(path.join(root, 'new', b), path.join(root, 'cur', `${b}:2,S`));
    await deliverToMaildir(root, mail('d'));
    const third = await open(async (s) => ({ validity: s.uidValidity, uids: (await s.waiting()).map((m) => m.uid) }));
    expect(third).to.deep.equal({ validity: first.validity, uids: [2, 3, 4] });
  });

  it('never lets a copy under the name of a handled message inherit its UID', async () => {
    await deliverToMaildir(root, mail('a'));
    const [name] = await ls('new');
    await open(async (s) => {
      expect((await s.waiting()).map((m) => m.uid)).to.deep.equal([1]);
      await s.move(1, 'Processed');
    });
    // The same file name copied back by hand, without a poll in between: a new message to the poller.
    const [moved] = await ls('.Processed/cur');
    await writeFile(path.join(root, 'new', name!), await readFile(path.join(root, '.Processed/cur', moved!)));
    expect((await open((s) => s.waiting())).map((m) => m.uid)).to.deep.equal([2]);
  });

  it('ignores a half-written file in tmp/, empty and dot files, and picks up a file dropped into new/ by hand', async () => {
    await createEmptyMaildir(root);
    await writeFile(path.join(root, 'tmp', '1700000000.M1P1.host'), 'From: half@example.lv\r\nSubj');
    await writeFile(path.join(root, 'new', 'being-copied.eml'), '');
    await writeFile(path.join(root, 'new', '.hidden.eml.swp'), 'From: x');
    expect(await open((s) => s.waiting())).to.deep.equal([]);

    await writeFile(path.join(root, 'new', 'jautajums par braucienu.eml'), mail('Ar roku'));
    await open(async (s) => {
      const waiting = await s.waiting();
      expect(waiting.map((m) => m.uid)).to.deep.equal([1]);
      expect((await s.source(1))!.toString()).to.contain('Subject: Ar roku');
      await s.move(1, 'Review');
    });
    expect(await ls('.Review/cur')).to.deep.equal(['jautajums par braucienu.eml:2,']);
    expect(await ls('tmp')).to.include('1700000000.M1P1.host');
  });

  it('leaves a file still being written (modified within the settle time) for the next poll', async () => {
    await createEmptyMaildir(root);
    const file = path.join(root, 'new', 'copying.eml');
    await writeFile(file, 'From: anna@example.lv\r\nTo: impro@impro.lv\r\nSubj');
    const settling = new MaildirMailbox({ root, logger, settleMs: 60_000 });
    expect(await settling.session((s) => s.waiting())).to.deep.equal([]);
    // Untouched for longer than the settle time: taken.
    await utimes(file, new Date(Date.now() - 120_000), new Date(Date.now() - 120_000));
    expect((await settling.session((s) => s.waiting())).map((m) => m.uid)).to.deep.equal([1]);
  });

  it('starts a new UIDVALIDITY when the uidlist is unreadable, and sessions starting together agree on one', async () => {
    await deliverToMaildir(root, mail('a'));
    const validities = await Promise.all([1, 2, 3].map(() => open(async (s) => s.uidValidity)));
    expect(new Set(validities).size).to.equal(1);

    await writeFile(path.join(root, 'ejaunumi-uidlist.json'), '{"uidValidity": "12', { flag: 'w' });
    const after = await open(async (s) => ({ validity: s.uidValidity, uids: (await s.waiting()).map((m) => m.uid) }));
    expect(after.validity).to.not.equal(validities[0]);
    expect(after.uids).to.deep.equal([1]);
  });
});

async function createEmptyMaildir(root: string): Promise<void> {
  await new MaildirMailbox({ root, logger }).session(async () => undefined);
}
