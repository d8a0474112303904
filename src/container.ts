// Composition root: the only place that builds the object graph. Everything else receives deps.
import { Redis } from 'ioredis';
import type { Connection } from 'mongoose';
import type { Config } from './config';
import { connectDatabase } from './data/connect';
import { createModels, syncIndexes, type Models } from './data/models';
import { campaignQueries } from './data/campaign.queries';
import { AuditLog } from './domain/audit';
import { ConsentLedger } from './domain/consent/consent-ledger';
import { Suppressions } from './domain/consent/suppressions';
import { AccessExport } from './domain/requests/access-export';
import { Erasure } from './domain/requests/erasure';
import { Rectification } from './domain/requests/rectification';
import { RequesterMail } from './domain/requests/requester-mail';
import { DataSubjectRequestService } from './domain/requests/requests';
import { Restrictions } from './domain/requests/restriction';
import { Retention } from './domain/retention';
import { ImportRuns } from './domain/consent/import-runs';
import { RequestVerification } from './domain/requests/verification';
import { UnsubscribeService } from './domain/consent/unsubscribe';
import { RecentWithdrawals } from './domain/consent/recent-withdrawals';
import { LedgerReconciliation } from './domain/consent/ledger-reconciliation';
import { LedgerAnchors } from './domain/consent/ledger-anchor';
import { LedgerMigration } from './domain/consent/ledger-migration';
import { LedgerVerifier } from './domain/consent/ledger-verify';
import { OptOuts } from './domain/consent/opt-outs';
import { SubscriptionStates } from './domain/consent/subscription-state';
import { PolicyVersions } from './domain/consent/policy-versions';
import { ReConsent } from './domain/consent/re-consent';
import { SignupService } from './domain/consent/signup';
import { SignupCooldown } from './domain/consent/signup-cooldown';
import { SignupMails } from './domain/consent/signup-mails';
import { CampaignService } from './domain/campaigns/campaigns';
import { ListService } from './domain/lists';
import { PageRenderer } from './http/pages';
import { EmailTemplates } from './mail/email-templates';
import { ListHeaderBuilder } from './mail/list-headers';
import { LinkTokenSigner } from './domain/link-token';
import { seedDefaults } from './domain/seed';
import { createStaffServices, type StaffServices } from './domain/staff';
import { assertNoEviction } from './infra/redis-server';
import type { Logger } from './logger';
import { createMailer, type Mailer } from './mail/mailer';
import { closeQueues, createQueues, type Queues } from './queues/queues';
import { SignupIntake } from './queues/signup-intake';

export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

export interface Container {
  config: Config;
  logger: Logger;
  clock: Clock;
  conn: Connection;
  models: Models;
  redis: Redis;
  queues: Queues;
  signupIntake: SignupIntake;
  mailer: Mailer;
  signer: LinkTokenSigner;
  audit: AuditLog;
  ledger: ConsentLedger;
  ledgerVerifier: LedgerVerifier;
  ledgerAnchors: LedgerAnchors;
  ledgerMigration: LedgerMigration;
  suppressions: Suppressions;
  requests: DataSubjectRequestService;
  restrictions: Restrictions;
  retention: Retention;
  imports: ImportRuns;
  unsubscribes: UnsubscribeService;
  withdrawals: RecentWithdrawals;
  optOuts: OptOuts;
  states: SubscriptionStates;
  reconciliation: LedgerReconciliation;
  policies: PolicyVersions;
  reConsent: ReConsent;
  signup: SignupService;
  signupMails: SignupMails;
  campaigns: CampaignService;
  lists: ListService;
  listHeaders: ListHeaderBuilder;
  emails: EmailTemplates;
  pages: PageRenderer;
  staff: StaffServices;
  close(): Promise<void>;
}

export interface ContainerOptions {
  clock?: Clock;
}

export async function createContainer(config: Config, logger: Logger, opts: ContainerOptions = {}): Promise<Container> {
  if (!config.mongodbUri || !config.redisUrl || !config.smtpUrl) {
    throw new Error('MONGODB_URI, REDIS_URL and SMTP_URL must be resolved before the container is built (see src/embedded.ts)');
  }
  const clock = opts.clock ?? systemClock;
  const now = () => clock.now();

  const conn = await connectDatabase(config.mongodbUri);
  const models = createModels(conn);
  await syncIndexes(models);
  await seedDefaults(models);

  // BullMQ wants maxRetriesPerRequest: null on connections used by workers.
  const redis = new Redis(config.redisUrl, { maxRetriesPerRequest: null, lazyConnect: false });
  redis.on('error', (err) => logger.warn({ err: err.message, component: 'redis' }, 'redis connection error'));
  await assertNoEviction(redis, (message) => logger.warn({ component: 'redis' }, message));

  const queues = createQueues(redis, config.queuePrefix);
  const mailer = createMailer(config, config.smtpUrl);
  // Link expiry follows the injectable clock, so tests can age a confirmation link.
  const signer = new LinkTokenSigner(config.linkSigningKeys, () => clock.now().getTime());
  const audit = new AuditLog({ models, now });
  const ledger = new ConsentLedger({ models, now, ledgerKey: config.ledgerKey });
  const ledgerVerifier = new LedgerVerifier({ models, ledgerKey: config.ledgerKey });
  const ledgerAnchors = new LedgerAnchors({
    models,
    verifier: ledgerVerifier,
    audit,
    mailer,
    settings: config,
    logger: logger.child({ component: 'ledger-anchor' }),
    now,
  });
  const ledgerMigration = new LedgerMigration({ models, ledgerKey: config.ledgerKey });
  const withdrawals = new RecentWithdrawals({
    redis,
    prefix: config.queuePrefix,
    now,
    campaignsSending: async () => (await campaignQueries.anySending(models)) !== null,
  });
  await withdrawals.initialise();
  const suppressions = new Suppressions({ models, now, withdrawals });
  const optOuts = new OptOuts({ models, emailHashKey: config.emailHashKey, now });
  const states = new SubscriptionStates({ models, ledger, now });
  const unsubscribes = new UnsubscribeService({ models, states, ledger, optOuts, withdrawals, now });
  const reconciliation = new LedgerReconciliation({ models, ledger, states, optOuts, logger: logger.child({ component: 'reconciliation' }), now });
  const listHeaders = new ListHeaderBuilder({ signer, settings: config });
  const emails = new EmailTemplates();
  const pages = new PageRenderer();
  const restrictions = new Restrictions({ models, ledger, withdrawals, now });
  const requesterMail = new RequesterMail({ mailer, emails, listHeaders, mailboxAddress: config.mailboxAddress });
  const requests = new DataSubjectRequestService({
    models,
    now,
    emailHashKey: config.emailHashKey,
    logger: logger.child({ component: 'requests' }),
    verification: new RequestVerification({ signer, requesterMail, settings: config, now }),
    requesterMail,
    accessExport: new AccessExport({
      models,
      requesterMail,
      now,
      settings: { retention: config.retention, publicBaseUrl: config.publicBaseUrl, mailboxAddress: config.mailboxAddress },
    }),
    erasure: new Erasure({ models, ledger, suppressions, personalQueues: [queues.transactional, queues.signup], optOuts, logger: logger.child({ component: 'erasure' }) }),
    restrictions,
    rectification: new Rectification({ models, ledger }),
    unsubscribes,
  });
  const retention = new Retention({ models, ledger, audit, now, periods: config.retention, logger: logger.child({ component: 'retention' }) });
  const policies = new PolicyVersions({ models, now });
  const imports = new ImportRuns({ models, ledger, optOuts, policies, audit, redis, queue: queues.import, config, clock });
  const signup = new SignupService({
    models,
    ledger,
    states,
    optOuts,
    withdrawals,
    suppressions,
    policies,
    cooldown: new SignupCooldown({ models, now, settings: { cooldownMs: config.signupCooldownMs, dailyLimit: config.signupDailyLimit } }),
    signer,
    mailJobs: queues.transactional,
    emailHashKey: config.emailHashKey,
    now,
  });
  const reConsent = new ReConsent({
    models,
    states,
    policies,
    suppressions,
    withdrawals,
    signer,
    listHeaders,
    emails,
    mailer,
    jobs: queues.reconsent,
    settings: config,
    now,
  });
  const signupMails = new SignupMails({ models, suppressions, signer, listHeaders, emails, mailer, settings: config });
  const campaigns = new CampaignService({ models, queues, mailer, listHeaders, now, settings: config });
  const lists = new ListService({ models });
  const staff = createStaffServices({ config, models, redis, mailer, signer, audit, now });

  return {
    config,
    logger,
    clock,
    conn,
    models,
    redis,
    queues,
    signupIntake: new SignupIntake({ queue: queues.signup, hashKey: config.emailHashKey, now }),
    mailer,
    signer,
    audit,
    ledger,
    ledgerVerifier,
    ledgerAnchors,
    ledgerMigration,
    suppressions,
    requests,
    restrictions,
    retention,
    imports,
    unsubscribes,
    withdrawals,
    optOuts,
    states,
    reconciliation,
    policies,
    reConsent,
    signup,
    signupMails,
    campaigns,
    lists,
    listHeaders,
    emails,
    pages,
    staff,
    async close() {
      await closeQueues(queues);
      mailer.close();
      redis.disconnect();
      await conn.close();
    },
  };
}
