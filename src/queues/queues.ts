import { Queue, type ConnectionOptions } from 'bullmq';
import { QueueNames, type QueueName } from './names';

// Failed jobs stay a week for diagnosis; completed ones are trimmed (their outcome lives in MongoDB).
export const defaultJobOptions = {
  removeOnComplete: { age: 3600, count: 1000 },
  removeOnFail: { age: 7 * 24 * 3600 },
  attempts: 5,
  backoff: { type: 'exponential', delay: 2000 },
};

export type Queues = Record<QueueName, Queue>;

export function createQueues(connection: ConnectionOptions, prefix: string): Queues {
  const entries = Object.values(QueueNames).map((name) => [name, new Queue(name, { connection, prefix, defaultJobOptions })]);
  return Object.fromEntries(entries) as Queues;
}

export async function closeQueues(queues: Queues): Promise<void> {
  await Promise.all(Object.values(queues).map((q) => q.close()));
}
