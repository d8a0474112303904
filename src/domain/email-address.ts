// Email addresses as the subscriber ledger keys them: normalised once, hashed with a secret key so
// that a tombstone can recognise an erased person without storing who they were.
import { createHmac } from 'node:crypto';
import { domainToASCII } from 'node:url';
import { AppError, ErrorCodes } from '../errors';

export class InvalidEmailError extends AppError {
  constructor(reason: string) {
    super(ErrorCodes.INVALID_EMAIL, reason);
  }
}

// RFC 5321 4.5.3.1: local part 64 octets, domain 255, whole path 254 usable characters.
const MAX_LOCAL = 64;
const MAX_DOMAIN = 253;
const MAX_ADDRESS = 254;
// Dot-atom local part of RFC 5322 (quoted local parts are legal but never seen in real sign-ups).
const LOCAL_PART = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*$/;
const LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;

/**
 * Trims, lower-cases and punycodes the domain, keeps the local part's case (RFC 5321 says it may
 * matter; in practice mailboxes are compared case-insensitively, see emailKey). Throws
 * InvalidEmailError with the reason when the input cannot be a deliverable address.
 */
export function normalizeEmail(input: unknown): string {
  if (typeof input !== 'string') throw new InvalidEmailError('email must be a string');
  const trimmed = input.trim();
  if (trimmed.length === 0) throw new InvalidEmailError('email is empty');
  if (/[\s\u0000-\u001f\u007f]/.test(trimmed)) throw new InvalidEmailError('email contains spaces or control characters');
  const parts = trimmed.split('@');
  if (parts.length !== 2) throw new InvalidEmailError('email must contain exactly one @');
  const [local, rawDomain] = parts as [string, string];
  if (!local) throw new InvalidEmailError('email has nothing before the @');
  if (local.length > MAX_LOCAL) throw new InvalidEmailError('the part before the @ is too long');
  if (!LOCAL_PART.test(local)) throw new InvalidEmailError('the part before the @ has characters an address cannot have');
  const domain = domainToASCII(rawDomain.toLowerCase().replace(/\.$/, ''));
  if (!domain) throw new InvalidEmailError('the domain is not valid');
  if (domain.length > MAX_DOMAIN) throw new InvalidEmailError('the domain is too long');
  const labels = domain.split('.');
  if (labels.length < 2) throw new InvalidEmailError('the domain must contain a dot');
  if (!labels.every((l) => LABEL.test(l))) throw new InvalidEmailError('the domain is not valid');
  if (/^\d+$/.test(labels[labels.length - 1]!)) throw new InvalidEmailError('the domain is not valid');
  const address = `${local}@${domain}`;
  if (address.length > MAX_ADDRESS) throw new InvalidEmailError('email is too long');
  return address;
}

/** The comparison key: the whole normalised address lower-cased. */
export function emailKey(normalized: string): string {
  return normalized.toLowerCase();
}

/** Keyed hash (HMAC-SHA256, hex) of the comparison key; the only trace an erasure leaves. */
export function hashEmail(normalized: string, key: string): string {
  return createHmac('sha256', key).update(emailKey(normalized)).digest('hex');
}

export function isValidEmail(input: unknown): boolean {
  try {
    normalizeEmail(input);
    return true;
  } catch {
    return false;
  }
}

/** An address from untrusted text with its lookup key and keyed hash, or undefined when malformed. */
export function addressedTo(address: string | undefined, hashKey: string): { email: string; key: string; hash: string } | undefined {
  if (!address) return undefined;
  try {
    const email = normalizeEmail(address);
    return { email, key: emailKey(email), hash: hashEmail(email, hashKey) };
  } catch {
    return undefined;
  }
}
