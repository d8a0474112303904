// With a DKIM key configured, campaign mails are signed and both List-* headers are in the signed set.
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { expect } from 'chai';
import { createTestContext, type TestContext } from '../helpers/context';
import { verifyDkim } from '../helpers/dkim-verify';
import { createSubscriber } from '../helpers/factories';
import { api, createCampaign, rawHeader, waitForStatus } from './helpers';

describe('campaign sending: DKIM', () => {
  let t: TestContext;
  let publicKey: KeyObject;
  before(async () => {
    const keys = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const { privateKey } = keys;
    publicKey = keys.publicKey;
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
    // As the receiving server gets it: once signed, and the signature verifies.
    expect(mail!.raw.match(/^DKIM-Signature:/gim)).to.have.length(1);
    expect(verifyDkim(mail!.raw, publicKey)).to.include({ ok: true, domain: 'impro.lv', selector: 'ej2026' });
  });

  it('signs a test send (Nodemailer\'s composer) once too', async () => {
    const id = await createCampaign(t);
    expect((await api(t, 'POST', `/campaigns/${id}/test`, { to: ['kolega@impro.lv'] })).status).to.be.within(200, 299);
    const [mail] = await t.waitForMails(1, (m) => m.to.includes('kolega@impro.lv'));
    expect(mail!.parsed.subject).to.match(/^\[TEST\] /);
    expect(mail!.raw.match(/^DKIM-Signature:/gim)).to.have.length(1);
    expect(verifyDkim(mail!.raw, publicKey)).to.include({ ok: true });
  });
});
