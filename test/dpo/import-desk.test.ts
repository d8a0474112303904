// The DPO's import desk through the admin API: preview and mapping, a dry run that writes nothing
// and names every reason, the queued run with its kept report, and what the desk refuses.
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Worker } from 'bullmq';
import { expect } from 'chai';
import { importWorker } from '../../workers/import.worker';
import { DEFAULT_LIST } from '../../src/data/list.model';
import { hashEmail } from '../../src/domain/email-address';
import { runCli } from '../helpers/cli';
import { createTestContext, type TestContext } from '../helpers/context';
import { createSubscriber } from '../helpers/factories';

// Another program's export: other headers, another order, an extra column.
const HEADER = 'Source;E-mail address;Full name;Signed up;Lang;Notes';
const row = (email: string, date = '2020-05-01', name = 'X') => `shop;${email};${name};${date};lv;-`;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = Record<string, any>;
const json = async (res: Response) => (await res.json()) as Json;
const MAPPING = { col_email: 'E-mail address', col_name: 'Full name', col_consent_date: 'Signed up', col_locale: 'Lang', col_source: 'Source' };

describe('DPO: import desk', () => {
  let t: TestContext;
  let worker: Worker;
  before(async () => {
    t = await createTestContext();
    worker = importWorker(t.c);
    const hash = (email: string) => hashEmail(email, t.config.emailHashKey);
    await createSubscriber(t.c, { email: 'desk-unsub@example.lv', lists: { [DEFAULT_LIST]: 'unsubscribed' } });
    await createSubscriber(t.c, { email: 'desk-restricted@example.lv', restricted: true });
    await t.c.suppressions.suppress(hash('desk-bounced@example.lv'), 'hard-bounce');
    await t.c.suppressions.suppress(hash('desk-erased@example.lv'), 'erasure');
  });
  after(async () => {
    await worker.close();
    await t.close();
  });

  const csv = [
    HEADER,
    row('desk-new@example.lv', '2020-05-01', 'Anna'), // 2
    row('desk-unsub@example.lv'), // 3
    row('desk-bounced@example.lv'), // 4
    row('desk-erased@example.lv'), // 5
    row('desk-restricted@example.lv'), // 6
    row('not an address'), // 7
    row('desk-new@example.lv'), // 8
    row('desk-two@example.lv', '01.02.2019'), // 9
  ].join('\n');

  const call = (method: string, url: string, opts: { role?: 'dpo' | 'marketer' | 'admin'; body?: string; query?: Record<string, string> } = {}) =>
    fetch(`${t.baseUrl}/api/v1/admin${url}${opts.query ? `?${new URLSearchParams(opts.query)}` : ''}`, {
      method,
      headers: { authorization: `Bearer ${t.token(opts.role ?? 'dpo')}`, ...(opts.body === undefined ? {} : { 'content-type': 'text/csv' }) },
      body: opts.body,
    });
  const written = async () => ({
    subscribers: await t.c.models.subscribers.countDocuments(),
    subscriptions: await t.c.models.subscriptions.countDocuments(),
    events: await t.c.models.consentEvents.countDocuments(),
    imports: await t.c.models.imports.countDocuments(),
  });

  it('previews the first rows and suggests a mapping from the headers it knows', async () => {
    const res = await call('POST', '/imports/preview', { body: 'email,Vārds,Piezīmes\na@example.lv,Anna,x\nb@example.lv,Ilze,y\n' });
    expect(res.status).to.equal(200);
    const preview = await json(res);
    expect(preview.columns).to.deep.equal(['email', 'Vārds', 'Piezīmes']);
    expect(preview.rows).to.deep.equal([['a@example.lv', 'Anna', 'x'], ['b@example.lv', 'Ilze', 'y']]);
    expect(preview.mapping).to.deep.equal({ email: 'email', name: 'Vārds' });
    expect(await t.c.models.auditEntries.countDocuments({ action: 'import.preview' })).to.equal(1);
  });

  it('dry run: reports what would be added and every skip reason, and writes nothing', async () => {
    const before = await written();
    const res = await call('POST', '/imports/dry-run', { body: csv, query: MAPPING });
    expect(res.status).to.equal(200);
    const report = await json(res);
    expect(report).to.include({ dryRun: true, rows: 8, added: 2, skipped: 6 });
    expect(report.reasons).to.deep.equal({ unsubscribed: 1, suppressed: 1, erased: 1, restricted: 1, 'invalid-email': 1, 'duplicate-in-file': 1 });
    expect(report.skippedRows).to.deep.include({ line: 3, reason: 'unsubscribed', email: 'desk-unsub@example.lv' });
    expect(report.skippedRows).to.deep.include({ line: 7, reason: 'invalid-email', email: 'not an address' });
    expect(await written()).to.deep.equal(before);
    expect(await t.c.models.auditEntries.countDocuments({ action: 'subscribers.import.dry-run' })).to.equal(1);
  });

  it('runs the import as a job, with progress in its record, and keeps the report', async function () {
    this.timeout(20_000);
    const res = await call('POST', '/imports', { body: csv, query: { ...MAPPING, fileName: 'shop-export.csv', source: 'shop' } });
    expect(res.status).to.equal(202);
    const queued = await json(res);
    expect(queued.status).to.be.oneOf(['queued', 'running', 'done']);
    expect(queued).to.include({ fileName: 'shop-export.csv', list: DEFAULT_LIST, expectedRows: 8 });
    let record: Json = {};
    for (const deadline = Date.now() + 15_000; record.status !== 'done' && Date.now() < deadline; ) {
      await new Promise((r) => setTimeout(r, 100));
      record = await json(await call('GET', `/imports/${queued.id}`));
    }
    expect(record).to.include({ status: 'done', rows: 8, added: 2, skipped: 6, actor: 'dpo@impro.lv' });
    expect(record.skippedRows).to.deep.include({ line: 6, reason: 'restricted', email: 'desk-restricted@example.lv' });
    const anna = await t.c.models.subscribers.findOne({ emailKey: 'desk-new@example.lv' }).lean();
    expect(anna?.name).to.equal('Anna');
    const event = await t.c.models.consentEvents.findOne({ subscriberId: anna!._id, type: 'imported' }).lean();
    expect(event?.source).to.equal('shop');
    // Never re-activated: the unsubscribed one stays unsubscribed.
    const unsub = await t.c.models.subscribers.findOne({ emailKey: 'desk-unsub@example.lv' }).lean();
    expect((await t.c.models.subscriptions.findOne({ subscriberId: unsub!._id }).lean())?.status).to.equal('unsubscribed');
    // The file does not outlive its run.
    expect(await t.c.redis.exists(`${t.config.queuePrefix}:import-file:${queued.id}`)).to.equal(0);
    const list = await json(await call('GET', '/imports'));
    expect(list.items[0]).to.include({ id: queued.id, status: 'done', added: 2 });
    expect(list.items[0]).not.to.have.property('skippedRows');
    expect(await t.c.models.auditEntries.countDocuments({ action: 'subscribers.import', target: DEFAULT_LIST })).to.equal(1);
  });

  it('refuses a wrong mapping, a malformed file and an unknown list with a 400, keeping nothing', async () => {
    const before = await written();
    const wrong = await call('POST', '/imports', { body: csv, query: { ...MAPPING, col_email: 'Email' } });
    expect(wrong.status).to.equal(400);
    expect((await json(wrong)).error.message).to.contain('the file has no column "Email"');
    const twice = await call('POST', '/imports/dry-run', { body: csv, query: { ...MAPPING, col_name: 'E-mail address' } });
    expect(twice.status).to.equal(400);
    const noDate = await call('POST', '/imports', { body: csv, query: { col_email: 'E-mail address' } });
    expect((await json(noDate)).error.message).to.contain('map a column to consent_date');
    const malformed = await call('POST', '/imports', { body: 'email,consent_date\n"unclosed@example.lv,2020-01-01\n' });
    expect(malformed.status).to.equal(400);
    expect((await call('POST', '/imports/preview', { body: 'a,b\n"x,y\n' })).status).to.equal(400);
    expect((await call('POST', '/imports', { body: csv, query: { ...MAPPING, list: 'no-such-list' } })).status).to.equal(400);
    expect((await call('POST', '/imports', { body: csv, query: { ...MAPPING, col_nonsense: 'x' } })).status).to.equal(400);
    expect((await call('GET', '/imports/not-an-id')).status).to.equal(400);
    expect(await written()).to.deep.equal(before);
  });

  it('is closed to marketers', async () => {
    for (const [method, url] of [['POST', '/imports/preview'], ['POST', '/imports/dry-run'], ['POST', '/imports'], ['GET', '/imports'], ['GET', '/imports/0123456789abcdef01234567']]) {
      const res = await call(method!, url!, { role: 'marketer', body: method === 'POST' ? csv : undefined });
      expect(res.status, `${method} ${url}`).to.equal(403);
    }
  });

  it('the CLI dry run writes nothing and prints the reasons', async function () {
    this.timeout(60_000);
    const file = path.join(t.config.varDir, 'dry.csv');
    await writeFile(file, ['email,consent_date', 'desk-cli@example.lv,2020-01-01', 'desk-erased@example.lv,2020-01-01'].join('\n'));
    const before = await written();
    const { stdout } = await runCli(t.env, 'import', file, '--dry-run', '--json');
    const report = JSON.parse(stdout.trim().split('\n').at(-1)!);
    expect(report).to.include({ dryRun: true, added: 1, skipped: 1 });
    expect(report.reasons).to.deep.equal({ erased: 1 });
    expect(await written()).to.deep.equal(before);
  });
});
