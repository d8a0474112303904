// Re-consent after a material policy change: only consents under an older version are asked, a
// confirmation moves the subscription to the new version (channel re-consent), a replay changes
// nothing, the one reminder goes once, the deadline lapses whoever did not answer, lapsed people are
// not mailed campaigns, and one-click unsubscribe works in these mails as in every other.
import { expect } from 'chai';
import { Types } from 'mongoose';
import { sendBatch, type SendDeps } from '../../src/domain/campaigns/send-batch';
import { createTestContext, type SinkMail, type TestContext } from '../helpers/context';
import { createSubscriber, DEFAULT_LIST } from '../helpers/factories';
import { api, batchOf, createCampaign, HookedPacer, rawHeader } from '../campaigns/helpers';
import { MovableClock } from '../staff/helpers';

const DAY = 86_400_000;
const V2 = {
  text: 'IMPRO privātuma politika, 2. versija.\n\nJaunumus sūtām arī par partneru ceļojumiem.',
  consentText: { lv: 'Piekrītu saņemt IMPRO CEĻOJUMI un partneru jaunumus: {lists}.', en: 'I agree to receive news from IMPRO CEĻOJUMI and its partners: {lists}.' },
  changeSummary: { lv: 'Turpmāk sūtīsim arī partneru piedāvājumus.', en: 'From now on we also send our partners’ offers.' },
};

const to = (address: string) => (m: SinkMail) => m.to.includes(address);
const isReConsent = (m: SinkMail) => /\/re-consent\//.test(m.parsed.text ?? '');
const linkOf = (m: SinkMail) => {
  const match = /(https?:\/\/\S+\/re-consent\/[A-Za-z0-9_.-]+)/.exec(m.parsed.text ?? '');
  if (!match) throw new Error('no re-consent link in the mail');
  return match[1]!;
};

describe('consent: re-consent after a material policy change', function () {
  this.timeout(90_000);
  const clock = new MovableClock();
  let t: TestContext;
  let campaignId: string;
  const people: Record<string, { id: string; email: string }> = {};

  const statusOf = async (name: string) => t.c.models.subscriptions.findOne({ subscriberId: people[name]!.id, list: DEFAULT_LIST }).lean();
  const reConsentMailsTo = async (name: string) => (await t.mails()).filter((m) => to(people[name]!.email)(m) && isReConsent(m));
  // The deadline sweep always waits as a delayed job: drained means nothing waiting or running.
  const drain = async () => {
    const until = Date.now() + 20_000;
    while (Object.values(await t.c.queues.reconsent.getJobCounts('waiting', 'active', 'prioritized')).some((n) => n > 0)) {
      if (Date.now() > until) throw new Error('re-consent queue not drained');
      await new Promise((r) => setTimeout(r, 50));
    }
  };

  before(async () => {
    t = await createTestContext({ workers: true, clock });
    const add = async (name: string, opts: { locale?: 'lv' | 'en'; status?: 'active' | 'unsubscribed'; version?: number } = {}) => {
      const email = `rc-${name}@example.lv`;
      const s = await createSubscriber(t.c, { email, locale: opts.locale, lists: { [DEFAULT_LIST]: opts.status ?? 'active' } });
      if (opts.version) await t.c.models.subscriptions.updateOne({ subscriberId: s._id }, { $set: { policyVersion: opts.version } });
      people[name] = { id: String(s._id), email };
    };
    await add('confirms');
    await add('twice');
    await add('leaves', { locale: 'en' });
    await add('silent');
    await add('current', { version: 2 });
    await add('gone', { status: 'unsubscribed' });
  });
  after(async () => t.close());

  it('is for the DPO only: a marketer gets 403 on every re-consent and policy route', async () => {
    for (const [method, path, body] of [
      ['GET', '/re-consent', undefined],
      ['POST', '/re-consent', { policyVersion: 2 }],
      ['POST', '/re-consent/0123456789abcdef01234567/remind', undefined],
      ['PATCH', '/policy-versions/1', { material: true }],
      ['GET', '/consent-coverage/history', undefined],
    ] as const) {
      expect((await api(t, method, path, body, 'marketer')).status, `${method} ${path}`).to.equal(403);
    }
  });

  it('starts only for a material version, marked at registration or later (audited)', async () => {
    const registered = await api(t, 'POST', '/policy-versions', V2, 'dpo');
    expect(registered.status, registered.text).to.equal(201);
    expect(registered.json).to.include({ version: 2, material: false });
    expect((await api(t, 'POST', '/re-consent', { policyVersion: 2 }, 'dpo')).status).to.equal(409);

    const marked = await api(t, 'PATCH', '/policy-versions/2', { material: true }, 'dpo');
    expect(marked.json).to.include({ material: true });
    expect(await t.c.models.auditEntries.countDocuments({ action: 'policy-version.material', target: '2' })).to.equal(1);
  });

  it('mails only people whose active consent names an older version, in their language, with working list headers', async () => {
    const started = await api(t, 'POST', '/re-consent', { policyVersion: 2 }, 'dpo');
    expect(started.status, started.text).to.equal(201);
    campaignId = started.json.id;
    expect(new Date(started.json.deadline).getTime() - clock.now().getTime()).to.be.closeTo(30 * DAY, 60_000);
    expect((await api(t, 'POST', '/re-consent', { policyVersion: 2 }, 'dpo')).status, 'one campaign per version').to.equal(409);
    expect(await t.c.models.auditEntries.countDocuments({ action: 're-consent.start', target: campaignId })).to.equal(1);

    await t.waitForMails(4, isReConsent);
    await drain();
    const mails = (await t.mails()).filter(isReConsent);
    expect(mails.flatMap((m) => m.to).sort()).to.deep.equal([people.confirms!.email, people.twice!.email, people.leaves!.email, people.silent!.email].sort());

    const english = mails.find(to(people.leaves!.email))!;
    expect(english.parsed.subject).to.match(/^Our privacy policy has changed/);
    expect(english.parsed.text).to.include('From now on we also send our partners’ offers.');
    const latvian = mails.find(to(people.confirms!.email))!;
    expect(latvian.parsed.subject).to.match(/^Mūsu privātuma politika ir mainījusies/);
    for (const m of mails) {
      expect(rawHeader(m.raw, 'List-Unsubscribe')).to.match(/^<https?:\/\/\S+\/u\/[^>]+>, <mailto:[^>]+>$/);
      expect(rawHeader(m.raw, 'List-Unsubscribe-Post')).to.equal('List-Unsubscribe=One-Click');
    }
    expect((await api(t, 'GET', `/re-consent/${campaignId}`, undefined, 'dpo')).json).to.deep.include({ status: 'open' });
  });

  it('confirming records a `confirmed` event under the new version (channel re-consent); GET changes nothing; a replay is a harmless 410', async () => {
    const [mail] = await reConsentMailsTo('confirms');
    const link = linkOf(mail!);
    const page = await fetch(link);
    expect(page.status).to.equal(200);
    const html = await page.text();
    expect(html).to.include('Piekrītu saņemt IMPRO CEĻOJUMI un partneru jaunumus: „e-Jaunumi”.');
    expect(html).to.include('noindex');
    expect((await statusOf('confirms'))!.policyVersion, 'a GET changes nothing').to.equal(1);

    const confirmed = await fetch(link, { method: 'POST', body: new URLSearchParams({ lang: 'lv' }), headers: { 'user-agent': 're-consent-test' } });
    expect(confirmed.status).to.equal(200);
    expect(await confirmed.text()).to.include('Jūsu piekrišana ir apstiprināta');
    expect(await statusOf('confirms')).to.include({ status: 'active', policyVersion: 2 });
    const events = await t.c.models.consentEvents.find({ subscriberId: people.confirms!.id, type: 'confirmed' }).lean();
    expect(events).to.have.length(1);
    expect(events[0]).to.include({ channel: 're-consent', policyVersion: 2, list: DEFAULT_LIST, userAgent: 're-consent-test' });
    expect(events[0]!.consentText).to.equal('Piekrītu saņemt IMPRO CEĻOJUMI un partneru jaunumus: „e-Jaunumi”.');
    expect(String(events[0]!.campaignId)).to.equal(campaignId);

    const replay = await fetch(link, { method: 'POST', body: new URLSearchParams({ lang: 'lv' }) });
    expect(replay.status).to.equal(410);
    expect(await t.c.models.consentEvents.countDocuments({ subscriberId: people.confirms!.id, type: 'confirmed' })).to.equal(1);
  });

  it('records two clicks at the same moment once', async () => {
    const link = linkOf((await reConsentMailsTo('twice'))[0]!);
    const post = () => fetch(link, { method: 'POST', body: new URLSearchParams({ lang: 'lv' }) }).then((r) => r.status);
    const statuses = await Promise.all([post(), post(), post()]);
    expect(statuses.filter((s) => s === 200), String(statuses)).to.have.length(1);
    expect(statuses.filter((s) => s === 410)).to.have.length(2);
    expect(await t.c.models.consentEvents.countDocuments({ subscriberId: people.twice!.id, type: 'confirmed', channel: 're-consent' })).to.equal(1);
    expect(await statusOf('twice')).to.include({ status: 'active', policyVersion: 2 });
  });

  it('answers forged and malformed links with a 4xx page, never a 500', async () => {
    const link = linkOf((await reConsentMailsTo('silent'))[0]!);
    const forged = link.slice(0, -3) + (link.endsWith('AAA') ? 'BBB' : 'AAA');
    for (const url of [forged, `${t.baseUrl}/re-consent/x`, `${t.baseUrl}/re-consent/${'a'.repeat(500)}`]) {
      const get = await fetch(url);
      expect(get.status, url).to.equal(400);
      expect(await get.text()).to.include('Apstiprinājuma saite nedarbojas');
      expect((await fetch(url, { method: 'POST', body: new URLSearchParams({ lang: 'lv' }) })).status).to.equal(400);
    }
    // A link signed for another purpose does not pass as a re-consent link.
    const unsubscribe = t.c.signer.sign({ purpose: 'unsubscribe', subject: people.silent!.id });
    expect((await fetch(`${t.baseUrl}/re-consent/${unsubscribe}`)).status).to.equal(400);
    expect((await statusOf('silent'))!.policyVersion).to.equal(1);
  });

  it('one-click unsubscribe (RFC 8058 POST) from a re-consent mail works', async () => {
    const [mail] = await reConsentMailsTo('leaves');
    const url = /<(https?:\/\/[^>]+)>/.exec(rawHeader(mail!.raw, 'List-Unsubscribe')!)![1]!;
    const res = await fetch(url, { method: 'POST', body: new URLSearchParams({ 'List-Unsubscribe': 'One-Click' }), redirect: 'manual' });
    expect(res.status).to.equal(200);
    expect(await statusOf('leaves')).to.include({ status: 'unsubscribed' });
    expect(await t.c.models.consentEvents.countDocuments({ subscriberId: people.leaves!.id, type: 'withdrawn', channel: 'one-click' })).to.equal(1);
  });

  it('sends the reminder once, only to those still waiting; re-running a batch mails nobody twice', async () => {
    const reminded = await api(t, 'POST', `/re-consent/${campaignId}/remind`, undefined, 'dpo');
    expect(reminded.status, reminded.text).to.equal(202);
    await t.waitForMails(1, (m) => isReConsent(m) && /^Atgādinājums: /.test(m.parsed.subject ?? ''));
    await drain();
    expect((await api(t, 'POST', `/re-consent/${campaignId}/remind`, undefined, 'dpo')).status, 'a second reminder').to.equal(409);

    // A crashed worker's batches run again: the per-person claims keep it to one mail each.
    const ids = Object.values(people).map((p) => p.id);
    await t.c.reConsent.sendBatch({ campaignId, kind: 'reminder', subscriberIds: ids });
    await t.c.reConsent.sendBatch({ campaignId, kind: 'invitation', subscriberIds: ids });
    expect((await reConsentMailsTo('silent')).map((m) => Boolean(m.parsed.subject?.startsWith('Atgādinājums: '))).sort()).to.deep.equal([false, true]);
    expect(await reConsentMailsTo('confirms')).to.have.length(1);
    expect(await reConsentMailsTo('leaves')).to.have.length(1);
    const progress = (await api(t, 'GET', `/re-consent/${campaignId}`, undefined, 'dpo')).json.progress;
    expect(progress).to.deep.equal({ asked: 4, confirmed: 2, waiting: 1, lapsed: 0, reminded: 1 });
  });

  it('after the deadline, lapses whoever did not confirm (a ledger event; the link expires)', async () => {
    const link = linkOf((await reConsentMailsTo('silent'))[0]!);
    expect(await t.c.reConsent.lapseDue(), 'before the deadline').to.equal(0);
    clock.advance(30 * DAY + 60_000);
    const expired = await fetch(link);
    expect(expired.status).to.equal(410);
    expect(await expired.text()).to.include('Apstiprinājuma saite nedarbojas');

    expect(await t.c.reConsent.lapseDue()).to.equal(1);
    expect(await t.c.reConsent.lapseDue(), 'a second sweep').to.equal(0);
    expect(await statusOf('silent')).to.include({ status: 'lapsed', policyVersion: 1 });
    expect(await statusOf('confirms')).to.include({ status: 'active', policyVersion: 2 });
    expect(await statusOf('current')).to.include({ status: 'active', policyVersion: 2 });
    const lapsed = await t.c.models.consentEvents.find({ subscriberId: people.silent!.id, type: 'lapsed' }).lean();
    expect(lapsed).to.have.length(1);
    expect(lapsed[0]).to.include({ channel: 're-consent', list: DEFAULT_LIST });
    const view = (await api(t, 'GET', `/re-consent/${campaignId}`, undefined, 'dpo')).json;
    expect(view.status).to.equal('closed');
    expect(view.progress).to.deep.include({ confirmed: 2, waiting: 0, lapsed: 1 });
  });

  it('skips a lapsed person at send time, counts them nowhere as active, and shows the way back', async () => {
    const id = await createCampaign(t);
    await t.c.models.campaigns.updateOne({ _id: id }, { $set: { status: 'sending' } });
    const subs = await t.c.models.subscriptions.find({ subscriberId: { $in: [people.silent!.id, people.confirms!.id] } }).lean();
    const audience = subs.map((s) => ({ id: String(s.subscriberId), subscriptionId: String(s._id) }));
    const deps: SendDeps = { ...t.c, now: () => clock.now(), pacer: new HookedPacer(async () => undefined), settings: t.c.config };
    const outcome = await sendBatch(deps, { campaignId: id, recipients: batchOf(audience) }, { batchJobId: `${id}-lapsed`, runId: 'lapsed', finalAttempt: false });
    expect(outcome).to.deep.include({ state: 'done', sent: 1, skipped: 1 });
    const skipped = await t.c.models.deliveryOutcomes.findOne({ campaignId: new Types.ObjectId(id), status: 'skipped' }).lean();
    expect(String(skipped!.subscriberId)).to.equal(people.silent!.id);

    const coverage = (await api(t, 'GET', '/consent-coverage', undefined, 'dpo')).json;
    expect(coverage.versions.map((v: { version: number; activeSubscribers: number }) => [v.version, v.activeSubscribers])).to.deep.equal([
      [1, 0],
      [2, 3],
    ]);
    const lists = (await api(t, 'GET', `/lists/${DEFAULT_LIST}`, undefined, 'admin')).json;
    expect(lists.subscriptions).to.include({ active: 3, lapsed: 1 });

    // Their preferences page says why nothing comes, and offers double opt-in back.
    const prefs = await fetch(`${t.baseUrl}/u/${t.c.signer.sign({ purpose: 'unsubscribe', subject: people.silent!.id })}`);
    const html = await prefs.text();
    expect(html).to.include('piekrišana netika atjaunota');
    expect(html).to.include('name="rejoin"');
    expect(await t.c.signup.request({ email: people.silent!.email, locale: 'lv', channel: 'web-form' })).to.equal('confirmation-queued');
    expect(await statusOf('silent')).to.include({ status: 'pending' });
  });

  it('charts active consents per version day by day from the ledger', async () => {
    const history = (await api(t, 'GET', '/consent-coverage/history?days=40', undefined, 'dpo')).json;
    expect(history.points).to.have.length(40);
    const last = history.points[history.points.length - 1];
    expect(last.day).to.equal(clock.now().toISOString().slice(0, 10));
    // Only ledger events count: the re-consent confirmation under version 2 is one of them.
    expect(last.byVersion['2']).to.be.at.least(1);
    expect((await api(t, 'GET', '/consent-coverage/history?days=2', undefined, 'dpo')).status).to.equal(400);
  });
});
