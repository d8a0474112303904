// Sign-up answers at once: the request is validated, put on the `signup` queue and answered 202;
// the job does the double opt-in start. So the answer takes as long for an address we know
// (suppressed, restricted, cooling down) as for a new one (invariant 6), compared as a ratio of
// medians in one run, not against a wall clock.
import { expect } from 'chai';
import { performance } from 'node:perf_hooks';
import { DEFAULT_LIST } from '../../src/data/list.model';
import { hashEmail } from '../../src/domain/email-address';
import { SignupJobs, type SignupJob } from '../../src/queues/signup-jobs';
import { CONSENT_TEXT_V1 } from '../../src/domain/seed';
import { createTestContext, type TestContext } from '../helpers/context';
import { createSubscriber } from '../helpers/factories';
import { signUpJson } from './helpers';

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

describe('sign-up: accepted into a queue, answered at once', () => {
  let t: TestContext;
  before(async () => {
    t = await createTestContext({ env: { SIGNUP_IP_LIMIT_PER_MINUTE: '100000' } });
  });
  after(async () => t.close());

  const post = (email: string) =>
    fetch(`${t.baseUrl}/api/v1/subscriptions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email }) });
  const postForm = (fields: Record<string, string>, headers: Record<string, string> = {}) =>
    fetch(`${t.baseUrl}/subscribe`, { method: 'POST', body: new URLSearchParams(fields), headers });

  it('answers known and unknown addresses in the same time (ratio of medians within 0.67–1.5)', async function () {
    this.timeout(120_000);
    const suppressed = 'timing-suppressed@example.lv';
    const restricted = 'timing-restricted@example.lv';
    const cooling = 'timing-cooling@example.lv';
    await t.c.suppressions.suppress(hashEmail(suppressed, t.config.emailHashKey), 'hard-bounce');
    await createSubscriber(t.c, { email: restricted, restricted: true, lists: { [DEFAULT_LIST]: 'active' } });
    await signUpJson(t, { email: cooling });

    const timed = async (email: string) => {
      // Each answer on a quiet process: the previous sign-up's job has finished.
      await t.signupsDone();
      const started = performance.now();
      const res = await post(email);
      const ms = performance.now() - started;
      expect(res.status).to.equal(202);
      await res.text();
      return ms;
    };
    for (let i = 0; i < 3; i++) await timed(`warm-${i}@example.lv`);
    const known: number[] = [];
    const unknown: number[] = [];
    const knownAddresses = [suppressed, restricted, cooling];
    for (let i = 0; i < 30; i++) {
      known.push(await timed(knownAddresses[i % 3]!));
      unknown.push(await timed(`timing-new-${i}@example.lv`));
    }
    const ratio = median(unknown) / median(known);
    expect(ratio, `median unknown ${median(unknown).toFixed(2)} ms, known ${median(known).toFixed(2)} ms`).to.be.within(0.67, 1.5);
    await t.signupsDone();
    // And the sign-ups did happen behind the answers.
    expect(await t.c.models.subscribers.countDocuments({ emailKey: /^timing-new-/ })).to.equal(30);
  });

  it('answers 202 before anything is written, and the job carries the form, origin and consent shown', async () => {
    await t.c.queues.signup.pause();
    try {
      const res = await postForm(
        { email: 'queued@example.lv', name: 'Anna', consent: 'yes', lang: 'en', policyVersion: '1' },
        { 'user-agent': 'queue-test/1.0', 'x-forwarded-for': '203.0.113.9' },
      );
      expect(res.status).to.equal(202);
      expect(await t.c.models.subscribers.countDocuments({ emailKey: 'queued@example.lv' })).to.equal(0);
      // The same form sent again while the first waits (a double click) is one job.
      expect((await postForm({ email: 'queued@example.lv', name: 'Anna', consent: 'yes', lang: 'en', policyVersion: '1' })).status).to.equal(202);
      const waiting = await t.c.queues.signup.getJobs(['waiting']);
      expect(waiting).to.have.length(1);
      const job = waiting[0]!;
      expect(job.name).to.equal(SignupJobs.request);
      const data = job.data as SignupJob;
      expect(data).to.deep.include({ email: 'queued@example.lv', name: 'Anna', locale: 'en', channel: 'web-form', ip: '203.0.113.9', userAgent: 'queue-test/1.0' });
      expect(data.consent).to.deep.include({ policyVersion: 1, consentText: `${CONSENT_TEXT_V1.en} Lists chosen: “e-Jaunumi”.` });
      expect(job.opts.attempts).to.be.at.least(3);
      expect(job.opts.backoff).to.deep.include({ type: 'exponential' });
      expect(job.opts.removeOnFail).to.not.equal(true);
    } finally {
      await t.c.queues.signup.resume();
    }
    await t.signupsDone();
    const subscriber = await t.c.models.subscribers.findOne({ emailKey: 'queued@example.lv' }).lean();
    const [requested] = await t.c.ledger.history(subscriber!._id);
    expect(requested).to.deep.include({ type: 'requested', channel: 'web-form', ip: '203.0.113.9', policyVersion: 1, consentText: `${CONSENT_TEXT_V1.en} Lists chosen: “e-Jaunumi”.` });
  });

  it('keeps a job the domain refuses in the failed set, without retrying it', async () => {
    const data: SignupJob = { email: 'gone-list@example.lv', lists: ['no-longer-public'], locale: 'lv', channel: 'api', receivedAt: new Date().toISOString() };
    await t.c.queues.signup.add(SignupJobs.request, data, { jobId: 'signup-refused-1' });
    await t.signupsDone();
    const job = await t.c.queues.signup.getJob('signup-refused-1');
    expect(await job!.getState()).to.equal('failed');
    expect(job!.attemptsMade).to.equal(1);
    expect(job!.failedReason).to.contain('unknown list');
  });
});
