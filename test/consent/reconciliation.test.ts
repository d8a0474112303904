// The reconciliation job's repairs that the kill tests do not reach: a restriction event whose flag a
// crash left unchanged, and an erasure tombstone that the person's later confirmation had to lift.
import { expect } from 'chai';
import { hashEmail } from '../../src/domain/email-address';
import { createTestContext, type TestContext } from '../helpers/context';
import { createSubscriber, DEFAULT_LIST } from '../helpers/factories';

describe('consent: ledger reconciliation', () => {
  let t: TestContext;
  before(async () => {
    t = await createTestContext();
  });
  after(async () => t.close());

  it('sets the restriction flag the last restriction event names', async () => {
    const person = await createSubscriber(t.c, { email: 'recon.restrict@example.lv', lists: { [DEFAULT_LIST]: 'active' } });
    await t.c.ledger.record({ subscriberId: person._id, emailHash: person.emailHash, type: 'restricted', channel: 'admin' });
    expect((await t.c.reconciliation.run()).restrictionsApplied).to.equal(1);
    expect((await t.c.models.subscribers.findById(person._id).lean())!.restricted).to.equal(true);
    expect((await t.c.reconciliation.run()).restrictionsApplied).to.equal(0);
  });

  it('lifts an erasure tombstone older than the person’s own confirmation, and only that', async () => {
    const back = hashEmail('recon.back@example.lv', t.config.emailHashKey);
    const erased = hashEmail('recon.erased@example.lv', t.config.emailHashKey);
    for (const hash of [back, erased]) await t.c.suppressions.suppress(hash, 'erasure', 'DSR-RECON');
    await t.c.ledger.record({ emailHash: erased, list: DEFAULT_LIST, type: 'confirmed', channel: 'web-form', at: new Date(Date.now() - 86_400_000) });
    await t.c.ledger.record({ emailHash: back, list: DEFAULT_LIST, type: 'confirmed', channel: 'web-form', at: new Date(Date.now() + 1000) });
    expect((await t.c.reconciliation.run()).tombstonesLifted).to.equal(1);
    expect(await t.c.suppressions.isSuppressed(back)).to.equal(false);
    expect(await t.c.suppressions.isSuppressed(erased)).to.equal(true);
  });
});
