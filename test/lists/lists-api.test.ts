// Lists through the admin API as the console's Lists page uses them: create and rename with names in
// both languages; bad input is a 400 that says what is wrong, and each change is in the audit trail.
import { expect } from 'chai';
import { api } from '../campaigns/helpers';
import { createTestContext, type TestContext } from '../helpers/context';

describe('lists admin API: create and rename', () => {
  let t: TestContext;
  before(async () => {
    t = await createTestContext();
  });
  after(async () => t.close());

  const name = { lv: 'Ziemas ceļojumi', en: 'Winter travel' };

  it('refuses bad input with a 400 and stores nothing', async () => {
    const bad: Array<[string, unknown]> = [
      ['no name', { slug: 'ziema-1' }],
      ['empty Latvian name', { slug: 'ziema-1', name: { lv: '  ', en: 'Winter' } }],
      ['no English name', { slug: 'ziema-1', name: { lv: 'Ziema' } }],
      ['name too long', { slug: 'ziema-1', name: { lv: 'x'.repeat(201), en: 'Winter' } }],
      ['description too long', { slug: 'ziema-1', name, description: { lv: 'x'.repeat(1001), en: '' } }],
      ['upper-case slug', { slug: 'Ziema', name }],
      ['slug with a slash', { slug: 'ziema/1', name }],
      ['slug too long', { slug: 'z'.repeat(64), name }],
      ['public not a boolean', { slug: 'ziema-1', name, public: 'yes' }],
      ['unknown field', { slug: 'ziema-1', name, owner: 'me' }],
    ];
    for (const [why, body] of bad) {
      const res = await api(t, 'POST', '/lists', body);
      expect(res.status, why).to.equal(400);
      expect(res.json.error.code, why).to.equal('validation_failed');
    }
    expect(await t.c.models.lists.countDocuments({ slug: { $in: ['ziema-1', 'Ziema'] } })).to.equal(0);
  });

  it('creates a list (audited with its names), renames and describes it (audited with the change), and keeps its slug', async () => {
    const created = await api(t, 'POST', '/lists', { slug: 'ziema', name, description: { lv: 'Slēpošana', en: 'Skiing' } });
    expect(created.status).to.equal(201);
    expect(created.json).to.deep.include({ slug: 'ziema', name, public: true, description: { lv: 'Slēpošana', en: 'Skiing' } });
    const renamed = await api(t, 'PATCH', '/lists/ziema', { name: { lv: 'Ziema kalnos', en: 'Winter in the mountains' }, public: false });
    expect(renamed.status).to.equal(200);
    expect(renamed.json).to.deep.include({ slug: 'ziema', name: { lv: 'Ziema kalnos', en: 'Winter in the mountains' }, public: false, description: { lv: 'Slēpošana', en: 'Skiing' } });

    expect((await api(t, 'PATCH', '/lists/ziema', { slug: 'cits' })).status).to.equal(400);
    expect((await api(t, 'PATCH', '/lists/ziema', {})).status).to.equal(400);
    expect((await api(t, 'PATCH', '/lists/ziema', { name: { lv: '', en: 'X' } })).status).to.equal(400);
    expect((await api(t, 'PATCH', '/lists/NAV', { public: true })).status).to.equal(400);
    expect((await api(t, 'PATCH', '/lists/nav-tada', { public: true })).status).to.equal(404);

    const trail = await t.c.models.auditEntries.find({ target: 'ziema' }).sort({ at: 1 }).lean();
    expect(trail.map((e) => [e.action, e.details])).to.deep.equal([
      ['list.create', { name, public: true }],
      ['list.update', { name: { lv: 'Ziema kalnos', en: 'Winter in the mountains' }, public: false }],
    ]);
  });

  it('is for marketers and admins: a dpo cannot create or rename', async () => {
    expect((await api(t, 'POST', '/lists', { slug: 'dpo-list', name }, 'dpo')).status).to.equal(403);
    expect((await api(t, 'PATCH', '/lists/e-jaunumi', { public: false }, 'dpo')).status).to.equal(403);
    expect((await api(t, 'POST', '/lists', { slug: 'admin-list', name }, 'admin')).status).to.equal(201);
  });
});
