// With a DKIM key configured, campaign mails are signed and both List-* headers are in the signed set.
import { generateKeyPairSync } from 'node:crypto';
import { expect } from 'chai';
import { createTestContext, type TestContext } from '../helpers/context';
import { createSubscriber } from '../helpers/factories';
import { api, createCampaign, rawHeader, waitForStatus } from './helpers';

describe('campaign sending: DKIM', () => {
  let t: TestContext;
  before(async () => {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    t = await createTestContext({ workers: true, env: { DKIM_DOMAIN: 'impro.lv', DKIM_SELECTOR: 'ej2026', DKIM_PRIVATE_KEY: pem } });
  });
  after(async () => t.close());

  it('signs with d=impro.lv and covers List-Unsubscribe and List-Unsubscribe-Post', async () => {
    const person = await createSubscriber(t.c, { email: 'dkim@example.lv', lists: { 'e-jaunumi': 'active' } });
    const id = await createCampaign(t);
    await api(t, 'POST', `/campaigns/${id}/send`);
    await waitForStatus(t, id, 'sent');
    const [mail] = (await t.mails()).filter((m) => m.to.includes(person.email));
    const signature = rawHeader(mail!.raw, 'DKIM-Signature')!;
    expect(signature).to.match(/\bd=impro\.lv;/);
    expect(signature).to.match(/\bs=ej2026;/);
    const signed = /\bh=([^;]+);/.exec(signature)![1]!.replace(/\s+/g, '').toLowerCase().split(':');
    expect(signed).to.include.members(['list-unsubscribe', 'list-unsubscribe-post', 'from', 'subject', 'message-id']);
  });
});
