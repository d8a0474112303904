// Importing IMPRO's existing list: rows become active subscriptions with `imported` consent events,
// and nothing re-activates an address that is unsubscribed, suppressed, erased or restricted.
import { spawn } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { expect } from 'chai';
import { DEFAULT_LIST } from '../../src/data/list.model';
import { hashEmail } from '../../src/domain/email-address';
import { importSubscribers, parseConsentDate } from '../../src/domain/consent/import';
import { ROOT_DIR } from '../../src/paths';
import { createTestContext, type TestContext } from '../helpers/context';
import { createSubscriber } from '../helpers/factories';

const HEADER = 'email,name,locale,consent_date,source';

describe('import of an existing list', () => {
  let t: TestContext;
  before(async () => {
    t = await createTestContext();
  });
  after(async () => t.close());

  const statusOf = async (email: string, list = DEFAULT_LIST) => {
    const subscriber = await t.c.models.subscribers.findOne({ emailKey: email }).lean();
    return subscriber ? (await t.c.models.subscriptions.findOne({ subscriberId: subscriber._id, list }).lean())?.status : undefined;
  };

  it('adds new addresses and skips every row it must not activate, saying why', async () => {
    const hash = (email: string) => hashEmail(email, t.config.emailHashKey);
    await createSubscriber(t.c, { email: 'imp-active@example.lv', lists: { [DEFAULT_LIST]: 'active' } });
    await createSubscriber(t.c, { email: 'imp-pending@example.lv', lists: { [DEFAULT_LIST]: 'pending' } });
    await createSubscriber(t.c, { email: 'imp-unsub@example.lv', lists: { [DEFAULT_LIST]: 'unsubscribed' } });
    await createSubscriber(t.c, { email: 'imp-unsub-other@example.lv', lists: { 'other-list': 'unsubscribed' } });
    await createSubscriber(t.c, { email: 'imp-restricted@example.lv', restricted: true });
    await createSubscriber(t.c, { email: 'imp-known@example.lv', lists: { 'other-list': 'active' } });
    await t.c.suppressions.suppress(hash('imp-bounced@example.lv'), 'hard-bounce');
    await t.c.suppressions.suppress(hash('imp-erased@example.lv'), 'erasure');

    const csv = [
      HEADER,
      'imp-new@example.lv,Anna Bērziņa,lv,2019-03-01,web form 2019', // 2
      'Imp-New-Two@Example.LV,John,EN,15.06.2017,', // 3: Latvian date format, before policy v1
      'imp-new@example.lv,Anna again,lv,2019-03-02,dup', // 4
      'not-an-address,X,lv,2019-03-01,x', // 5
      'imp-nodate@example.lv,X,lv,,x', // 6
      'imp-baddate@example.lv,X,lv,2019-02-30,x', // 7
      'imp-future@example.lv,X,lv,2999-01-01,x', // 8
      'imp-locale@example.lv,X,ru,2019-03-01,x', // 9
      'imp-active@example.lv,X,lv,2019-03-01,x', // 10
      'imp-pending@example.lv,X,lv,2019-03-01,x', // 11
      'imp-unsub@example.lv,X,lv,2019-03-01,x', // 12
      'imp-unsub-other@example.lv,X,lv,2019-03-01,x', // 13
      'imp-restricted@example.lv,X,lv,2019-03-01,x', // 14
      'imp-bounced@example.lv,X,lv,2019-03-01,x', // 15
      'imp-erased@example.lv,X,lv,2019-03-01,x', // 16
      'imp-known@example.lv,X,lv,2019-03-01,x', // 17
    ].join('\n');
    const report = await importSubscribers(t.c, { csv, list: DEFAULT_LIST, defaultSource: 'legacy list', actor: 'test' });

    expect(report).to.include({ list: DEFAULT_LIST, rows: 16, added: 3, skipped: 13 });
    expect(report.reasons).to.deep.equal({
      'duplicate-in-file': 1,
      'invalid-email': 1,
      'invalid-consent-date': 3,
      'invalid-locale': 1,
      'already-active': 1,
      pending: 1,
      unsubscribed: 2,
      restricted: 1,
      suppressed: 1,
      erased: 1,
    });
    expect(report.skippedRows).to.deep.include({ line: 16, reason: 'erased', email: 'imp-erased@example.lv' });
    expect(report.skippedRows).to.deep.include({ line: 4, reason: 'duplicate-in-file', email: 'imp-new@example.lv' });

    expect(await statusOf('imp-new@example.lv')).to.equal('active');
    expect(await statusOf('imp-new-two@example.lv')).to.equal('active');
    expect(await statusOf('imp-known@example.lv')).to.equal('active');
    expect(await statusOf('imp-unsub@example.lv')).to.equal('unsubscribed');
    expect(await statusOf('imp-unsub-other@example.lv')).to.equal(undefined);
    expect(await statusOf('imp-pending@example.lv')).to.equal('pending');
    expect(await t.c.models.subscribers.countDocuments({ emailHash: { $in: [hash('imp-erased@example.lv'), hash('imp-bounced@example.lv')] } })).to.equal(0);

    const anna = await t.c.models.subscribers.findOne({ emailKey: 'imp-new@example.lv' }).lean();
    expect(anna).to.include({ name: 'Anna Bērziņa', locale: 'lv' });
    const [event] = await t.c.ledger.history(anna!._id);
    expect(event).to.include({ type: 'imported', channel: 'import', list: DEFAULT_LIST, source: 'web form 2019', policyVersion: 1, actor: 'test' });
    expect(event!.consentedAt?.toISOString()).to.equal('2019-03-01T00:00:00.000Z');

    const john = await t.c.models.subscribers.findOne({ emailKey: 'imp-new-two@example.lv' }).lean();
    expect(john).to.include({ email: 'Imp-New-Two@example.lv', locale: 'en' });
    const [johnEvent] = await t.c.ledger.history(john!._id);
    expect(johnEvent).to.include({ source: 'legacy list' });
    expect(johnEvent!.policyVersion).to.equal(undefined);
    expect(johnEvent!.consentedAt?.toISOString()).to.equal('2017-06-15T00:00:00.000Z');
  });

  it('is idempotent: importing the same file again adds nothing', async () => {
    const csv = [HEADER, 'again1@example.lv,A,lv,2020-01-01,x', 'again2@example.lv,B,en,2020-01-01,x'].join('\n');
    expect((await importSubscribers(t.c, { csv, list: DEFAULT_LIST, actor: 'test' })).added).to.equal(2);
    const second = await importSubscribers(t.c, { csv, list: DEFAULT_LIST, actor: 'test' });
    expect(second).to.include({ added: 0, skipped: 2 });
    expect(second.reasons).to.deep.equal({ 'already-active': 2 });
  });

  it('reads semicolon-separated files with a BOM and rejects files without the needed columns', async () => {
    const report = await importSubscribers(t.c, { csv: '\uFEFFE-pasts;Vārds;consent_date\nsemi@example.lv;Jānis;2021-05-05\n', list: DEFAULT_LIST, actor: 'test' });
    expect(report.added).to.equal(1);
    await expect(importSubscribers(t.c, { csv: 'name,source\nx,y\n', list: DEFAULT_LIST, actor: 'test' })).to.be.rejectedWith(/email, name, locale, consent_date, source/);
    await expect(importSubscribers(t.c, { csv: `${HEADER}\n`, list: 'no-such-list', actor: 'test' })).to.be.rejectedWith(/unknown list/);
  });

  it('parses consent dates strictly', () => {
    expect(parseConsentDate('2019-03-01')?.toISOString()).to.equal('2019-03-01T00:00:00.000Z');
    expect(parseConsentDate('1.3.2019')?.toISOString()).to.equal('2019-03-01T00:00:00.000Z');
    expect(parseConsentDate('2019-03-01T10:00:00Z')?.toISOString()).to.equal('2019-03-01T10:00:00.000Z');
    for (const bad of ['', 'yesterday', '2019-13-01', '31.02.2019', '2019/03/01']) expect(parseConsentDate(bad), bad).to.equal(undefined);
  });

  it('imports through the admin API (dpo or admin), audited; marketers get 403', async () => {
    const csv = [HEADER, 'api-import@example.lv,Ilze,lv,2020-02-02,shop'].join('\n');
    const post = (role: 'dpo' | 'marketer', body = csv, type = 'text/csv') =>
      fetch(`${t.baseUrl}/api/v1/admin/import?source=admin-upload`, { method: 'POST', headers: { authorization: `Bearer ${t.token(role)}`, 'content-type': type }, body });
    expect((await post('marketer')).status).to.equal(403);
    const res = await post('dpo');
    expect(res.status).to.equal(200);
    expect(await res.json()).to.include({ added: 1, skipped: 0, rows: 1 });
    expect(await t.c.models.auditEntries.countDocuments({ action: 'subscribers.import' })).to.equal(1);
    expect((await post('dpo', '{"csv": "x"}', 'application/json')).status).to.equal(400);
    expect((await post('dpo', 'email,consent_date\n"unterminated,2020-01-01\n')).status).to.equal(400);
  });

  it('imports from the command line and prints the report', async function () {
    this.timeout(60_000);
    const file = path.join(t.config.varDir, 'list.csv');
    await writeFile(file, [HEADER, 'cli-import@example.lv,Pēteris,lv,2020-03-03,cli', 'broken,X,lv,2020-03-03,cli'].join('\n'));
    const output = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
      const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'import', file, '--json'], { cwd: ROOT_DIR, env: { ...process.env, ...t.env } });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d) => (stdout += d));
      child.stderr.on('data', (d) => (stderr += d));
      child.on('close', (code) => resolve({ code, stdout, stderr }));
    });
    expect(output.code, output.stderr).to.equal(0);
    const report = JSON.parse(output.stdout.trim().split('\n').at(-1)!);
    expect(report).to.include({ added: 1, skipped: 1 });
    expect(report.skippedRows).to.deep.equal([{ line: 3, reason: 'invalid-email', email: 'broken' }]);
    expect(await statusOf('cli-import@example.lv')).to.equal('active');
  });
});
