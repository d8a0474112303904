// `npm run cli -- campaign …` against the test context's services: create from an MJML file, list,
// send, and a bad MJML file reported with its line number.
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { expect } from 'chai';
import { runCli } from '../helpers/cli';
import { createTestContext, type TestContext } from '../helpers/context';
import { NEWSLETTER } from './helpers';


describe('campaign CLI', function () {
  this.timeout(120_000);
  let t: TestContext;
  before(async () => {
    t = await createTestContext();
  });
  after(async () => t.close());

  const cli = (...args: string[]) => runCli(t.env, 'campaign', ...args);

  it('creates a campaign from an MJML file and schedules it; invalid MJML exits 1 with the line', async () => {
    const file = path.join(t.config.varDir, 'vasara.mjml');
    await writeFile(file, NEWSLETTER);
    const created = JSON.parse((await cli('create', '--name', 'Vasara', '--subject', 'Sveiki, {{name}}!', '--mjml', file)).stdout);
    expect(created).to.include({ status: 'draft', list: 'e-jaunumi' });
    const scheduled = JSON.parse((await cli('send', created.id, '--at', '2099-03-10T10:00')).stdout);
    expect(scheduled).to.include({ status: 'scheduled', scheduledAt: '2099-03-10T08:00:00.000Z' });
    expect((await t.c.models.campaigns.findById(created.id).lean())?.status).to.equal('scheduled');

    await writeFile(file, NEWSLETTER.replace('<mj-text>Labdien', '<mj-text bogus="1">Labdien'));
    const failed = await cli('create', '--name', 'Slikts', '--subject', 's', '--mjml', file).catch((e: { code: number; stderr: string }) => e);
    expect(failed).to.have.property('code', 1);
    expect((failed as { stderr: string }).stderr).to.contain('line 3 (mj-text)');
  });

  it('creates a campaign with an English version, previews it, duplicates it and deletes the draft', async function () {
    this.timeout(240_000);
    const lv = path.join(t.config.varDir, 'lv.mjml');
    const en = path.join(t.config.varDir, 'en.mjml');
    await writeFile(lv, NEWSLETTER);
    await writeFile(en, '<mj-section><mj-column><mj-text>Summer trips to Italy.</mj-text></mj-column></mj-section>');
    const created = JSON.parse((await cli('create', '--name', 'Divas', '--subject', 'Vasara', '--mjml', lv, '--subject-en', 'Summer', '--mjml-en', en)).stdout);
    expect(created.en).to.deep.equal({ subject: 'Summer', preheader: '' });
    expect((await cli('preview', created.id, '--lang', 'en')).stdout).to.contain('Summer trips to Italy.').and.to.contain('Unsubscribe from e-Jaunumi');

    const copy = JSON.parse((await cli('duplicate', created.id, '--name', 'Kopija')).stdout);
    expect(copy).to.include({ name: 'Kopija', status: 'draft' });
    expect(JSON.parse((await cli('delete', copy.id)).stdout)).to.deep.equal({ id: copy.id, deleted: true });
    expect(await t.c.models.campaigns.findById(copy.id).lean()).to.equal(null);
  });
});
