// End to end on the development mailbox: a mail to the List-Unsubscribe mailto, dropped into the
// Maildir by the `inbox` command's function, is polled by the mailbox worker (the poller as
// create-poller builds it for MAILBOX_URL=maildir:…) and the subscription becomes unsubscribed.
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { dropIntoInbox } from '../../src/mailbox/drop-into-inbox';
import { createTestContext, type TestContext } from '../helpers/context';
import { createSubscriber, DEFAULT_LIST } from '../helpers/factories';

const TRIPS = 'celojumi';

describe('mailbox poller on the Maildir', function () {
  this.timeout(60_000);
  let t: TestContext;
  let dir: string;

  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'ej-maildir-poll-'));
    t = await createTestContext({ workers: true, env: { MAILBOX_URL: `maildir:${dir}/inbox`, IMAP_POLL_INTERVAL: '200ms' } });
  });
  afterEach(async () => {
    await t.close();
    await rm(dir, { recursive: true, force: true });
  });

  const waitFor = async <T>(probe: () => Promise<T | undefined>, what: string): Promise<T> => {
    const deadline = Date.now() + 20_000;
    for (;;) {
      const found = await probe();
      if (found !== undefined) return found;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  };

  it('unsubscribes by the mailto token of a mail dropped in with the inbox command, and files it in .Processed', async () => {
    const ilze = await createSubscriber(t.c, { email: 'ilze@example.lv', lists: { [DEFAULT_LIST]: 'active', [TRIPS]: 'active' } });
    const token = t.c.listHeaders.unsubscribeToken({ subscriberId: String(ilze._id), list: TRIPS });
    const messageId = `<maildir.${process.pid}.${Date.now()}@example.lv>`;
    const file = path.join(dir, 'atteikties.eml');
    await writeFile(
      file,
      [
        'From: Ilze <ilze.private@example.lv>',
        `To: unsubscribe+${token}@impro.lv`,
        'Subject: unsubscribe',
        `Message-ID: ${messageId}`,
        'Date: Mon, 02 Jun 2025 10:00:00 +0300',
        'MIME-Version: 1.0',
        'Content-Type: text/plain; charset=utf-8',
        '',
        'Lūdzu, vairs nesūtiet man ceļojumu ziņas.',
        '',
      ].join('\r\n'),
    );

    const [dropped] = await dropIntoInbox([file], t.config.mailboxUrl!);
    expect(dropped!.error).to.equal(undefined);
    expect(path.dirname(dropped!.deliveredTo!)).to.equal(path.join(dir, 'inbox', 'new'));

    const record = await waitFor(async () => (await t.c.models.inboundMessages.findOne({ messageId, movedTo: 'Processed' }).lean()) ?? undefined, 'the poll');
    expect(record).to.include({ mailbox: `maildir:${path.join(dir, 'inbox')}`, kind: 'unsubscribe', outcome: 'applied' });
    expect(record.uidKey).to.match(/^\d+:1$/);
    const statuses = Object.fromEntries((await t.c.models.subscriptions.find({ subscriberId: ilze._id }).lean()).map((s) => [s.list, s.status]));
    expect(statuses).to.deep.equal({ [DEFAULT_LIST]: 'active', [TRIPS]: 'unsubscribed' });
    expect(await readdir(path.join(dir, 'inbox', 'new'))).to.deep.equal([]);
    expect(await readdir(path.join(dir, 'inbox', '.Processed', 'cur'))).to.have.length(1);
  });
});
