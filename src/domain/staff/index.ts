// The staff services wired together; the composition root calls this once.
import type { Redis } from 'ioredis';
import type { Config } from '../../config';
import type { Models } from '../../data/models';
import type { Mailer } from '../../mail/mailer';
import type { AuditLog } from '../audit';
import type { LinkTokenSigner } from '../link-token';
import { StaffAccounts } from './accounts';
import { PasswordLinks } from './password-links';
import { PasswordHasher } from './passwords';
import { StaffSessions } from './sessions';
import { StaffSignIn } from './sign-in';
import { LoginThrottle } from './throttling';
import { TotpVerifier } from './totp';
import { totpSealingKey } from './totp-secrets';

export interface StaffServices {
  accounts: StaffAccounts;
  signIn: StaffSignIn;
  sessions: StaffSessions;
}

export function createStaffServices(deps: {
  config: Config;
  models: Models;
  redis: Redis;
  mailer: Mailer;
  signer: LinkTokenSigner;
  audit: AuditLog;
  now: () => Date;
}): StaffServices {
  const { config, models, redis, mailer, signer, audit, now } = deps;
  const prefix = config.queuePrefix;
  const hasher = new PasswordHasher(config.staff.scryptCost);
  const sessions = new StaffSessions({ redis, prefix, now, settings: config.staff });
  const links = new PasswordLinks({ models, signer, now, settings: { publicBaseUrl: config.publicBaseUrl, passwordLinkTtlMs: config.staff.passwordLinkTtlMs } });
  const accounts = new StaffAccounts({ models, hasher, links, sessions, mailer, audit, now });
  const throttle = new LoginThrottle({ redis, prefix, now, settings: config.staff });
  const totp = new TotpVerifier({ redis, prefix, now });
  const signIn = new StaffSignIn({ models, hasher, throttle, sessions, totp, audit, now, totpKey: totpSealingKey(config.emailHashKey) });
  return { accounts, signIn, sessions };
}
