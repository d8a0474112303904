import { expect } from 'chai';
import { existsSync } from 'node:fs';
import { ImapFlow } from 'imapflow';
import { descendants, dovecotAvailable, processAlive, startDovecot, type DovecotServer } from './dovecot';

function message(n: number): string {
  return [
    'From: Subscriber <subscriber@example.lv>',
    'To: impro@impro.lv',
    `Subject: Test message ${n}`,
    `Message-ID: <test-${n}@example.lv>`,
    'Date: Mon, 02 Jun 2025 10:00:00 +0300',
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
    '',
    `Body ${n}`,
    '',
  ].join('\r\n');
}

async function waitGone(pids: number[], timeoutMs = 5000): Promise<number[]> {
  const deadline = Date.now() + timeoutMs;
  let alive = pids.filter(processAlive);
  while (alive.length > 0 && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 50));
    alive = alive.filter(processAlive);
  }
  return alive;
}

describe('test helper: startDovecot', function () {
  this.timeout(30_000);
  let server: DovecotServer | undefined;

  before(function () {
    // No silent skip: the suite needs Dovecot (scripts/install-system-deps.sh installs it).
    if (!dovecotAvailable()) throw new Error('dovecot is not installed: run scripts/install-system-deps.sh');
  });

  after(async () => {
    await server?.stop();
  });

  it('serves IMAP: append, list, create, move, UIDVALIDITY; stop leaves nothing behind', async () => {
    server = await startDovecot({ user: 'impro', password: 's3cret' });
    expect(server.host).to.equal('127.0.0.1');
    expect(server.url).to.equal(`imap://impro:s3cret@127.0.0.1:${server.port}/INBOX`);

    await server.append('INBOX', message(1));
    await server.append('INBOX', Buffer.from(message(2)), ['\\Seen']);
    const listed = await server.list('INBOX');
    expect(listed.map((m) => m.subject)).to.deep.equal(['Test message 1', 'Test message 2']);
    expect(listed.map((m) => m.messageId)).to.deep.equal(['<test-1@example.lv>', '<test-2@example.lv>']);
    expect(listed[0]!.uid).to.be.lessThan(listed[1]!.uid);

    const client = new ImapFlow({
      host: server.host,
      port: server.port,
      secure: false,
      auth: { user: server.user, pass: server.password },
      logger: false,
    });
    await client.connect();
    try {
      const created = await client.mailboxCreate('Review');
      expect(created.created).to.equal(true);
      const inbox = await client.mailboxOpen('INBOX');
      expect(typeof inbox.uidValidity).to.equal('bigint');
      expect(inbox.uidValidity > 0n).to.equal(true);
      const moved = await client.messageMove(String(listed[0]!.uid), 'Review', { uid: true });
      expect(moved).to.not.equal(false);
    } finally {
      await client.logout();
    }

    expect((await server.list('INBOX')).map((m) => m.messageId)).to.deep.equal(['<test-2@example.lv>']);
    expect((await server.list('Review')).map((m) => m.messageId)).to.deep.equal(['<test-1@example.lv>']);

    const pids = [server.pid, ...descendants(server.pid)];
    expect(pids.length).to.be.greaterThan(1); // master plus at least log/config/auth/imap-login
    const dir = server.dir;
    await server.stop();
    expect(await waitGone(pids)).to.deep.equal([]);
    expect(existsSync(dir)).to.equal(false);
    await server.stop(); // idempotent
  });
});
