// RFC 8058 one-click unsubscribe against the running app: both encodings, no cookies, 200 and never
// a redirect, repeats harmless, and the consent event each change writes.
import { expect } from 'chai';
import { Types } from 'mongoose';
import { checkChain } from '../consent/ledger-independent';
import { createTestContext, type TestContext } from '../helpers/context';
import { createSubscriber } from '../helpers/factories';
import { uniqueName } from '../helpers/services';
import { DEFAULT_LIST, SECOND_LIST, createSecondList, statesOf, subscriberWithLink, withdrawals } from './helpers';

const USER_AGENT = 'Gmail-One-Click-Test/1.0';
type Body = NonNullable<RequestInit['body']>;

describe('unsubscribe: RFC 8058 one-click POST /u/:token', () => {
  let t: TestContext;
  before(async () => {
    t = await createTestContext();
    await createSecondList(t.c);
  });
  after(async () => t.close());

  const post = (token: string, body: Body, headers: Record<string, string> = {}) =>
    fetch(`${t.baseUrl}/u/${token}`, { method: 'POST', body, redirect: 'manual', headers: { 'user-agent': USER_AGENT, ...headers } });

  const encodings: Array<[string, () => Body]> = [
    ['application/x-www-form-urlencoded', () => new URLSearchParams({ 'List-Unsubscribe': 'One-Click' })],
    ['multipart/form-data', () => {
      const form = new FormData();
      form.set('List-Unsubscribe', 'One-Click');
      return form;
    }],
  ];

  for (const [encoding, body] of encodings) {
    it(`ends the token's list with a ${encoding} body: 200 text, no cookie, no redirect`, async () => {
      const campaignId = String(new Types.ObjectId());
      const { subscriberId, token } = await subscriberWithLink(t.c, { campaignId });
      const res = await post(token, body());
      expect(res.status).to.equal(200);
      expect(res.headers.get('content-type')).to.match(/^text\/plain/);
      expect(res.headers.get('set-cookie')).to.equal(null);
      expect(res.headers.get('location')).to.equal(null);
      expect((await res.text()).length).to.be.below(100);
      expect(await statesOf(t.c, subscriberId)).to.deep.equal({ [DEFAULT_LIST]: 'unsubscribed', [SECOND_LIST]: 'pending' });
    });
  }

  it('also accepts a raw multipart body with a quoted boundary and transport padding', async () => {
    const { subscriberId, token } = await subscriberWithLink(t.c);
    const body = ['--b0undary  ', 'Content-Disposition: form-data; name="List-Unsubscribe"', '', 'One-Click', '--b0undary--', ''].join('\r\n');
    const res = await post(token, body, { 'content-type': 'multipart/form-data; boundary="b0undary"' });
    expect(res.status).to.equal(200);
    expect((await statesOf(t.c, subscriberId))[DEFAULT_LIST]).to.equal('unsubscribed');
  });

  it('writes one withdrawn event with channel, campaign, IP and user agent; a repeat changes nothing', async () => {
    const campaignId = String(new Types.ObjectId());
    const { subscriberId, token } = await subscriberWithLink(t.c, { campaignId });
    for (let i = 0; i < 3; i++) {
      const res = await post(token, encodings[0]![1]());
      expect(res.status).to.equal(200);
    }
    const events = await withdrawals(t.c, subscriberId);
    expect(events).to.have.length(1);
    const [event] = events;
    expect(event).to.include({ list: DEFAULT_LIST, channel: 'one-click', userAgent: USER_AGENT });
    expect(String(event!.campaignId)).to.equal(campaignId);
    expect(event!.ip).to.match(/127\.0\.0\.1/);
    expect(event!.emailHash).to.match(/^[0-9a-f]{64}$/);
    expect(event!.effectDelayMs).to.be.a('number').and.at.least(0);
    const sub = await t.c.models.subscriptions.findOne({ subscriberId, list: DEFAULT_LIST }).lean();
    expect(sub!.unsubscribedAt).to.be.instanceOf(Date);
  });

  it('writes exactly one event when the same link is POSTed many times at once', async () => {
    const { subscriberId, token } = await subscriberWithLink(t.c);
    const responses = await Promise.all(Array.from({ length: 12 }, () => post(token, encodings[0]![1]())));
    expect(responses.map((r) => r.status)).to.deep.equal(Array(12).fill(200));
    expect(await withdrawals(t.c, subscriberId)).to.have.length(1);
  });

  it('ends every list when the token names none', async () => {
    const { subscriberId, token } = await subscriberWithLink(t.c, { allLists: true });
    expect((await post(token, encodings[1]![1]())).status).to.equal(200);
    expect(await statesOf(t.c, subscriberId)).to.deep.equal({ [DEFAULT_LIST]: 'unsubscribed', [SECOND_LIST]: 'unsubscribed' });
    expect((await withdrawals(t.c, subscriberId)).map((e) => e.list)).to.deep.equal([SECOND_LIST, DEFAULT_LIST].sort());
  });

  it('answers 200 with nothing to do for an unknown, erased or already unsubscribed person', async () => {
    const unknown = t.c.listHeaders.unsubscribeToken({ subscriberId: String(new Types.ObjectId()), list: DEFAULT_LIST });
    const erased = await subscriberWithLink(t.c);
    // Erasure leaves no subscriber and no subscriptions, only the tombstone.
    await t.c.models.subscriptions.deleteMany({ subscriberId: erased.subscriberId });
    await t.c.models.subscribers.deleteOne({ _id: erased.subscriberId });
    await t.c.suppressions.suppress(erased.subscriber.emailHash, 'erasure');
    const out = await subscriberWithLink(t.c);
    await t.c.models.subscriptions.updateOne({ subscriberId: out.subscriberId, list: DEFAULT_LIST }, { $set: { status: 'unsubscribed' } });

    for (const token of [unknown, erased.token, out.token]) {
      const res = await post(token, encodings[0]![1]());
      expect(res.status).to.equal(200);
      expect(await res.text()).to.match(/nothing to do/i);
    }
    expect(await t.c.models.consentEvents.countDocuments({ subscriberId: { $in: [erased.subscriberId, out.subscriberId] } })).to.equal(0);
    expect(await statesOf(t.c, out.subscriberId)).to.deep.equal({ [DEFAULT_LIST]: 'unsubscribed', [SECOND_LIST]: 'pending' });
  });

  it('refuses a POST that is neither one-click nor a choice from the page, changing nothing', async () => {
    const { subscriberId, token } = await subscriberWithLink(t.c);
    const bodies: Array<[Body | undefined, Record<string, string>]> = [
      [undefined, {}],
      [new URLSearchParams({ 'List-Unsubscribe': 'Yes' }), {}],
      [new URLSearchParams({ list: '$where' }), {}],
      ['{"list":{"$ne":null}}', { 'content-type': 'application/json' }],
      ['--x\r\nContent-Disposition: form-data; name="List-Unsubscribe"\r\n\r\nOne-Click', { 'content-type': 'multipart/form-data; boundary=x' }],
      ['--x\r\nContent-Disposition: form-data; name="f"; filename="a.txt"\r\n\r\nhi\r\n--x--', { 'content-type': 'multipart/form-data; boundary=x' }],
      ['whatever', { 'content-type': 'multipart/form-data' }],
    ];
    for (const [body, headers] of bodies) {
      const res = await fetch(`${t.baseUrl}/u/${token}`, { method: 'POST', body, headers, redirect: 'manual' });
      expect(res.status, String(body)).to.equal(400);
    }
    expect((await statesOf(t.c, subscriberId))[DEFAULT_LIST]).to.equal('active');
    expect(await withdrawals(t.c, subscriberId)).to.have.length(0);
  });

  describe('links that name their subscription, as newsletters carry them (committed in groups)', () => {
    /** A person active on the default list and pending on the second, and the newsletter link for each subscription. */
    async function personWithNamedLinks() {
      const person = await createSubscriber(t.c, { email: `${uniqueName('grupa')}@example.lv`, lists: { [DEFAULT_LIST]: 'active', [SECOND_LIST]: 'pending' } });
      const subscriberId = String(person._id);
      const subs = await t.c.models.subscriptions.find({ subscriberId: person._id }).lean();
      const linkFor = (list: string) =>
        t.c.listHeaders.unsubscribeToken({ subscriberId, list, subscriptionId: String(subs.find((s) => s.list === list)!._id), campaignId: String(new Types.ObjectId()) });
      return { person, subscriberId, linkFor };
    }
    const oneClick = () => new URLSearchParams({ 'List-Unsubscribe': 'One-Click' });

    it('30 people clicking at once, each link twice: every subscription ends once, with its event, opt-out and an unbroken chain', async () => {
      const people = await Promise.all(Array.from({ length: 30 }, () => personWithNamedLinks()));
      // Both lists of every third person, so one group holds two changes of one chain.
      const links = people.flatMap((p, i) => [p.linkFor(DEFAULT_LIST), ...(i % 3 === 0 ? [p.linkFor(SECOND_LIST)] : [])]);
      const responses = await Promise.all([...links, ...links].map((token) => post(token, oneClick())));
      expect(responses.map((r) => r.status)).to.deep.equal(Array(links.length * 2).fill(200));
      const texts = await Promise.all(responses.map((r) => r.text()));
      // Exactly one of the two requests of each link made the change.
      links.forEach((_link, i) => expect([texts[i], texts[i + links.length]].sort(), `link ${i}`).to.deep.equal(['Nothing to do: already unsubscribed.\n', 'Unsubscribed.\n']));

      for (const [i, p] of people.entries()) {
        const lists = i % 3 === 0 ? [DEFAULT_LIST, SECOND_LIST] : [DEFAULT_LIST];
        expect(await statesOf(t.c, p.subscriberId)).to.deep.equal({ [DEFAULT_LIST]: 'unsubscribed', [SECOND_LIST]: i % 3 === 0 ? 'unsubscribed' : 'pending' });
        const events = await withdrawals(t.c, p.subscriberId);
        expect(events.map((e) => e.list)).to.deep.equal([...lists].sort());
        for (const e of events) {
          expect(e).to.include({ channel: 'one-click', userAgent: USER_AGENT });
          expect(e.effectDelayMs).to.be.a('number').and.at.least(0);
          expect(e.campaignId).to.be.instanceOf(Types.ObjectId);
        }
        for (const list of lists) expect(await t.c.optOuts.has(p.person.emailHash, list), `opt-out ${i} ${list}`).to.equal(true);
        const chain = await t.c.models.consentEvents.collection.find({ emailHash: p.person.emailHash }).toArray();
        expect(checkChain(chain as never, t.config.ledgerKey).firstBad, `chain of ${i}`).to.equal(undefined);
        const sub = await t.c.models.subscriptions.findOne({ subscriberId: p.person._id, list: DEFAULT_LIST }).lean();
        expect(sub!.unsubscribedAt).to.be.instanceOf(Date);
        expect(sub!.version, 'one transition').to.equal(events.find((e) => e.list === DEFAULT_LIST)!.fromVersion! + 1);
      }
    });

    it('a link naming someone else\'s subscription ends only its own person\'s list', async () => {
      const [anna, janis] = [await personWithNamedLinks(), await personWithNamedLinks()];
      const janisSubscription = await t.c.models.subscriptions.findOne({ subscriberId: janis.person._id, list: DEFAULT_LIST }).lean();
      const forged = t.c.listHeaders.unsubscribeToken({ subscriberId: anna.subscriberId, list: DEFAULT_LIST, subscriptionId: String(janisSubscription!._id) });
      const [res] = await Promise.all([post(forged, oneClick()), post(janis.linkFor(SECOND_LIST), oneClick())]);
      expect(res!.status).to.equal(200);
      expect(await statesOf(t.c, anna.subscriberId)).to.deep.equal({ [DEFAULT_LIST]: 'unsubscribed', [SECOND_LIST]: 'pending' });
      expect(await statesOf(t.c, janis.subscriberId)).to.deep.equal({ [DEFAULT_LIST]: 'active', [SECOND_LIST]: 'unsubscribed' });
    });

    it('an erased or unknown person in a group changes nothing and the rest still commit', async () => {
      const [kept, erased] = [await personWithNamedLinks(), await personWithNamedLinks()];
      const erasedLink = erased.linkFor(DEFAULT_LIST);
      await t.c.models.subscribers.deleteOne({ _id: erased.person._id });
      const unknown = t.c.listHeaders.unsubscribeToken({ subscriberId: String(new Types.ObjectId()), list: DEFAULT_LIST, subscriptionId: String(new Types.ObjectId()) });
      const texts = await Promise.all([erasedLink, unknown, kept.linkFor(DEFAULT_LIST)].map(async (token) => (await post(token, oneClick())).text()));
      expect(texts).to.deep.equal(['Nothing to do: already unsubscribed.\n', 'Nothing to do: already unsubscribed.\n', 'Unsubscribed.\n']);
      expect(await withdrawals(t.c, erased.subscriberId)).to.have.length(0);
      expect((await statesOf(t.c, kept.subscriberId))[DEFAULT_LIST]).to.equal('unsubscribed');
    });
  });
});
