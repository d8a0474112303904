// The only reader of process.env. Validates every variable once, fails fast with the variable's
// name, and hands out one frozen, typed object.
import { createPrivateKey } from 'node:crypto';
import path from 'node:path';
import { z } from 'zod';

const DEV_ONLY = 'dev-only-not-secret';

const duration = (fallback: string) =>
  z
    .string()
    .regex(/^\d+(ms|s|m|h|d)$/, 'expected a duration such as 500ms, 30s, 10m, 8h or 7d')
    .default(fallback)
    .transform(parseDuration);

const optionalUrl = z
  .string()
  .optional()
  .transform((v) => (v === '' ? undefined : v))
  .pipe(z.string().url().optional());

const schema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  VAR_DIR: z.string().default('./var'),
  PUBLIC_BASE_URL: optionalUrl,
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  LOG_FORMAT: z.enum(['auto', 'json', 'pretty']).default('auto'),
  TRUST_PROXY: z.string().default('loopback'),

  MONGODB_URI: optionalUrl,
  REDIS_URL: optionalUrl,
  QUEUE_PREFIX: z.string().regex(/^[\w:-]+$/).default('ej'),

  SMTP_URL: optionalUrl,
  MAIL_SINK_DIR: z.string().optional(),
  SMTP_POOL_SIZE: z.coerce.number().int().min(1).max(50).default(5),
  SEND_RATE_PER_SEC: z.coerce.number().min(0).default(0),
  JOB_LOCK_DURATION: duration('30s'),
  MAIL_FROM: z.string().default('IMPRO CEĻOJUMI <e-jaunumi@impro.lv>'),
  MAIL_DOMAIN: z.string().default('impro.lv'),
  MAILBOX_ADDRESS: z.string().email().default('impro@impro.lv'),
  UNSUBSCRIBE_MAILTO_LOCAL: z.string().default('unsubscribe'),
  BOUNCE_ADDRESS_LOCAL: z.string().regex(/^[a-z0-9-]{1,20}$/, 'lower-case letters, digits and dashes, at most 20').default('bounces'),
  DKIM_DOMAIN: z.string().optional(),
  DKIM_SELECTOR: z.string().optional(),
  DKIM_PRIVATE_KEY: z.string().optional(),

  ADMIN_JWT_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  ADMIN_JWT_ISSUER: z.string().default('e-jaunumi'),
  ADMIN_JWT_AUDIENCE: z.string().default('e-jaunumi-admin'),
  ADMIN_JWT_MAX_TTL: duration('12h'),
  LINK_SIGNING_KEYS: z.string().optional(),
  EMAIL_HASH_KEY: z.string().min(32, 'must be at least 32 characters').optional(),
  LEDGER_KEY: z.string().min(32, 'must be at least 32 characters').optional(),
  LEDGER_ANCHOR_TO: z
    .string()
    .optional()
    .transform((v) => (v === '' ? undefined : v))
    .pipe(z.string().email().optional()),

  CONFIRM_TOKEN_TTL: duration('7d'),
  VERIFY_TOKEN_TTL: duration('7d'),
  SIGNUP_COOLDOWN: duration('10m'),
  SIGNUP_DAILY_LIMIT: z.coerce.number().int().min(1).default(5),
  SIGNUP_IP_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).default(20),

  STAFF_SESSION_IDLE: duration('30m'),
  STAFF_SESSION_MAX: duration('12h'),
  STAFF_LOGIN_FREE_FAILURES: z.coerce.number().int().min(0).default(3),
  STAFF_LOCKOUT_THRESHOLD: z.coerce.number().int().min(2).default(10),
  STAFF_LOCKOUT_DURATION: duration('15m'),
  STAFF_LOGIN_IP_FAILURES: z.coerce.number().int().min(2).default(50),
  STAFF_PASSWORD_LINK_TTL: duration('24h'),
  STAFF_SCRYPT_COST: z.coerce.number().int().min(14).max(20).default(17),

  MAILBOX_URL: z
    .string()
    .optional()
    .transform((v) => (v === '' ? undefined : v))
    .pipe(z.string().regex(/^(?:maildir:.+|imaps?:\/\/.+)$/, 'expected maildir:PATH, imap://… or imaps://…').optional()),
  IMAP_URL: optionalUrl,
  IMAP_POLL_INTERVAL: duration('1m'),
  SOFT_BOUNCE_LIMIT: z.coerce.number().int().min(1).default(3),
  SOFT_BOUNCE_WINDOW: duration('30d'),
  SOFT_BOUNCE_SUPPRESSION: duration('30d'),
  BOUNCE_IMAP_URL: optionalUrl,
  MAILBOX_PROCESSED_FOLDER: z.string().min(1).max(100).default('Processed'),
  COMPLAINT_SENDERS: z.string().default(''),
  AUTHSERV_ID: z.string().default(''),
  COMPLAINT_PAUSE_RATE: z.coerce.number().min(0).max(1).default(0.002),
  COMPLAINT_PAUSE_MIN_DELIVERED: z.coerce.number().int().min(1).default(1000),

  RETENTION_UNCONFIRMED: duration('30d'),
  RETENTION_INBOUND_RAW: duration('90d'),
  RETENTION_DELIVERY_DETAILS: duration('730d'),
  RETENTION_REQUESTS_AUDIT: duration('1095d'),
  RETENTION_UNSUBSCRIBED: duration('365d'),
  RETENTION_INBOUND_META: duration('730d'),
  RETENTION_IMPORT_DETAILS: duration('90d'),
});

export type Config = Readonly<{
  env: 'development' | 'test' | 'production';
  /** NODE_ENV was set, not defaulted: only then may a process serve on the development secrets. */
  envExplicit: boolean;
  /** Secrets running on their public development value (unset, or set to that value). */
  developmentSecrets: readonly string[];
  port: number;
  varDir: string;
  publicBaseUrl: string;
  logLevel: string;
  /** auto: readable lines in a terminal, JSON when piped. */
  logFormat: 'auto' | 'json' | 'pretty';
  trustProxy: string;
  mongodbUri?: string;
  redisUrl?: string;
  queuePrefix: string;
  smtpUrl?: string;
  mailSinkDir: string;
  smtpPoolSize: number;
  sendRatePerSec: number;
  jobLockDurationMs: number;
  mailFrom: string;
  mailDomain: string;
  mailboxAddress: string;
  unsubscribeMailtoLocal: string;
  bounceAddressLocal: string;
  dkim?: { domainName: string; keySelector: string; privateKey: string };
  adminJwt: { secret: string; issuer: string; audience: string; maxTtlMs: number };
  linkSigningKeys: ReadonlyArray<{ id: string; secret: Buffer }>;
  emailHashKey: string;
  /** HMAC key of the consent chain's erasable-field digests (docs/ledger.md). */
  ledgerKey: string;
  /** Where the daily ledger anchor is mailed; unset: stored and audited, not mailed. */
  ledgerAnchorTo?: string;
  confirmTokenTtlMs: number;
  verifyTokenTtlMs: number;
  signupCooldownMs: number;
  signupDailyLimit: number;
  signupIpLimitPerMinute: number;
  staff: {
    sessionIdleMs: number;
    sessionMaxMs: number;
    /** Failures an account may make before backoff starts. */
    freeFailures: number;
    lockoutThreshold: number;
    lockoutMs: number;
    /** Failures one IP may make (over every account) before it is locked out for lockoutMs; backoff from half of them. */
    ipFailures: number;
    passwordLinkTtlMs: number;
    /** log2 of scrypt's N for new password hashes; stored with each hash, so it can change. */
    scryptCost: number;
  };
  /** The polled mailbox: `maildir:/absolute/path`, or an imap(s):// URL. Unset: nothing polls. */
  mailboxUrl?: string;
  /** The mailbox URL when it is IMAP (the older name, still read by IMAP-only code). */
  imapUrl?: string;
  imapPollIntervalMs: number;
  softBounceLimit: number;
  softBounceWindowMs: number;
  softBounceSuppressionMs: number;
  /** A separate mailbox for the VERP bounce address; unset when it is delivered to IMAP_URL's. */
  bounceImapUrl?: string;
  processedFolder: string;
  /** Feedback-loop senders: full addresses or `@domain`, lower-cased. */
  complaintSenders: string[];
  /** The authserv-id of our own MX's Authentication-Results; empty trusts none. */
  authservId: string;
  complaintPauseRate: number;
  complaintPauseMinDelivered: number;
  retention: {
    unconfirmedMs: number;
    inboundRawMs: number;
    deliveryDetailsMs: number;
    requestsAuditMs: number;
    unsubscribedMs: number;
    inboundMetaMs: number;
    /** Import reports keep the skipped rows' addresses this long. */
    importDetailsMs: number;
  };
}>;

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n  ${problems.join('\n  ')}`);
    this.name = 'ConfigError';
  }
}

export function parseDuration(text: string): number {
  const match = /^(\d+)(ms|s|m|h|d)$/.exec(text);
  if (!match) throw new Error(`not a duration: ${text}`);
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }[match[2] as 'ms'];
  return Number(match[1]) * unit;
}

/** `k2:base64secret,k1:base64secret` — the first key signs new links, all keys verify. */
export function parseLinkSigningKeys(text: string): Array<{ id: string; secret: Buffer }> {
  const keys = text.split(',').map((entry) => {
    const [id, secret] = entry.trim().split(':');
    if (!id || !secret || !/^[A-Za-z0-9]{1,8}$/.test(id)) {
      throw new Error('each key is ID:SECRET with an alphanumeric id of at most 8 characters');
    }
    const bytes = Buffer.from(secret, 'base64');
    if (bytes.length < 32) throw new Error(`key ${id} must decode to at least 32 bytes of base64`);
    return { id, secret: bytes };
  });
  if (new Set(keys.map((k) => k.id)).size !== keys.length) throw new Error('key ids must be unique');
  return keys;
}

function isDevelopmentSecret(value: string): boolean {
  if (value.includes(DEV_ONLY)) return true;
  // LINK_SIGNING_KEYS carries its secrets in base64.
  return value.split(',').some((entry) => Buffer.from(entry.split(':')[1] ?? '', 'base64').toString('latin1').includes(DEV_ONLY));
}

/**
 * `npm start` and `npm run workers`: a service never runs on the public development secrets by
 * accident. They are allowed only when NODE_ENV says development or test explicitly (`npm run dev`
 * and the test suite set it); production already refuses them in loadConfig.
 */
export function refuseDevelopmentSecrets(config: Config): void {
  if (config.developmentSecrets.length === 0 || config.envExplicit) return;
  throw new ConfigError(
    config.developmentSecrets.map(
      (name) => `${name}: would run on its public development value; set a secret of your own, or NODE_ENV=development for development`,
    ),
  );
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`));
  }
  const v = parsed.data;
  const problems: string[] = [];
  const production = v.NODE_ENV === 'production';

  // Secrets have fixed, clearly named values only in development and tests; production must set them.
  const developmentSecrets: string[] = [];
  const secret = (name: 'ADMIN_JWT_SECRET' | 'EMAIL_HASH_KEY' | 'LINK_SIGNING_KEYS' | 'LEDGER_KEY', devValue: string) => {
    const value = v[name];
    // A value copied from a development setup is as public as the default.
    if (value && !isDevelopmentSecret(value)) return value;
    developmentSecrets.push(name);
    if (production) problems.push(value ? `${name}: a public development value; set a secret of your own` : `${name}: required in production`);
    return value || devValue;
  };
  const adminSecret = secret('ADMIN_JWT_SECRET', `${DEV_ONLY}-admin-jwt-secret-0000`);
  const hashKey = secret('EMAIL_HASH_KEY', `${DEV_ONLY}-email-hash-key-00000000`);
  const ledgerKey = secret('LEDGER_KEY', `${DEV_ONLY}-ledger-key-000000000000`);
  const linkKeysText = secret('LINK_SIGNING_KEYS', `dev:${Buffer.from(`${DEV_ONLY}-link-signing-key-000`).toString('base64')}`);
  let linkSigningKeys: Array<{ id: string; secret: Buffer }> = [];
  try {
    linkSigningKeys = parseLinkSigningKeys(linkKeysText);
  } catch (err) {
    problems.push(`LINK_SIGNING_KEYS: ${(err as Error).message}`);
  }

  if (production && !v.MONGODB_URI) problems.push('MONGODB_URI: required in production');
  if (production && !v.REDIS_URL) problems.push('REDIS_URL: required in production');
  if (production && !v.SMTP_URL) problems.push('SMTP_URL: required in production');
  if (production && !v.PUBLIC_BASE_URL) problems.push('PUBLIC_BASE_URL: required in production');

  const dkimParts = [v.DKIM_DOMAIN, v.DKIM_SELECTOR, v.DKIM_PRIVATE_KEY];
  if (dkimParts.some(Boolean) && !dkimParts.every(Boolean)) {
    problems.push('DKIM_DOMAIN, DKIM_SELECTOR, DKIM_PRIVATE_KEY: set all three or none');
  }
  // Campaign mails are signed by our own rsa-sha256 signer: a key it cannot use must stop the start, not every send.
  if (v.DKIM_PRIVATE_KEY && !isRsaPrivateKey(v.DKIM_PRIVATE_KEY.replace(/\\n/g, '\n'))) {
    problems.push('DKIM_PRIVATE_KEY: not an RSA private key in PEM');
  }
  const varDir = path.resolve(v.VAR_DIR);
  const mailboxUrl = resolveMailboxUrl(v, varDir, problems);
  if (v.BOUNCE_IMAP_URL && !mailboxUrl) problems.push('BOUNCE_IMAP_URL: needs MAILBOX_URL or IMAP_URL (the poller runs only when a mailbox is set)');
  if (problems.length) throw new ConfigError(problems);

  return Object.freeze({
    env: v.NODE_ENV,
    envExplicit: Boolean(env.NODE_ENV),
    developmentSecrets: Object.freeze(developmentSecrets),
    port: v.PORT,
    varDir,
    publicBaseUrl: (v.PUBLIC_BASE_URL ?? `http://localhost:${v.PORT}`).replace(/\/+$/, ''),
    logLevel: v.LOG_LEVEL,
    logFormat: v.LOG_FORMAT,
    trustProxy: v.TRUST_PROXY,
    mongodbUri: v.MONGODB_URI,
    redisUrl: v.REDIS_URL,
    queuePrefix: v.QUEUE_PREFIX,
    smtpUrl: v.SMTP_URL,
    mailSinkDir: path.resolve(v.MAIL_SINK_DIR ?? path.join(varDir, 'mail')),
    smtpPoolSize: v.SMTP_POOL_SIZE,
    sendRatePerSec: v.SEND_RATE_PER_SEC,
    jobLockDurationMs: v.JOB_LOCK_DURATION,
    mailFrom: v.MAIL_FROM,
    mailDomain: v.MAIL_DOMAIN,
    mailboxAddress: v.MAILBOX_ADDRESS,
    unsubscribeMailtoLocal: v.UNSUBSCRIBE_MAILTO_LOCAL,
    bounceAddressLocal: v.BOUNCE_ADDRESS_LOCAL,
    dkim: v.DKIM_DOMAIN
      ? {
          domainName: v.DKIM_DOMAIN,
          keySelector: v.DKIM_SELECTOR!,
          privateKey: v.DKIM_PRIVATE_KEY!.replace(/\\n/g, '\n'),
        }
      : undefined,
    adminJwt: { secret: adminSecret, issuer: v.ADMIN_JWT_ISSUER, audience: v.ADMIN_JWT_AUDIENCE, maxTtlMs: v.ADMIN_JWT_MAX_TTL },
    linkSigningKeys,
    emailHashKey: hashKey,
    ledgerKey,
    ledgerAnchorTo: v.LEDGER_ANCHOR_TO,
    confirmTokenTtlMs: v.CONFIRM_TOKEN_TTL,
    verifyTokenTtlMs: v.VERIFY_TOKEN_TTL,
    signupCooldownMs: v.SIGNUP_COOLDOWN,
    signupDailyLimit: v.SIGNUP_DAILY_LIMIT,
    signupIpLimitPerMinute: v.SIGNUP_IP_LIMIT_PER_MINUTE,
    staff: {
      sessionIdleMs: v.STAFF_SESSION_IDLE,
      sessionMaxMs: v.STAFF_SESSION_MAX,
      freeFailures: v.STAFF_LOGIN_FREE_FAILURES,
      lockoutThreshold: v.STAFF_LOCKOUT_THRESHOLD,
      lockoutMs: v.STAFF_LOCKOUT_DURATION,
      ipFailures: v.STAFF_LOGIN_IP_FAILURES,
      passwordLinkTtlMs: v.STAFF_PASSWORD_LINK_TTL,
      scryptCost: v.STAFF_SCRYPT_COST,
    },
    mailboxUrl,
    imapUrl: mailboxUrl?.startsWith('imap') ? mailboxUrl : undefined,
    imapPollIntervalMs: v.IMAP_POLL_INTERVAL,
    softBounceLimit: v.SOFT_BOUNCE_LIMIT,
    softBounceWindowMs: v.SOFT_BOUNCE_WINDOW,
    softBounceSuppressionMs: v.SOFT_BOUNCE_SUPPRESSION,
    bounceImapUrl: v.BOUNCE_IMAP_URL,
    processedFolder: v.MAILBOX_PROCESSED_FOLDER,
    complaintSenders: v.COMPLAINT_SENDERS.split(',').map((s) => s.trim().toLowerCase()).filter(Boolean),
    authservId: v.AUTHSERV_ID.trim().toLowerCase(),
    complaintPauseRate: v.COMPLAINT_PAUSE_RATE,
    complaintPauseMinDelivered: v.COMPLAINT_PAUSE_MIN_DELIVERED,
    retention: {
      unconfirmedMs: v.RETENTION_UNCONFIRMED,
      inboundRawMs: v.RETENTION_INBOUND_RAW,
      deliveryDetailsMs: v.RETENTION_DELIVERY_DETAILS,
      requestsAuditMs: v.RETENTION_REQUESTS_AUDIT,
      unsubscribedMs: v.RETENTION_UNSUBSCRIBED,
      inboundMetaMs: v.RETENTION_INBOUND_META,
      importDetailsMs: v.RETENTION_IMPORT_DETAILS,
    },
  });
}

/**
 * MAILBOX_URL names the mailbox in any scheme; IMAP_URL, its older name, still works alone. Both set
 * to different mailboxes is an error rather than a silent choice. Development without either polls
 * the Maildir under VAR_DIR, which the embedded SMTP sink delivers into; elsewhere nothing polls.
 */
function resolveMailboxUrl(
  v: { NODE_ENV: string; MAILBOX_URL?: string; IMAP_URL?: string },
  varDir: string,
  problems: string[],
): string | undefined {
  if (v.MAILBOX_URL && v.IMAP_URL && v.MAILBOX_URL !== v.IMAP_URL) {
    problems.push('MAILBOX_URL, IMAP_URL: name one mailbox (IMAP_URL is the older name of an imap(s):// MAILBOX_URL)');
    return undefined;
  }
  const url = v.MAILBOX_URL ?? v.IMAP_URL ?? (v.NODE_ENV === 'development' ? `maildir:${path.join(varDir, 'inbox')}` : undefined);
  if (!url) return undefined;
  if (!url.startsWith('maildir:')) {
    if (!URL.canParse(url)) problems.push('MAILBOX_URL: not a valid imap(s):// URL');
    return url;
  }
  // maildir:relative/path resolves against the working directory, as VAR_DIR does; maildir:///abs too.
  return `maildir:${path.resolve(url.slice('maildir:'.length).replace(/^\/\/(?=\/)/, ''))}`;
}

function isRsaPrivateKey(pem: string): boolean {
  try {
    return createPrivateKey(pem).asymmetricKeyType === 'rsa';
  } catch {
    return false;
  }
}
