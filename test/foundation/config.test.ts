import { expect } from 'chai';
import { ConfigError, loadConfig, parseDuration, parseLinkSigningKeys } from '../../src/config';

const key = (fill: string) => Buffer.alloc(32, fill).toString('base64');
const productionEnv = {
  NODE_ENV: 'production',
  MONGODB_URI: 'mongodb://db.internal:27017/ejaunumi',
  REDIS_URL: 'redis://redis.internal:6379',
  SMTP_URL: 'smtp://smtp.internal:587',
  PUBLIC_BASE_URL: 'https://e-jaunumi.impro.lv',
  ADMIN_JWT_SECRET: 'x'.repeat(40),
  EMAIL_HASH_KEY: 'y'.repeat(40),
  LEDGER_KEY: 'z'.repeat(40),
  LINK_SIGNING_KEYS: `k2:${key('a')},k1:${key('b')}`,
};

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (err) {
    expect(err).to.be.instanceOf(ConfigError);
    return (err as ConfigError).problems;
  }
  throw new Error('expected a ConfigError');
}

describe('config', () => {
  it('starts on embedded defaults in development', () => {
    const config = loadConfig({});
    expect(config.env).to.equal('development');
    expect(config.port).to.equal(3000);
    expect(config.publicBaseUrl).to.equal('http://localhost:3000');
    expect(config.mongodbUri).to.equal(undefined);
    expect(config.mailSinkDir).to.match(/var\/mail$/);
    expect(config.confirmTokenTtlMs).to.equal(7 * 86_400_000);
    expect(Object.isFrozen(config)).to.equal(true);
  });

  it('chooses the log format automatically unless told, and refuses an unknown one', () => {
    expect(loadConfig({}).logFormat).to.equal('auto');
    expect(loadConfig({ LOG_FORMAT: 'json' }).logFormat).to.equal('json');
    expect(problemsOf({ LOG_FORMAT: 'yaml' }).join('\n')).to.match(/LOG_FORMAT/);
  });

  it('accepts a complete production configuration', () => {
    const config = loadConfig(productionEnv);
    expect(config.linkSigningKeys.map((k) => k.id)).to.deep.equal(['k2', 'k1']);
    expect(config.publicBaseUrl).to.equal('https://e-jaunumi.impro.lv');
  });

  it('refuses production without secrets or services, naming each variable', () => {
    const problems = problemsOf({ NODE_ENV: 'production' });
    for (const name of ['ADMIN_JWT_SECRET', 'EMAIL_HASH_KEY', 'LINK_SIGNING_KEYS', 'LEDGER_KEY', 'MONGODB_URI', 'REDIS_URL', 'SMTP_URL', 'PUBLIC_BASE_URL']) {
      expect(problems.some((p) => p.startsWith(name)), name).to.equal(true);
    }
  });

  const malformed: Array<[string, Record<string, string>, string]> = [
    ['a port that is not a number', { PORT: 'eighty' }, 'PORT'],
    ['a port out of range', { PORT: '70000' }, 'PORT'],
    ['a duration without a unit', { CONFIRM_TOKEN_TTL: '7' }, 'CONFIRM_TOKEN_TTL'],
    ['an unknown environment', { NODE_ENV: 'staging' }, 'NODE_ENV'],
    ['a MongoDB URI that is not a URL', { MONGODB_URI: 'not a url' }, 'MONGODB_URI'],
    ['a short JWT secret', { ADMIN_JWT_SECRET: 'short' }, 'ADMIN_JWT_SECRET'],
    ['a link key that is too short', { LINK_SIGNING_KEYS: 'k1:c2hvcnQ=' }, 'LINK_SIGNING_KEYS'],
    ['a link key without an id', { LINK_SIGNING_KEYS: key('a') }, 'LINK_SIGNING_KEYS'],
    ['half a DKIM setup', { DKIM_DOMAIN: 'impro.lv' }, 'DKIM_DOMAIN'],
    ['a DKIM key that is no RSA private key', { DKIM_DOMAIN: 'impro.lv', DKIM_SELECTOR: 's1', DKIM_PRIVATE_KEY: '-----BEGIN PRIVATE KEY-----\\nnope\\n-----END PRIVATE KEY-----' }, 'DKIM_PRIVATE_KEY'],
    ['an invalid mailbox address', { MAILBOX_ADDRESS: 'impro' }, 'MAILBOX_ADDRESS'],
  ];
  for (const [what, env, variable] of malformed) {
    it(`names ${variable} for ${what}`, () => {
      expect(problemsOf(env).join('\n')).to.contain(variable);
    });
  }

  it('parses durations and keyrings', () => {
    expect(parseDuration('10m')).to.equal(600_000);
    expect(parseDuration('500ms')).to.equal(500);
    expect(() => parseLinkSigningKeys(`a:${key('a')},a:${key('b')}`)).to.throw(/unique/);
  });
});
