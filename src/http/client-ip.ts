// Who sent a request, as far as the consent proof records it. Express derives req.ip from
// X-Forwarded-For when the peer is a trusted proxy, without checking that the entry is an address
// (`<script>…` passes); only a real IPv4/IPv6 address is recorded as the IP. The header itself, as
// the trusted proxy passed it on, goes into its own bounded field.
import { isIP } from 'node:net';
import type { Request } from 'express';

const MAX_FORWARDED_FOR = 512;

export function clientIp(req: Request): string | undefined {
  const ip = req.ip;
  return ip && isIP(ip) ? ip : undefined;
}

/** X-Forwarded-For when a trusted proxy sent it: control characters out, at most 512 characters. */
export function forwardedFor(req: Request): string | undefined {
  const header = req.headers['x-forwarded-for'];
  if (header === undefined) return undefined;
  const trust = req.app.get('trust proxy fn') as ((addr: string, i: number) => boolean) | undefined;
  const peer = req.socket.remoteAddress;
  if (!trust || !peer || !trust(peer, 0)) return undefined;
  const text = [header].flat().join(', ').replace(/[\u0000-\u001f\u007f]/g, '');
  return text.length > MAX_FORWARDED_FOR ? text.slice(0, MAX_FORWARDED_FOR) : text;
}
