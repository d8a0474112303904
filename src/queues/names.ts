// Every queue in one place; key equal to value so logs and Redis keys read the same.
export const QueueNames = {
  fanout: 'fanout',
  send: 'send',
  transactional: 'transactional',
  signup: 'signup',
  mailbox: 'mailbox',
  retention: 'retention',
  reconciliation: 'reconciliation',
  import: 'import',
  ledgerAnchor: 'ledgerAnchor',
  scheduler: 'scheduler',
  reconsent: 'reconsent',
} as const;

export type QueueName = (typeof QueueNames)[keyof typeof QueueNames];
