import { randomBytes } from 'node:crypto';
import { expect } from 'chai';
import { LinkTokenSigner } from '../../src/domain/link-token';
import { ListHeaderBuilder } from '../../src/mail/list-headers';

const SUBSCRIBER = '65f0c0ffee0000000000abcd';
const CAMPAIGN = '65f0c0ffee00000000001234';

describe('list headers (RFC 2369, RFC 8058)', () => {
  const signer = new LinkTokenSigner([{ id: 'k1', secret: randomBytes(32) }]);
  const builder = new ListHeaderBuilder({
    signer,
    settings: { publicBaseUrl: 'https://e-jaunumi.impro.lv', mailDomain: 'impro.lv', mailboxAddress: 'impro@impro.lv', unsubscribeMailtoLocal: 'unsubscribe' },
  });

  it('gives an https link and a mailto with the same signed token, and the one-click header', () => {
    const links = builder.build({ subscriberId: SUBSCRIBER, list: 'e-jaunumi', campaignId: CAMPAIGN });
    expect(links.unsubscribeUrl).to.equal(`https://e-jaunumi.impro.lv/u/${links.token}`);
    expect(links.mailto).to.equal(`mailto:unsubscribe+${links.token}@impro.lv?subject=unsubscribe`);
    expect(links.headers).to.deep.equal({
      'List-Unsubscribe': `<https://e-jaunumi.impro.lv/u/${links.token}>, <mailto:unsubscribe+${links.token}@impro.lv?subject=unsubscribe>`,
      'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
      'List-Id': '<e-jaunumi.impro.lv>',
    });
    expect(signer.verify(links.token, 'unsubscribe')).to.deep.equal({ purpose: 'unsubscribe', subject: SUBSCRIBER, list: 'e-jaunumi', campaign: CAMPAIGN });
  });

  it('means every list when no list is given, and then has no List-Id', () => {
    const links = builder.build({ subscriberId: SUBSCRIBER });
    expect(signer.verify(links.token, 'unsubscribe').list).to.equal(undefined);
    expect(links.headers).not.to.have.property('List-Id');
    expect(links.headers['List-Unsubscribe-Post']).to.equal('List-Unsubscribe=One-Click');
  });

  it('keeps the header on one short line (no address inside, token well under 200 characters)', () => {
    const links = builder.build({ subscriberId: SUBSCRIBER, list: 'e-jaunumi', campaignId: CAMPAIGN });
    expect(links.token.length).to.be.below(200);
    expect(links.headers['List-Unsubscribe']).not.to.match(/[\r\n]/);
    expect(links.token).not.to.contain('@');
  });
});
