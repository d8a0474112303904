// `campaign send --wait`: a real CLI process follows a real send (the test context's workers mail
// the list) until it is sent; piped, it writes plain progress lines to stderr and the report as JSON
// to stdout. The terminal form (a bar redrawn in place) is checked on a stand-in terminal.
import { expect } from 'chai';
import { followSend, progressLine } from '../../src/cli/send-progress';
import type { CampaignReport } from '../../src/domain/campaigns/campaign-report';
import { runCli } from '../helpers/cli';
import { createTestContext, type TestContext } from '../helpers/context';
import { createCampaign, seedAudience } from './helpers';

async function waitFor(check: () => Promise<boolean>, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 100));
  }
}

const stats = (queued: number, sent: number) => ({ queued, sent, skipped: 0, failed: 0, ambiguous: 0, remaining: queued - sent, skipReasons: {}, bounced: 0, complained: 0 });

describe('campaign send --wait', function () {
  this.timeout(120_000);
  let t: TestContext;
  before(async () => {
    t = await createTestContext({ workers: true });
  });
  after(async () => t.close());

  it('follows a send to the end: plain lines on stderr when piped, the report on stdout', async () => {
    await seedAudience(t.c, 12, { prefix: 'gaida' });
    const id = await createCampaign(t, { name: 'Ar gaidīšanu' });
    const { stdout, stderr } = await runCli(t.env, 'campaign', 'send', id, '--wait');
    const report = JSON.parse(stdout);
    expect(report).to.deep.include({ id, status: 'sent', tracking: { opens: false, clicks: false } });
    expect(report.stats).to.include({ queued: 12, sent: 12, remaining: 0 });
    const lines = stderr.trim().split('\n');
    expect(lines.at(-1)).to.match(/^sent · 12\/12 · 100% · sent 12 · skipped 0 · failed 0$/);
    expect(stderr).not.to.contain('\r');
    expect(stderr).not.to.contain('\x1b');
    expect(new Set(lines).size, 'a line only when something changed').to.equal(lines.length);
  });

  it('waits through a schedule, and exits 1 with the report when the send ends otherwise than sent', async () => {
    const id = await createCampaign(t, { name: 'Atcelta' });
    const waiting = runCli(t.env, 'campaign', 'send', id, '--at', '2099-03-10T10:00', '--wait').catch((e: { code: number; stdout: string; stderr: string }) => e);
    await waitFor(async () => (await t.c.models.campaigns.findById(id).lean())?.status === 'scheduled');
    await t.c.campaigns.cancel(id);
    const ended = await waiting;
    expect(ended).to.have.property('code', 1);
    expect(JSON.parse((ended as { stdout: string }).stdout)).to.include({ id, status: 'cancelled' });
    expect((ended as { stderr: string }).stderr.trim().split('\n').at(-1)).to.match(/^cancelled · 0\/0 · 0%/);
  });

  it('draws a bar redrawn in place on a terminal, and ends the line when done', async () => {
    const reports: Array<Partial<CampaignReport>> = [
      { status: 'sending', stats: stats(1000, 0), ratePerMinute: null, secondsLeft: null },
      { status: 'sending', stats: stats(1000, 500), ratePerMinute: 600, secondsLeft: 50 },
      { status: 'sent', stats: stats(1000, 1000), ratePerMinute: null, secondsLeft: null },
    ];
    let written = '';
    const terminal = { isTTY: true, columns: 200, write: (s: string) => (written += s) };
    const last = await followSend(async () => reports.shift() as CampaignReport, terminal, { intervalMs: 1 });
    expect(last.status).to.equal('sent');
    const frames = written.split('\r\x1b[2K').filter(Boolean);
    expect(frames).to.have.length(3);
    expect(frames[1]).to.equal(`[${'#'.repeat(15)}${'-'.repeat(15)}] sending · 500/1000 · 50% · sent 500 · skipped 0 · failed 0 · 600/min · ~50s left`);
    expect(frames[2]).to.equal(`[${'#'.repeat(30)}] sent · 1000/1000 · 100% · sent 1000 · skipped 0 · failed 0\n`);
  });

  it('words the time left in seconds, minutes or hours', () => {
    const at = (secondsLeft: number) => progressLine({ status: 'sending', stats: stats(10, 1), ratePerMinute: 1, secondsLeft }, { bar: false });
    expect(at(59)).to.match(/~59s left$/);
    expect(at(61)).to.match(/~2m left$/);
    expect(at(3 * 3600 + 5 * 60)).to.match(/~3h05m left$/);
  });
});
