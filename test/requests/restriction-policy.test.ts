// Restriction stops campaign sends while the data stays; policy versions and consent coverage.
import { expect } from 'chai';
import { createTestContext, type TestContext } from '../helpers/context';
import { DEFAULT_LIST } from '../helpers/factories';
import { api as campaignApi, copiesPerRecipient, createCampaign, seedAudience } from '../campaigns/helpers';
import { api } from './helpers';

/** Until every recipient of the campaign is either sent or skipped. */
async function waitUntilProcessed(t: TestContext, id: string, recipients: number) {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const { json } = await campaignApi(t, 'GET', `/campaigns/${id}`);
    if (json.stats.sent + json.stats.skipped >= recipients) return json;
    if (Date.now() > deadline) throw new Error(`campaign ${id} not processed: ${JSON.stringify(json.stats)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('requests: restriction in sending, policy versions and consent coverage', function () {
  this.timeout(60_000);
  let t: TestContext;
  before(async () => {
    t = await createTestContext({ workers: true });
  });
  after(async () => t.close());

  it('a restricted subscriber gets no campaign until the DPO lifts the restriction', async () => {
    const [restricted, other] = await seedAudience(t.c, 2, { prefix: 'restricted-reader' });
    expect((await api(t, 'dpo', 'POST', `/subscribers/${restricted!.id}/restriction`, {})).status).to.equal(200);

    const first = await createCampaign(t);
    expect((await campaignApi(t, 'POST', `/campaigns/${first}/send`, {})).status).to.equal(202);
    const stats = (await waitUntilProcessed(t, first, 2)).stats;
    expect(stats).to.include({ sent: 1, skipped: 1 });
    const copies = copiesPerRecipient(await t.mails(), first);
    expect([...copies.keys()]).to.deep.equal([other!.email]);

    expect((await api(t, 'dpo', 'DELETE', `/subscribers/${restricted!.id}/restriction`)).status).to.equal(200);
    const second = await createCampaign(t);
    await campaignApi(t, 'POST', `/campaigns/${second}/send`, {});
    await waitUntilProcessed(t, second, 2);
    expect([...copiesPerRecipient(await t.mails(), second).keys()].sort()).to.deep.equal([other!.email, restricted!.email].sort());
  });

  it('registers a new policy version and shows how many active subscribers consented under each', async () => {
    const before = (await api(t, 'dpo', 'GET', '/consent-coverage')).body;
    expect(before.current).to.equal(1);
    const v1Before = before.versions.find((v: { version: number }) => v.version === 1).activeSubscribers;

    const registered = await api(t, 'dpo', 'POST', '/policy-versions', {
      text: 'Privātuma politika, 2. versija',
      consentText: { lv: 'Piekrītu saņemt e-Jaunumus (2. versija).', en: 'I agree to receive e-Jaunumi (version 2).' },
    });
    expect(registered.status).to.equal(201);
    expect(registered.body.version).to.equal(2);
    expect((await api(t, 'marketer', 'POST', '/policy-versions', { text: 'x', consentText: { lv: 'x', en: 'x' } })).status).to.equal(403);
    expect((await api(t, 'dpo', 'POST', '/policy-versions', { text: '' })).status).to.equal(400);

    // Two people consent under version 2, one of them on two lists: counted once.
    const people = await seedAudience(t.c, 2, { prefix: 'v2-reader' });
    await t.c.models.subscriptions.updateMany({ subscriberId: { $in: people.map((p) => p.id) } }, { $set: { policyVersion: 2 } });
    await t.c.models.subscriptions.create({ subscriberId: people[0]!.id, list: 'celojumi-2027', status: 'active', policyVersion: 2 });
    // An unsubscribed one does not count.
    const [gone] = await seedAudience(t.c, 1, { prefix: 'v2-gone', status: 'unsubscribed' });
    await t.c.models.subscriptions.updateOne({ subscriberId: gone!.id }, { $set: { policyVersion: 2 } });

    const after = await api(t, 'dpo', 'GET', '/consent-coverage');
    expect(after.status).to.equal(200);
    expect(after.body.current).to.equal(2);
    const byVersion = new Map(after.body.versions.map((v: { version: number; activeSubscribers: number }) => [v.version, v.activeSubscribers]));
    expect(byVersion.get(2)).to.equal(2);
    expect(byVersion.get(1)).to.equal(v1Before);
    expect((await api(t, 'marketer', 'GET', '/consent-coverage')).status).to.equal(403);
    const audit = await t.c.models.auditEntries.findOne({ action: 'policy-version.register' }).lean();
    expect(audit).to.include({ actor: 'dpo@impro.lv', target: '2' });
    expect(DEFAULT_LIST).to.equal('e-jaunumi');
  });
});
