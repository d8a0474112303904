// Second factor: RFC 6238 TOTP (SHA-1, 6 digits, 30 s, the parameters every authenticator app
// reads from a QR code), one step of clock drift either way, and each code usable once.
import type { Redis } from 'ioredis';
import { Secret, TOTP } from 'otpauth';
import QRCode from 'qrcode';

const PERIOD_SECONDS = 30;
const WINDOW = 1;
const ISSUER = 'e-Jaunumi';

export interface TotpEnrolment {
  secret: string;
  otpauthUri: string;
  /** The URI as an SVG QR code, in a data: URL (the CSP allows data: images). */
  qrCode: string;
}

export class TotpVerifier {
  constructor(private readonly deps: { redis: Redis; prefix: string; now: () => Date }) {}

  async enrolment(email: string): Promise<TotpEnrolment> {
    const secret = new Secret({ size: 20 }).base32;
    const otpauthUri = totpFor(secret, email).toString();
    const svg = await QRCode.toString(otpauthUri, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
    return { secret, otpauthUri, qrCode: `data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}` };
  }

  /**
   * True when the code is valid now and was not used before by this account: the time step it
   * matched is claimed with SET NX, so a code seen over a shoulder or replayed is refused.
   */
  async verify(staffId: string, secret: string, code: string): Promise<boolean> {
    if (!/^\d{6}$/.test(code)) return false;
    const timestamp = this.deps.now().getTime();
    const delta = totpFor(secret, '').validate({ token: code, timestamp, window: WINDOW });
    if (delta === null) return false;
    const step = Math.floor(timestamp / 1000 / PERIOD_SECONDS) + delta;
    const claimed = await this.deps.redis.set(`${this.deps.prefix}:staff-totp:${staffId}:${step}`, '1', 'EX', PERIOD_SECONDS * (2 * WINDOW + 2), 'NX');
    return claimed === 'OK';
  }
}

function totpFor(secret: string, email: string): TOTP {
  return new TOTP({ issuer: ISSUER, label: email, algorithm: 'SHA1', digits: 6, period: PERIOD_SECONDS, secret: Secret.fromBase32(secret) });
}
