// Every sign-up the public pages accept (the form, the JSON API, re-joining a list from the
// preferences page) and every "send me a fresh link" goes onto the `signup` queue here. Jobs that
// arrive together are added in one pipeline (src/group-commit.ts): a sign-up costs Redis a share of
// one round trip instead of a write of its own, which was most of what its answer waited for.
import type { JobsOptions, Queue } from 'bullmq';
import { GroupCommit } from '../group-commit';
import { resendJobOptions, SignupJobs, signupJobOptions, type ResendJob, type SignupJob } from './signup-jobs';

type QueuedJob = { name: string; data: SignupJob | ResendJob; opts: JobsOptions };

// Two pipelines in flight: a request that arrives while one is with Redis need not wait for it.
const GROUPS = { concurrency: 2, max: 200 };

export class SignupIntake {
  private readonly adds: GroupCommit<QueuedJob, void>;

  constructor(private readonly deps: { queue: Queue; hashKey: string; now: () => Date }) {
    this.adds = new GroupCommit<QueuedJob, void>(async (jobs) => {
      await deps.queue.addBulk(jobs);
      return jobs.map(() => undefined);
    }, GROUPS);
  }

  async request(job: Omit<SignupJob, 'receivedAt'>): Promise<void> {
    const data: SignupJob = { ...job, receivedAt: this.deps.now().toISOString() };
    await this.adds.submit({ name: SignupJobs.request, data, opts: signupJobOptions(data, this.deps.hashKey) });
  }

  /** A fresh confirmation link asked for: on the same queue, so every address answers in the same time. */
  async resend(job: Omit<ResendJob, 'receivedAt'>): Promise<void> {
    const data: ResendJob = { ...job, receivedAt: this.deps.now().toISOString() };
    await this.adds.submit({ name: SignupJobs.resend, data, opts: resendJobOptions(data, this.deps.hashKey) });
  }
}
