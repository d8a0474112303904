// Fan-out: one job per campaign (now or delayed until its scheduled time) turns it into send batches.
import { Worker } from 'bullmq';
import type { Container } from '../src/container';
import { restoreCampaignJobs } from '../src/domain/campaigns/campaign-scheduler';
import { fanOutCampaign } from '../src/domain/campaigns/fanout';
import { campaignWorkerOptions, type FanoutJob } from '../src/queues/campaign-jobs';
import { QueueNames } from '../src/queues/names';

export async function fanoutWorker(c: Container): Promise<Worker> {
  const deps = { models: c.models, queues: c.queues, now: () => c.clock.now() };
  await restoreCampaignJobs(deps);
  return new Worker<FanoutJob>(QueueNames.fanout, (job) => fanOutCampaign(deps, job.data.campaignId), campaignWorkerOptions(c));
}
