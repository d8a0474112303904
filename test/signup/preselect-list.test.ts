// The unsubscribe page's way back in links to /subscribe?list=SLUG: that list comes preselected.
import { expect } from 'chai';
import { createTestContext, type TestContext } from '../helpers/context';

describe('sign-up page: a list named in the link is preselected', () => {
  let t: TestContext;
  before(async () => {
    t = await createTestContext();
    await t.c.models.lists.create({ slug: 'celojumi', name: { lv: 'Ceļojumi', en: 'Trips' }, public: true });
  });
  after(async () => t.close());

  const checkedLists = async (query: string) => {
    const html = await (await fetch(`${t.baseUrl}/subscribe${query}`)).text();
    return [...html.matchAll(/value="([a-z0-9-]+)" data-name="[^"]*" checked/g)].map((m) => m[1]);
  };

  it('checks the named list instead of the default one', async () => {
    expect(await checkedLists('')).to.deep.equal(['e-jaunumi']);
    expect(await checkedLists('?list=celojumi')).to.deep.equal(['celojumi']);
  });

  it('ignores a malformed list name and shows the default', async () => {
    expect(await checkedLists('?list=%3Cscript%3E')).to.deep.equal(['e-jaunumi']);
  });
});
