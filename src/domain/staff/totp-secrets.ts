// TOTP secrets are sealed at rest (AES-256-GCM): a copy of the database or a backup must not hand
// out anyone's second factor. The key is derived from EMAIL_HASH_KEY, which never rotates (the
// tombstones depend on it), with its own HKDF label, so it is independent of the address hashes.
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

const PREFIX = 'v1';

export function totpSealingKey(emailHashKey: string): Buffer {
  return Buffer.from(hkdfSync('sha256', emailHashKey, Buffer.alloc(0), 'e-jaunumi staff totp secret', 32));
}

export function sealTotpSecret(secret: string, key: Buffer): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const sealed = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()]);
  return [PREFIX, iv, cipher.getAuthTag(), sealed].map((p) => (typeof p === 'string' ? p : p.toString('base64url'))).join('.');
}

/** The secret, or undefined when the value was not sealed with this key (or was tampered with). */
export function openTotpSecret(value: string, key: Buffer): string | undefined {
  const [prefix, iv, tag, sealed] = value.split('.');
  if (prefix !== PREFIX || !iv || !tag || sealed === undefined) return undefined;
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(sealed, 'base64url')), decipher.final()]).toString('utf8');
  } catch {
    return undefined;
  }
}
