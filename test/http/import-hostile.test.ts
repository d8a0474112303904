// Hostile CSV uploads: a line without a newline, a quote where none belongs. The uploader gets a
// 400 naming the line, quickly, and nothing of the file comes back or goes into a log.
import { expect } from 'chai';
import { performance } from 'node:perf_hooks';
import { readCsvRecords } from '../../src/domain/consent/csv-records';
import { createTestContext, type TestContext } from '../helpers/context';

const MB = 1024 * 1024;

describe('import: hostile CSV', () => {
  let t: TestContext;
  before(async () => {
    t = await createTestContext();
  });
  after(async () => t.close());

  const upload = async (body: string) => {
    const started = performance.now();
    const res = await fetch(`${t.baseUrl}/api/v1/admin/import`, {
      method: 'POST',
      headers: { authorization: `Bearer ${t.token('dpo')}`, 'content-type': 'text/csv' },
      body,
    });
    return { status: res.status, text: await res.text(), ms: performance.now() - started };
  };

  it('refuses a 4 MB line without a newline with a 400 naming the line, as fast as a same-size file refused at its header', async function () {
    this.timeout(60_000);
    const hostile = `email,consent_date\n${'a'.repeat(4 * MB)}`;
    const baseline = `name,source\n${'a'.repeat(4 * MB)}`;
    await upload(baseline);
    const base = Math.min((await upload(baseline)).ms, (await upload(baseline)).ms);
    const first = await upload(hostile);
    const hostileMs = Math.min(first.ms, (await upload(hostile)).ms);
    expect(first.status).to.equal(400);
    expect(first.text).to.contain('line 2 is longer than 65536 characters');
    expect(hostileMs, `hostile ${hostileMs.toFixed(0)} ms vs baseline ${base.toFixed(0)} ms`).to.be.below(base * 3 + 50);
  });

  it('answers a quote inside an unquoted field with a 400 that quotes nothing of the file', async () => {
    const res = await upload('email,consent_date\nsecret"value@example.lv,2020-01-01\n');
    expect(res.status).to.equal(400);
    expect(res.text).to.contain('line 2');
    expect(res.text).not.to.contain('secret');
    const unclosed = await upload('email,consent_date\n"private@example.lv,2020-01-01\n');
    expect(unclosed.status).to.equal(400);
    expect(unclosed.text).not.to.contain('private');
  });

  it('feeds the parser in bounded slices and keeps counting lines across them', async () => {
    const rows = Array.from({ length: 3000 }, (_, i) => `user${i}@example.lv,2020-01-01`);
    const seen: number[] = [];
    for await (const { line } of readCsvRecords(`email,consent_date\n${rows.join('\n')}\n`, { columns: true })) seen.push(line);
    expect(seen).to.have.length(3000);
    expect(seen.at(-1)).to.equal(3001);
    const long = `email\nok@example.lv\n${'b'.repeat(70_000)}\n`;
    const err = await (async () => {
      for await (const _ of readCsvRecords(long, { columns: true }));
    })().catch((e: unknown) => e);
    expect((err as Error).message).to.equal('line 3 is longer than 65536 characters');
  });
});
