// The audit log's filters, pages and CSV export, and the record of each retention run.
import { expect } from 'chai';
import { csvCell } from '../../src/http/csv';
import { createTestContext, type TestContext } from '../helpers/context';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = Record<string, any>;

describe('DPO: audit log and retention runs', () => {
  let t: TestContext;
  before(async () => {
    t = await createTestContext();
    const at = (iso: string) => new Date(iso);
    await t.c.models.auditEntries.insertMany([
      { actor: 'anna@impro.lv', role: 'dpo', action: 'subscriber.search', target: 'x1', at: at('2026-03-01T10:00:00Z') },
      { actor: 'anna@impro.lv', role: 'dpo', action: 'subscriber.search', target: 'x2', at: at('2026-03-02T10:00:00Z') },
      { actor: 'anna@impro.lv', role: 'dpo', action: 'subscriber.consent.read', target: 'x2', at: at('2026-03-03T10:00:00Z') },
      { actor: 'janis@impro.lv', role: 'admin', action: 'subscriber.search', target: '=HYPERLINK("http://evil")', at: at('2026-03-04T10:00:00Z'), details: { note: '@SUM(1)' } },
      { actor: 'janis@impro.lv', role: 'admin', action: 'staff.invite', target: '+lv', at: at('2026-03-04T10:00:00Z') },
    ]);
  });
  after(async () => t.close());

  const get = (url: string, role: 'dpo' | 'marketer' = 'dpo') => fetch(`${t.baseUrl}/api/v1/admin${url}`, { headers: { authorization: `Bearer ${t.token(role)}` } });
  const items = async (url: string) => {
    const res = await get(url);
    expect(res.status, await res.clone().text()).to.equal(200);
    return (await res.json()) as Json;
  };
  const window = 'from=2026-03-01T00:00:00Z&to=2026-03-05T00:00:00Z';

  it('filters by actor, action, target and time, newest first', async () => {
    expect((await items(`/audit?actor=anna@impro.lv&${window}`)).items.map((e: Json) => e.target)).to.deep.equal(['x2', 'x2', 'x1']);
    expect((await items(`/audit?action=subscriber.search&${window}`)).items.map((e: Json) => e.target)).to.deep.equal(['=HYPERLINK("http://evil")', 'x2', 'x1']);
    expect((await items(`/audit?target=x2&action=subscriber.search`)).items).to.have.length(1);
    expect((await items('/audit?actor=anna@impro.lv&from=2026-03-02T00:00:00Z&to=2026-03-03T00:00:00Z')).items.map((e: Json) => e.target)).to.deep.equal(['x2']);
  });

  it('pages with a cursor that loses no entry of the same millisecond', async () => {
    const seen: string[] = [];
    let query = `actor=janis@impro.lv&${window}&limit=1`;
    for (let page = 0; page < 5; page++) {
      const body = await items(`/audit?${query}`);
      seen.push(...body.items.map((e: Json) => e.action));
      if (!body.next) break;
      query = `actor=janis@impro.lv&${window}&limit=1&before=${encodeURIComponent(body.next.before)}&beforeId=${body.next.beforeId}`;
    }
    expect(seen.sort()).to.deep.equal(['staff.invite', 'subscriber.search']);
  });

  it('refuses bad filters with a 400: a range over a year, from after to, unknown fields', async () => {
    expect((await get('/audit?from=2024-01-01&to=2026-01-01')).status).to.equal(400);
    expect((await get('/audit?from=2026-03-05&to=2026-03-01')).status).to.equal(400);
    expect((await get('/audit?from=yesterday')).status).to.equal(400);
    expect((await get('/audit?actor[$ne]=x')).status).to.equal(400);
    expect((await get('/audit.csv?from=2020-01-01&to=2026-01-01')).status).to.equal(400);
  });

  it('exports the selection as CSV with no cell a spreadsheet would run, audited', async () => {
    const res = await get(`/audit.csv?actor=janis@impro.lv&${window}`);
    expect(res.status).to.equal(200);
    expect(res.headers.get('content-type')).to.match(/^text\/csv/);
    expect(res.headers.get('content-disposition')).to.match(/^attachment; filename="audit-\d{4}-\d{2}-\d{2}\.csv"$/);
    const lines = (await res.text()).replace(/^\ufeff/, '').trim().split('\r\n');
    expect(lines[0]).to.equal('at,actor,role,action,target,ip,details');
    expect(lines).to.have.length(3);
    expect(lines.join('\n')).to.contain(`"'=HYPERLINK(""http://evil"")"`);
    expect(lines.join('\n')).to.contain(`,'+lv,`);
    expect(lines.join('\n')).to.contain(`"{""note"":""@SUM(1)""}"`);
    const audited = await t.c.models.auditEntries.findOne({ action: 'audit.export' }).lean();
    expect(audited?.details).to.include({ count: 2, actor: 'janis@impro.lv' });
  });

  it('escapes each dangerous first character', () => {
    expect(['=1', '+1', '-1', '@x', '\tx', '\rx', 'ok', '1-2'].map(csvCell)).to.deep.equal(["'=1", "'+1", "'-1", "'@x", "'\tx", `"'\rx"`, 'ok', '1-2']);
  });

  it('records each retention run with its period and counts, listed newest first', async () => {
    await t.c.retention.sweep('expired-claims');
    await t.c.retention.sweep('audit-entries');
    const body = await items('/retention/runs');
    expect(body.items.map((r: Json) => r.sweep)).to.deep.equal(['audit-entries', 'expired-claims']);
    expect(body.items[0]).to.include({ status: 'done', periodDays: 1095 });
    expect(body.items[0].counts).to.deep.equal({ deleted: 0 });
    expect(body.items[1].periodDays).to.equal(null);
  });

  it('removes the addresses of old import reports and records that run', async () => {
    const old = new Date(Date.now() - 100 * 24 * 3600 * 1000);
    await t.c.models.imports.create({ actor: 'dpo@impro.lv', role: 'dpo', list: 'e-jaunumi', status: 'done', finishedAt: old, skippedRows: [{ line: 2, reason: 'erased', email: 'gone@example.lv' }] });
    await t.c.models.imports.create({ actor: 'dpo@impro.lv', role: 'dpo', list: 'e-jaunumi', status: 'done', finishedAt: new Date(), skippedRows: [{ line: 2, reason: 'erased', email: 'kept@example.lv' }] });
    expect(await t.c.retention.sweep('import-details')).to.deep.equal({ reportsDeleted: 0, reportsStripped: 1, addressesRemoved: 1 });
    const reports = await t.c.models.imports.find({}).sort({ finishedAt: 1 }).lean();
    expect(reports.map((r) => r.skippedRows.map((s) => s.email ?? null))).to.deep.equal([[null], ['kept@example.lv']]);
    expect(reports[0]!.skippedRows[0]).to.include({ line: 2, reason: 'erased' });
    const runs = await items('/retention/runs?limit=1');
    expect(runs.items[0]).to.include({ sweep: 'import-details', periodDays: 90 });
  });

  it('is closed to marketers', async () => {
    for (const url of ['/audit', '/audit.csv', '/retention/runs']) expect((await get(url, 'marketer')).status, url).to.equal(403);
  });
});
