import type { Outcome } from '../domain/outcome.js';

/** What a signed chat link carries. */
export interface LinkTokenClaims {
  readonly debtorId: string;
  /** When the link stops verifying (second precision). */
  readonly expiresAt: Date;
}

/**
 * Signs and checks the tokens of chat links (`/chat?t=TOKEN`, Telegram `/start TOKEN`). A token
 * carries its claims and a signature over them: nothing is stored, and a token whose bytes were
 * changed, or that another secret signed, is `invalid`. Expiry is the caller's to judge (it
 * owns the clock).
 *
 * Tokens use only `A-Z a-z 0-9 _ -`, as Telegram deep-link payloads require.
 */
export interface LinkTokenSigner {
  sign(claims: LinkTokenClaims): Promise<string>;
  /** The claims of a token this signer signed; `invalid` for anything else. */
  verify(token: string): Promise<Outcome<LinkTokenClaims, 'invalid'>>;
}
