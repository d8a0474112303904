// A DKIM verifier for tests (RFC 6376, rsa-sha256, relaxed/relaxed), written apart from the signer
// in src/mail/dkim.ts so that the two cannot share a mistake: it reads a raw message as received.
import { createHash, createVerify, type KeyObject } from 'node:crypto';

export interface DkimVerdict {
  ok: boolean;
  reason?: string;
  signedFields: string[];
  domain?: string;
  selector?: string;
}

export function verifyDkim(raw: Buffer | string, publicKey: KeyObject): DkimVerdict {
  const text = Buffer.isBuffer(raw) ? raw.toString('latin1') : raw;
  const split = text.indexOf('\r\n\r\n');
  if (split < 0) return { ok: false, reason: 'no header/body separator', signedFields: [] };
  const headerBlock = text.slice(0, split + 2);
  const body = text.slice(split + 4);
  // Fields as received, each with its continuation lines.
  const fields: string[] = [];
  for (const line of headerBlock.split('\r\n').slice(0, -1)) {
    if (/^[ \t]/.test(line) && fields.length) fields[fields.length - 1] += '\r\n' + line;
    else fields.push(line);
  }
  const signatureField = fields.find((f) => /^dkim-signature\s*:/i.test(f));
  if (!signatureField) return { ok: false, reason: 'not signed', signedFields: [] };
  const tags = new Map<string, string>();
  for (const part of signatureField.slice(signatureField.indexOf(':') + 1).split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0) tags.set(part.slice(0, eq).trim(), part.slice(eq + 1).replace(/[ \t\r\n]+/g, ''));
  }
  const signedFields = (tags.get('h') ?? '').toLowerCase().split(':').filter(Boolean);
  const verdict = { signedFields, domain: tags.get('d'), selector: tags.get('s') };
  if (tags.get('a') !== 'rsa-sha256' || tags.get('c') !== 'relaxed/relaxed') return { ok: false, reason: 'unexpected a= or c=', ...verdict };

  // Body: lines as received, trailing empty lines dropped, whitespace reduced per line.
  const lines = body.split('\r\n');
  if (lines[lines.length - 1] === '') lines.pop();
  const canonicalLines = lines.map((l) => l.replace(/[ \t]+$/, '').replace(/[ \t]+/g, ' '));
  while (canonicalLines.length && canonicalLines[canonicalLines.length - 1] === '') canonicalLines.pop();
  const canonicalBody = canonicalLines.map((l) => l + '\r\n').join('');
  const bodyHash = createHash('sha256').update(canonicalBody, 'latin1').digest('base64');
  if (bodyHash !== tags.get('bh')) return { ok: false, reason: 'body hash mismatch', ...verdict };

  // Headers: for each name in h=, the next instance from the bottom up.
  const canon = (field: string) => {
    const colon = field.indexOf(':');
    const value = field.slice(colon + 1).split('\r\n').join('').replace(/[ \t]+/g, ' ').replace(/^ | $/g, '');
    return field.slice(0, colon).trim().toLowerCase() + ':' + value;
  };
  const used = new Set<number>();
  let data = '';
  for (const name of signedFields) {
    for (let i = fields.length - 1; i >= 0; i--) {
      if (used.has(i) || fields[i]!.slice(0, fields[i]!.indexOf(':')).trim().toLowerCase() !== name) continue;
      used.add(i);
      data += canon(fields[i]!) + '\r\n';
      break;
    }
  }
  data += canon(signatureField.replace(/(\bb=)[^;]*$/, '$1').replace(/(\bb=)[^;]*;/, '$1;'));
  const ok = createVerify('RSA-SHA256').update(data, 'latin1').verify(publicKey, tags.get('b') ?? '', 'base64');
  return ok ? { ok, ...verdict } : { ok, reason: 'signature does not verify', ...verdict };
}
