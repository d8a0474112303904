// Links that are not genuine unsubscribe links never change anything and never crash: forged,
// truncated, wrong-purpose and malformed tokens get an error page that says how to reach
// impro@impro.lv. Links signed with a retired-but-kept key keep working after rotation.
import { randomBytes } from 'node:crypto';
import { expect } from 'chai';
import { parseLinkSigningKeys } from '../../src/config';
import { LinkTokenSigner } from '../../src/domain/link-token';
import { createTestContext, type TestContext } from '../helpers/context';
import { DEFAULT_LIST, statesOf, subscriberWithLink, withdrawals } from './helpers';

const keyText = (id: string) => `${id}:${randomBytes(32).toString('base64')}`;
const oneClick = () => new URLSearchParams({ 'List-Unsubscribe': 'One-Click' });

describe('unsubscribe: tokens that must not work, and key rotation', () => {
  const oldKey = keyText('k1');
  const newKey = keyText('k2');
  const retiredKey = keyText('k0');
  let t: TestContext;
  before(async () => {
    // k2 was prepended to a ring that had k1; k0 was removed from it earlier.
    t = await createTestContext({ env: { LINK_SIGNING_KEYS: `${newKey},${oldKey}` } });
  });
  after(async () => t.close());

  const signerWith = (keys: string) => new LinkTokenSigner(parseLinkSigningKeys(keys));

  it('signs new links with the newest key', async () => {
    const { token } = await subscriberWithLink(t.c);
    expect(token.startsWith('k2.')).to.equal(true);
  });

  it('still honours a link signed with the previous key, from a mail sent before the rotation', async () => {
    const { subscriberId } = await subscriberWithLink(t.c);
    const oldLink = signerWith(oldKey).sign({ purpose: 'unsubscribe', subject: subscriberId, list: DEFAULT_LIST });
    expect((await fetch(`${t.baseUrl}/u/${oldLink}`)).status).to.equal(200);
    const res = await fetch(`${t.baseUrl}/u/${oldLink}`, { method: 'POST', body: oneClick() });
    expect(res.status).to.equal(200);
    expect((await statesOf(t.c, subscriberId))[DEFAULT_LIST]).to.equal('unsubscribed');
  });

  describe('refuses, with a page naming impro@impro.lv and no state change:', () => {
    const forged: Array<[string, (subscriberId: string, genuine: string) => string]> = [
      ['a link signed with a removed key', (id) => signerWith(retiredKey).sign({ purpose: 'unsubscribe', subject: id, list: DEFAULT_LIST })],
      ['a link signed with a foreign secret under a known key id', (id) => signerWith(keyText('k2')).sign({ purpose: 'unsubscribe', subject: id })],
      ['a confirm link used to unsubscribe', (id) => t.c.signer.sign({ purpose: 'confirm', subject: id, list: DEFAULT_LIST })],
      ['a verify link used to unsubscribe', (id) => t.c.signer.sign({ purpose: 'verify', subject: id })],
      ['a truncated link', (_id, genuine) => genuine.slice(0, -4)],
      ['a link cut before its signature', (_id, genuine) => genuine.split('.').slice(0, 2).join('.')],
      ['a link with one signature character changed', (_id, genuine) => {
        const at = genuine.length - 5;
        return genuine.slice(0, at) + (genuine[at] === 'A' ? 'B' : 'A') + genuine.slice(at + 1);
      }],
      ['a link with another subscriber id spliced in', (_id, genuine) => {
        const [kid, , mac] = genuine.split('.');
        const other = t.c.signer.sign({ purpose: 'unsubscribe', subject: 'aaaaaaaaaaaaaaaaaaaaaaaa', list: DEFAULT_LIST });
        return `${kid}.${other.split('.')[1]}.${mac}`;
      }],
      ['a link with an extra part', (_id, genuine) => `${genuine}.AAAA`],
      ['random text', () => 'not-a-token'],
      ['an empty payload and signature', () => 'k2..'],
      ['a very long token', () => `k2.${'A'.repeat(600)}.AAAAAAAAAAAAAAAAAAAAAA`],
      ['a bare subscriber id', (id) => id],
      ['a badly percent-encoded path', () => 'k2.%E0%A4%A.x'],
    ];

    for (const [what, make] of forged) {
      it(what, async () => {
        const { subscriberId, token } = await subscriberWithLink(t.c);
        const bad = make(subscriberId, token);
        const requests: RequestInit[] = [{ method: 'GET' }, { method: 'POST', body: oneClick() }, { method: 'POST', body: new URLSearchParams({ scope: 'all' }) }];
        for (const init of requests) {
          const res = await fetch(`${t.baseUrl}/u/${bad}`, { ...init, redirect: 'manual', headers: { accept: 'text/html' } });
          expect(res.status, `${init.method}`).to.be.oneOf([400, 404]);
          expect(await res.text()).to.contain('impro@impro.lv');
        }
        const head = await fetch(`${t.baseUrl}/u/${bad}`, { method: 'HEAD' });
        expect(head.status).to.be.oneOf([400, 404]);
        expect(await statesOf(t.c, subscriberId)).to.include({ [DEFAULT_LIST]: 'active' });
        expect(await withdrawals(t.c, subscriberId)).to.have.length(0);
      });
    }
  });
});
