// Operator commands that change data leave the same audit entries as the admin API does.
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { expect } from 'chai';
import { runCli } from '../helpers/cli';
import { createTestContext, type TestContext } from '../helpers/context';


describe('CLI: audit entries', function () {
  this.timeout(120_000);
  let t: TestContext;
  before(async () => {
    t = await createTestContext();
  });
  after(async () => t.close());

  const cli = (...args: string[]) => runCli(t.env, ...args);

  it('import and policy-version write audit entries like their API routes', async () => {
    const csv = path.join(t.config.varDir, 'audit.csv');
    await writeFile(csv, 'email,name,consent_date\ncli.audit@example.lv,Ilze,2021-01-01\n');
    await cli('import', csv, '--json');
    const policy = path.join(t.config.varDir, 'policy.txt');
    await writeFile(policy, 'Privātuma politika, 2. versija.');
    const registered = JSON.parse((await cli('policy-version', policy, '--consent-lv', 'Piekrītu.', '--consent-en', 'I agree.')).stdout);

    const entries = await t.c.models.auditEntries.find({}, { action: 1, actor: 1, role: 1, target: 1, details: 1 }).sort({ at: 1 }).lean();
    const imported = entries.find((e) => e.action === 'subscribers.import');
    expect(imported).to.deep.include({ role: 'cli', target: 'e-jaunumi' });
    expect(imported!.actor).to.match(/^cli:/);
    expect(imported!.details).to.deep.include({ added: 1, skipped: 0 });
    const policyEntry = entries.find((e) => e.action === 'policy-version.register');
    expect(policyEntry).to.deep.include({ role: 'cli', target: String(registered.version) });
  });
});
