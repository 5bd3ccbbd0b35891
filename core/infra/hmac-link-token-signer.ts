import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Outcome } from '../domain/outcome.js';
import type { LinkTokenClaims, LinkTokenSigner } from '../ports/link-token-signer.port.js';

const VERSION = 1;
/** Bytes of HMAC-SHA256 kept: 128 bits, and a token short enough for Telegram's 64 characters. */
const MAC_BYTES = 16;
const HEADER_BYTES = 1 + 4;
const DOMAIN = Buffer.from('cobrabot/link-token/v1\0', 'utf8');
const MIN_SECRET_BYTES = 16;
const MAX_TOKEN_CHARS = 512;

/**
 * {@link LinkTokenSigner} with HMAC-SHA256. A token is base64url of
 * `version (1 byte) | expiry, Unix seconds (4 bytes, big-endian) | debtor id (UTF-8) | MAC (16 bytes)`:
 * no `.` or padding, so it fits a Telegram `/start` payload (64 characters, `A-Za-z0-9_-`) for
 * debtor ids up to 27 bytes. Longer ids still work in web chat links.
 *
 * The secret is given, or loaded once on first use (from the database, say).
 */
export class HmacLinkTokenSigner implements LinkTokenSigner {
  private key: Promise<Buffer> | undefined;

  constructor(private readonly secret: Uint8Array | (() => Promise<Uint8Array>)) {}

  async sign(claims: LinkTokenClaims): Promise<string> {
    const seconds = Math.floor(claims.expiresAt.getTime() / 1000);
    if (!Number.isInteger(seconds) || seconds < 0 || seconds > 0xffffffff) throw new RangeError('link token expiry out of range');
    if (!claims.debtorId) throw new RangeError('link token needs a debtor id');
    const payload = Buffer.alloc(HEADER_BYTES);
    payload.writeUInt8(VERSION, 0);
    payload.writeUInt32BE(seconds, 1);
    const body = Buffer.concat([payload, Buffer.from(claims.debtorId, 'utf8')]);
    return Buffer.concat([body, await this.mac(body)]).toString('base64url');
  }

  async verify(token: string): Promise<Outcome<LinkTokenClaims, 'invalid'>> {
    const invalid = { ok: false, reason: 'invalid' } as const;
    if (token.length > MAX_TOKEN_CHARS || !/^[A-Za-z0-9_-]+$/.test(token)) return invalid;
    const bytes = Buffer.from(token, 'base64url');
    // Node decodes leniently: a token that does not re-encode to itself was altered.
    if (bytes.toString('base64url') !== token) return invalid;
    if (bytes.length <= HEADER_BYTES + MAC_BYTES) return invalid;
    const body = bytes.subarray(0, bytes.length - MAC_BYTES);
    const given = bytes.subarray(bytes.length - MAC_BYTES);
    if (!timingSafeEqual(given, await this.mac(body))) return invalid;
    if (body.readUInt8(0) !== VERSION) return invalid;
    let debtorId: string;
    try {
      debtorId = new TextDecoder('utf-8', { fatal: true }).decode(body.subarray(HEADER_BYTES));
    } catch (error) {
      // Only a signer with our secret produced these bytes; still, never trust a decode.
      if (error instanceof TypeError) return invalid;
      throw error;
    }
    return { ok: true, value: { debtorId, expiresAt: new Date(body.readUInt32BE(1) * 1000) } };
  }

  private async mac(body: Buffer): Promise<Buffer> {
    this.key ??= this.loadKey();
    const key = await this.key;
    return createHmac('sha256', key).update(DOMAIN).update(body).digest().subarray(0, MAC_BYTES);
  }

  private async loadKey(): Promise<Buffer> {
    try {
      const secret = Buffer.from(typeof this.secret === 'function' ? await this.secret() : this.secret);
      if (secret.length < MIN_SECRET_BYTES) throw new RangeError(`link token secret must have at least ${MIN_SECRET_BYTES} bytes`);
      return secret;
    } catch (error) {
      // Forget a failed load (database briefly down) so the next token tries again.
      this.key = undefined;
      throw error;
    }
  }
}
