// A send worker killed or frozen mid-campaign. The workers run as a child process (`npm run
// workers`), as in production; the lock is short (JOB_LOCK_DURATION) so the job is taken over fast.
// What must hold: nobody gets two copies; everyone else gets one. A recipient whose claim was in
// flight at the moment of the kill may get none — that claim keeps no outcome (or an ambiguous one),
// is never resent (at most once), and is counted as ambiguous.
import { spawn, type ChildProcess } from 'node:child_process';
import { expect } from 'chai';
import { ROOT_DIR } from '../../src/paths';
import { createTestContext, type TestContext } from '../helpers/context';
import { api, copiesPerRecipient, createCampaign, seedAudience, waitForStatus } from './helpers';

const RECIPIENTS = 120;
const WORKER_ENV = { JOB_LOCK_DURATION: '2s', SEND_RATE_PER_SEC: '40' };

describe('campaign sending: worker killed or frozen mid-campaign', function () {
  this.timeout(150_000);
  let t: TestContext;
  const children: ChildProcess[] = [];

  function startWorkers(): Promise<ChildProcess> {
    const child = spawn(process.execPath, ['--import', 'tsx', 'workers/index.ts'], {
      cwd: ROOT_DIR,
      // info: the child announces "workers started" on stdout.
      env: { ...process.env, ...t.env, LOG_LEVEL: 'info' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.push(child);
    return new Promise((resolve, reject) => {
      let out = '';
      child.stdout!.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        if (out.includes('workers started')) resolve(child);
      });
      child.stderr!.on('data', (chunk: Buffer) => (out += chunk.toString()));
      child.once('exit', (code) => reject(new Error(`workers exited (${code}) before starting:\n${out.slice(-2000)}`)));
    });
  }

  async function campaignMails(id: string) {
    return copiesPerRecipient(await t.mails(), id);
  }

  async function untilMails(id: string, count: number) {
    const deadline = Date.now() + 30_000;
    while ([...(await campaignMails(id)).values()].length < count) {
      if (Date.now() > deadline) throw new Error(`fewer than ${count} mails arrived`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  /** Every recipient once, except claims in flight when the worker died: those at most once, and counted. */
  async function expectAtMostOnceAndAccounted(id: string, audience: Array<{ id: string; email: string }>) {
    const copies = await campaignMails(id);
    expect([...copies.values()].filter((n) => n > 1), 'duplicates').to.deep.equal([]);
    const missing = audience.filter((p) => !copies.has(p.email));
    const claims = await t.c.models.deliveries.find({ campaignId: id }).lean();
    const outcomes = await t.c.models.deliveryOutcomes.find({ campaignId: id }).lean();
    const claimed = new Set(claims.map((d) => String(d.subscriberId)));
    const outcomeOf = new Map(outcomes.map((d) => [String(d.subscriberId), d.status]));
    for (const person of missing) {
      expect(claimed.has(person.id), `${person.email} has no mail and no claim`).to.equal(true);
      expect(outcomeOf.get(person.id) ?? 'ambiguous', `${person.email} has no mail`).to.equal('ambiguous');
    }
    expect(missing.length, 'recipients lost with the killed worker').to.be.at.most(10);
    const stats = (await api(t, 'GET', `/campaigns/${id}`)).json.stats;
    expect(stats.queued).to.equal(RECIPIENTS);
    expect(stats.sent + stats.ambiguous).to.equal(RECIPIENTS);
    expect(stats.remaining).to.equal(0);
  }

  beforeEach(async () => {
    t = await createTestContext({ env: WORKER_ENV });
  });
  afterEach(async () => {
    for (const child of children.splice(0)) {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGCONT');
        child.kill('SIGKILL');
        await new Promise((r) => child.once('exit', r));
      }
    }
    await t.close();
  });

  it('SIGKILL mid-campaign, restart: every consenting recipient has exactly one mail (or an ambiguous record)', async () => {
    const audience = await seedAudience(t.c, RECIPIENTS, { prefix: 'kill' });
    const first = await startWorkers();
    const id = await createCampaign(t);
    await api(t, 'POST', `/campaigns/${id}/send`);
    await untilMails(id, 30);
    first.kill('SIGKILL');
    await new Promise((r) => first.once('exit', r));
    const before = (await campaignMails(id)).size;
    expect(before).to.be.below(RECIPIENTS);

    await startWorkers();
    await waitForStatus(t, id, 'sent', 90_000);
    await expectAtMostOnceAndAccounted(id, audience);
  });

  it('a frozen worker (no lock renewal, its job re-run elsewhere) sends nothing twice when it wakes', async () => {
    const audience = await seedAudience(t.c, RECIPIENTS, { prefix: 'frozen' });
    const frozen = await startWorkers();
    const id = await createCampaign(t);
    await api(t, 'POST', `/campaigns/${id}/send`);
    await untilMails(id, 20);
    // SIGSTOP freezes the process like a blocked event loop: the lock expires, BullMQ hands the
    // stalled job to the other worker, and the frozen one later carries on where it was.
    frozen.kill('SIGSTOP');
    await startWorkers();
    await waitForStatus(t, id, 'sent', 90_000);
    frozen.kill('SIGCONT');
    // Give the woken worker time to finish what it had in flight and find nothing left to claim.
    await new Promise((r) => setTimeout(r, 3000));
    await expectAtMostOnceAndAccounted(id, audience);
  });
});
