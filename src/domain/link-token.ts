// Signed link tokens for confirm, unsubscribe and verify URLs.
//
// Why not a JWT: a JWT with its JSON header and payload runs past 200 characters and shows its
// claims to anyone who base64-decodes it. This compact format packs ids as bytes and signs them
// with HMAC-SHA256 truncated to 128 bits: `KID.PAYLOAD.MAC`, about 90 characters, opaque, and the key
// id lets old links verify after a new key starts signing (keys rotate, mails stay in inboxes).
import { createHmac, timingSafeEqual } from 'node:crypto';
import { AppError, ErrorCodes } from '../errors';

export type LinkPurpose = 'unsubscribe' | 'confirm' | 'verify' | 'staff-password' | 're-consent';

/**
 * What a VERP return path (`bounces+TOKEN@…`) names: the subscriber a mail went to and the campaign
 * it belonged to; no campaign means a transactional mail (confirmation, acknowledgement, request).
 */
export interface BounceClaims {
  subscriber: string;
  campaign?: string;
}

export interface LinkClaims {
  purpose: LinkPurpose;
  /** Subscriber id (24 hex) — or, for `verify`, the data-subject request id; for `staff-password`, the staff id. */
  subject: string;
  /** The list the link is about; absent means every list. */
  list?: string;
  /** Campaign id (24 hex) the link was sent in (for `re-consent`, the re-consent campaign). */
  campaign?: string;
  /** Binds the token to one pending action (a sign-up request nonce); a newer one voids it. */
  ref?: string;
  /** Expiry, unix seconds; absent for unsubscribe links, which must work for years. */
  exp?: number;
  /**
   * The subscription (24 hex) a newsletter's unsubscribe link ends: one-click then finds it by _id
   * instead of searching the person's subscriptions. Links without it (older ones) still work.
   */
  subscription?: string;
}

export interface SigningKey {
  id: string;
  secret: Buffer;
}

const VERSION = 1;
// New purposes go at the end: a token stores its purpose's index.
const PURPOSES: LinkPurpose[] = ['unsubscribe', 'confirm', 'verify', 'staff-password', 're-consent'];
const MAC_BYTES = 16;
const FLAG_LIST = 1;
const FLAG_CAMPAIGN = 2;
const FLAG_REF = 4;
const FLAG_EXP = 8;
const FLAG_SUBSCRIPTION = 16;
const HEX24 = /^[0-9a-f]{24}$/;

export class InvalidTokenError extends AppError {
  constructor(reason: string) {
    super(ErrorCodes.INVALID_TOKEN, reason);
  }
}

export class ExpiredTokenError extends AppError {
  constructor() {
    super(ErrorCodes.EXPIRED_TOKEN, 'the link has expired');
  }
}

/** A one-time link already used, or voided by a newer one (a later sign-up request). */
export class UsedTokenError extends AppError {
  constructor() {
    super(ErrorCodes.USED_TOKEN, 'the link was already used or replaced by a newer one');
  }
}

export class LinkTokenSigner {
  private readonly keys: Map<string, Buffer>;
  private readonly signingKey: SigningKey;
  private readonly bounces: BounceTokens;

  constructor(keys: ReadonlyArray<SigningKey>, private readonly now: () => number = Date.now) {
    if (keys.length === 0) throw new Error('at least one link signing key is needed');
    this.signingKey = keys[0]!;
    this.keys = new Map(keys.map((k) => [k.id, k.secret]));
    this.bounces = new BounceTokens(keys);
  }

  /** The token of a VERP return path, same keyring as the links. */
  signBounce(claims: BounceClaims): string {
    return this.bounces.sign(claims);
  }

  verifyBounce(token: string): BounceClaims | undefined {
    return this.bounces.verify(token);
  }

  sign(claims: LinkClaims): string {
    const payload = encode(claims).toString('base64url');
    const head = `${this.signingKey.id}.${payload}`;
    return `${head}.${mac(this.signingKey.secret, head)}`;
  }

  /** Verifies signature, purpose and expiry; throws InvalidTokenError / ExpiredTokenError. */
  verify(token: unknown, purpose: LinkPurpose): LinkClaims {
    if (typeof token !== 'string' || token.length > 400) throw new InvalidTokenError('malformed link');
    const parts = token.split('.');
    if (parts.length !== 3) throw new InvalidTokenError('malformed link');
    const [kid, payload, signature] = parts as [string, string, string];
    const secret = this.keys.get(kid);
    if (!secret) throw new InvalidTokenError('unknown signing key');
    // The encoded text is compared, not the decoded bytes: base64url decoding ignores the spare bits
    // of the last character, so several spellings would otherwise pass for one signature.
    const expected = Buffer.from(mac(secret, `${kid}.${payload}`));
    const given = Buffer.from(signature);
    // Constant-time comparison; length is public (always the same for genuine tokens).
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      throw new InvalidTokenError('bad signature');
    }
    const claims = decode(Buffer.from(payload, 'base64url'));
    if (claims.purpose !== purpose) throw new InvalidTokenError('link used for the wrong purpose');
    if (claims.exp !== undefined && claims.exp * 1000 < this.now()) throw new ExpiredTokenError();
    return claims;
  }
}

// Bounce tokens live in an address's local part: at most 64 octets in all (RFC 5321), and some
// MTAs lower-case it. So no key id (the few keys of the ring are tried in turn), lower-case base32,
// and a 64-bit MAC: forging one takes 2^64 mails, each of which we would see.
const BOUNCE_MAC_BYTES = 8;
const BASE32 = 'abcdefghijklmnopqrstuvwxyz234567';

export class BounceTokens {
  constructor(private readonly keys: ReadonlyArray<SigningKey>) {
    if (keys.length === 0) throw new Error('at least one link signing key is needed');
  }

  sign(claims: BounceClaims): string {
    if (!HEX24.test(claims.subscriber)) throw new Error('subscriber must be a 24-hex id');
    if (claims.campaign !== undefined && !HEX24.test(claims.campaign)) throw new Error('campaign must be a 24-hex id');
    const ids = Buffer.from(claims.subscriber + (claims.campaign ?? ''), 'hex');
    return base32(Buffer.concat([ids, bounceMac(this.keys[0]!.secret, ids)]));
  }

  /** The claims, or undefined for anything we did not sign (never throws: the input is a stranger's). */
  verify(token: string): BounceClaims | undefined {
    if (token.length > 60) return undefined;
    const bytes = fromBase32(token.toLowerCase());
    if (!bytes || (bytes.length !== 12 + BOUNCE_MAC_BYTES && bytes.length !== 24 + BOUNCE_MAC_BYTES)) return undefined;
    const ids = bytes.subarray(0, bytes.length - BOUNCE_MAC_BYTES);
    const given = bytes.subarray(ids.length);
    if (!this.keys.some((k) => timingSafeEqual(bounceMac(k.secret, ids), given))) return undefined;
    const hex = ids.toString('hex');
    return ids.length === 24 ? { subscriber: hex.slice(0, 24), campaign: hex.slice(24) } : { subscriber: hex };
  }
}

function bounceMac(secret: Buffer, ids: Buffer): Buffer {
  // Domain-separated from link MACs: a link's MAC never verifies as a bounce token.
  return createHmac('sha256', secret).update('bounce\0').update(ids).digest().subarray(0, BOUNCE_MAC_BYTES);
}

function base32(bytes: Buffer): string {
  let out = '';
  let bits = 0;
  let value = 0;
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += BASE32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += BASE32[(value << (5 - bits)) & 31];
  return out;
}

function fromBase32(text: string): Buffer | undefined {
  const out: number[] = [];
  let bits = 0;
  let value = 0;
  for (const ch of text) {
    const digit = BASE32.indexOf(ch);
    if (digit < 0) return undefined;
    value = ((value << 5) | digit) & 0xfff;
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return Buffer.from(out);
}

function mac(secret: Buffer, data: string): string {
  return createHmac('sha256', secret).update(data).digest().subarray(0, MAC_BYTES).toString('base64url');
}

function encode(c: LinkClaims): Buffer {
  if (!HEX24.test(c.subject)) throw new Error('subject must be a 24-hex id');
  if (c.campaign !== undefined && !HEX24.test(c.campaign)) throw new Error('campaign must be a 24-hex id');
  if (c.subscription !== undefined && !HEX24.test(c.subscription)) throw new Error('subscription must be a 24-hex id');
  const list = c.list === undefined ? undefined : Buffer.from(c.list, 'utf8');
  if (list && list.length > 255) throw new Error('list name too long');
  const ref = c.ref === undefined ? undefined : Buffer.from(c.ref, 'utf8');
  if (ref && ref.length > 255) throw new Error('ref too long');
  const flags =
    (list ? FLAG_LIST : 0) | (c.campaign ? FLAG_CAMPAIGN : 0) | (ref ? FLAG_REF : 0) | (c.exp !== undefined ? FLAG_EXP : 0) | (c.subscription ? FLAG_SUBSCRIPTION : 0);
  const chunks: Buffer[] = [Buffer.from([VERSION, PURPOSES.indexOf(c.purpose), flags]), Buffer.from(c.subject, 'hex')];
  if (list) chunks.push(Buffer.from([list.length]), list);
  if (c.campaign) chunks.push(Buffer.from(c.campaign, 'hex'));
  if (ref) chunks.push(Buffer.from([ref.length]), ref);
  if (c.exp !== undefined) {
    const exp = Buffer.alloc(4);
    exp.writeUInt32BE(c.exp);
    chunks.push(exp);
  }
  if (c.subscription) chunks.push(Buffer.from(c.subscription, 'hex'));
  return Buffer.concat(chunks);
}

function decode(buf: Buffer): LinkClaims {
  let at = 0;
  const take = (n: number): Buffer => {
    if (at + n > buf.length) throw new InvalidTokenError('malformed link');
    const out = buf.subarray(at, at + n);
    at += n;
    return out;
  };
  const [version, purposeIndex, flags] = take(3);
  const purpose = PURPOSES[purposeIndex!];
  if (version !== VERSION || !purpose) throw new InvalidTokenError('malformed link');
  const claims: LinkClaims = { purpose, subject: take(12).toString('hex') };
  if (flags! & FLAG_LIST) claims.list = take(take(1)[0]!).toString('utf8');
  if (flags! & FLAG_CAMPAIGN) claims.campaign = take(12).toString('hex');
  if (flags! & FLAG_REF) claims.ref = take(take(1)[0]!).toString('utf8');
  if (flags! & FLAG_EXP) claims.exp = take(4).readUInt32BE();
  if (flags! & FLAG_SUBSCRIPTION) claims.subscription = take(12).toString('hex');
  if (at !== buf.length) throw new InvalidTokenError('malformed link');
  return claims;
}
