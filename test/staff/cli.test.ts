// `npm run cli -- staff add` prints and mails a one-time link that really sets the password, and
// every command answers --help with its options.
import { expect } from 'chai';
import { mapConcurrently } from '../../src/map-concurrently';
import { runCli } from '../helpers/cli';
import type { TestContext } from '../helpers/context';
import { Browser, PASSWORD, staffContext } from './helpers';

describe('staff CLI and --help', function () {
  this.timeout(120_000);
  let t: TestContext;
  before(async () => {
    t = await staffContext();
  });
  after(async () => t.close());

  const cli = (...args: string[]) => runCli(t.env, ...args);

  it('staff add prints and mails a one-time link that sets the password', async () => {
    const { stdout } = await cli('staff', 'add', '--email', 'Liga.Berzina@Impro.lv', '--role', 'marketer', '--name', 'Līga Bērziņa');
    expect(stdout).to.match(/liga\.berzina@impro\.lv \(marketer\) invited/).and.match(/also mailed/);
    const url = stdout.trim().split('\n').pop()!;
    expect(url).to.match(new RegExp(`^${t.config.publicBaseUrl}/admin/set-password#token=`));
    const mail = (await t.waitForMails(1, (m) => m.to.includes('liga.berzina@impro.lv')))[0]!;
    expect(mail.parsed.text).to.contain(url);
    const token = url.split('#token=')[1]!;
    expect((await new Browser(t).post('/auth/password', { token, password: PASSWORD })).status).to.equal(200);
    expect((await new Browser(t).login({ email: 'liga.berzina@impro.lv', password: PASSWORD })).body.me).to.include({ name: 'Līga Bērziņa', role: 'marketer' });
    expect(await t.c.models.auditEntries.countDocuments({ action: 'staff.invite', target: 'liga.berzina@impro.lv', actor: 'cli' })).to.equal(1);

    const again = await cli('staff', 'add', '--email', 'liga.berzina@impro.lv', '--role', 'dpo').catch((e: { code: number; stderr: string }) => e);
    expect(again).to.have.property('code', 1);
    expect((again as { stderr: string }).stderr).to.match(/exists already/);
    const badRole = await cli('staff', 'add', '--email', 'x@impro.lv', '--role', 'root').catch((e: { code: number; stderr: string }) => e);
    expect((badRole as { stderr: string }).stderr).to.match(/--role must be one of marketer, dpo, admin/);
  });

  it('answers --help for every command, listing its options', async () => {
    const { stdout } = await cli('--help');
    const names = [...stdout.matchAll(/^ {2}([a-z-]+) {2,}/gm)].map((m) => m[1]!);
    expect(names).to.include.members(['admin-token', 'campaign', 'staff', 'import']);
    // One process per command, three at a time: each pays Node's and tsx's start-up.
    const helps = await mapConcurrently(names, 3, async (name) => ({ name, stdout: (await cli(name, '--help')).stdout }));
    for (const { name, stdout: help } of helps) {
      expect(help, name).to.match(new RegExp(`^usage: npm run cli -- ${name}`));
      expect(help, name).to.match(/\noptions:\n/).and.contain('--help');
    }
  });
});
