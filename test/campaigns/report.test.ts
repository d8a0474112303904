// The campaign report against a real send: the workers mail the list, one recipient is skipped,
// a one-click unsubscribe comes from the campaign's own mail, and the mailbox poller (real Dovecot)
// reads a hard bounce, a soft bounce and a complaint about it. The report counts each from the
// records, not from counters on the campaign.
import { expect } from 'chai';
import { Types } from 'mongoose';
import { recordCampaignFeedback } from '../../src/domain/campaigns/campaign-feedback';
import { createMailboxPoller } from '../../src/mailbox/create-poller';
import { createTestContext, type TestContext } from '../helpers/context';
import { dovecotAvailable, startDovecot, type DovecotServer } from '../helpers/dovecot';
import { createSubscriber } from '../helpers/factories';
import * as fixtures from '../mailbox-poller/messages';
import { api, createCampaign, rawHeader, waitForStatus } from './helpers';

describe('campaign report', function () {
  this.timeout(90_000);
  let t: TestContext;
  let imap: DovecotServer;
  before(async function () {
    if (!dovecotAvailable()) throw new Error('dovecot is not installed: run scripts/install-system-deps.sh');
    [t, imap] = await Promise.all([createTestContext({ workers: true }), startDovecot()]);
  });
  after(async () => Promise.all([t?.close(), imap?.stop()]));

  it('counts sent, skipped with reasons, bounces, complaints and the unsubscribes attributed to the campaign', async () => {
    const people = await Promise.all(
      ['anna', 'janis', 'liga', 'maris', 'inese'].map((name) => createSubscriber(t.c, { email: `${name}@report.example.lv`, name, lists: { 'e-jaunumi': 'active' } })),
    );
    await createSubscriber(t.c, { email: 'ierobezota@report.example.lv', restricted: true, lists: { 'e-jaunumi': 'active' } });
    // Someone who left before this campaign: their withdrawal is not this campaign's.
    const earlier = await createSubscriber(t.c, { email: 'agrak@report.example.lv', lists: { 'e-jaunumi': 'active' } });
    await t.c.unsubscribes.unsubscribe({ subscriberId: earlier._id, lists: 'all', channel: 'unsubscribe-page' });

    const id = await createCampaign(t, { name: 'Atskaite' });
    const draft = await api(t, 'GET', `/campaigns/${id}/report`);
    expect(draft.json).to.deep.include({ status: 'draft', ratePerMinute: null, secondsLeft: null, tracking: { opens: false, clicks: false } });
    expect((await api(t, 'GET', `/campaigns/${id}/report`, undefined, 'dpo')).status).to.equal(403);
    expect((await api(t, 'GET', '/campaigns/0123456789abcdef01234567/report')).status).to.equal(404);

    expect((await api(t, 'POST', `/campaigns/${id}/send`, {})).status).to.equal(202);
    await waitForStatus(t, id, 'sent');
    const mails = await t.waitForMails(5, (m) => m.raw.includes(`X-Ejaunumi-Campaign: ${id}`));

    // Anna unsubscribes with one click from the campaign's own List-Unsubscribe link.
    const annaMail = mails.find((m) => m.to.includes('anna@report.example.lv'))!;
    const unsubscribeUrl = /<(http[^>]+\/u\/[^>]+)>/.exec(rawHeader(annaMail.raw, 'List-Unsubscribe')!)![1]!;
    const oneClick = await fetch(unsubscribeUrl, { method: 'POST', body: new URLSearchParams({ 'List-Unsubscribe': 'One-Click' }) });
    expect(oneClick.status).to.equal(200);

    // What came back: a hard bounce (Jānis), a soft bounce (Līga), a complaint (Māris).
    const ours = (p: (typeof people)[number]) => ({ recipient: p.email, campaignId: id, subscriberId: String(p._id) });
    const [, janis, liga, maris] = people;
    await imap.append('INBOX', fixtures.dsn({ ...ours(janis!), messageId: '<hard.report@mx.example.lv>', status: '5.1.1', diagnostic: '550 5.1.1 User unknown' }));
    await imap.append('INBOX', fixtures.dsn({ ...ours(liga!), messageId: '<soft.report@mx.example.lv>', status: '4.2.2', diagnostic: '452 4.2.2 Mailbox full' }));
    await imap.append('INBOX', fixtures.arfComplaint({ ...ours(maris!), messageId: '<fbl.report@mail.example.lv>' }));
    const summary = await createMailboxPoller(t.c, { imapUrl: imap.url }).pollOnce();
    expect(summary?.counts).to.deep.equal({ bounce: 2, complaint: 1 });

    const report = (await api(t, 'GET', `/campaigns/${id}/report`)).json;
    expect(report).to.deep.include({ id, status: 'sent', ratePerMinute: null, secondsLeft: null });
    expect(report.stats).to.deep.include({ queued: 6, sent: 5, skipped: 1, failed: 0, ambiguous: 0, remaining: 0, skipReasons: { restricted: 1 } });
    expect(report.feedback).to.deep.equal({ hardBounces: 1, softBounces: 1, complaints: 1 });
    // Anna's one click and Māris's complaint (which withdraws consent too); the earlier leaver is not counted.
    expect(report.unsubscribes).to.deep.include({ events: 2, people: 2, byChannel: { 'one-click': 1, complaint: 1 }, byList: { 'e-jaunumi': 2 } });
    expect(report.unsubscribes.effectDelay.count).to.equal(2);

    // Polling the same messages again (a second poller, a retry) counts nothing twice.
    for (const kind of ['hard-bounce', 'soft-bounce'] as const) {
      await recordCampaignFeedback(t.c.models, id, kind, kind === 'hard-bounce' ? janis!.emailHash : liga!.emailHash, new Date());
    }
    expect((await api(t, 'GET', `/campaigns/${id}/report`)).json.feedback).to.include({ hardBounces: 1, softBounces: 1 });
    expect(await t.c.models.campaignFeedback.countDocuments({ campaignId: new Types.ObjectId(id) })).to.equal(3);
  });

  it('shows the rate and the time left while a campaign sends, from the batches finished lately', async () => {
    const now = Date.now();
    const campaign = await t.c.models.campaigns.create({
      name: 'Ātrums', list: 'e-jaunumi', subject: 'x', mjml: '<mjml/>', author: 'm@impro.lv',
      status: 'sending', startedAt: new Date(now - 10 * 60_000), stats: { queued: 3000 },
    });
    // 1,500 handled in the last five minutes (300/min), 500 more long before: those do not count.
    const batch = (minutesAgo: number, n: number) => ({ _id: `b-${minutesAgo}-${new Types.ObjectId()}`, campaignId: campaign._id, at: new Date(now - minutesAgo * 60_000), recipients: n });
    await t.c.models.finishedBatches.insertMany([batch(9, 500), batch(4, 500), batch(2, 500), batch(1, 500)]);
    const report = (await api(t, 'GET', `/campaigns/${campaign._id}/report`)).json;
    expect(report.ratePerMinute).to.be.within(295, 305);
    // 3,000 queued, none with an outcome here: 3,000 left at ~300/min is ~600 s.
    expect(report.secondsLeft).to.be.within(585, 615);
  });
});
