import { createHmac, timingSafeEqual } from 'node:crypto';

/** What a Direct Line token grants: one conversation, as one user. */
export interface TokenGrant {
  readonly conversationId: string;
  readonly userId: string;
  /** The chat link token the conversation was opened with, carried until the conversation is stored. */
  readonly linkToken?: string;
}

/** A verified token. */
export interface VerifiedToken extends TokenGrant {
  /** Expiry, in seconds since the epoch. */
  readonly expiresAt: number;
}

/** Why a token was refused; the codes Direct Line answers with 403. */
export type TokenRefusal = { readonly code: 'BadToken' | 'TokenExpired'; readonly message: string };

/** A token freshly issued. */
export interface IssuedToken {
  readonly token: string;
  /** Lifetime in seconds, Direct Line's `expires_in`. */
  readonly expiresIn: number;
}

const HEADER = Buffer.from(JSON.stringify({ alg: 'HS256', typ: 'JWT' })).toString('base64url');
const ISSUER = 'cobrabot-directline';

function sign(secret: string, content: string): string {
  return createHmac('sha256', secret).update(content).digest('base64url');
}

/**
 * Issues and verifies Direct Line tokens: JWTs signed with HMAC-SHA256. A JWT because Web Chat
 * and botframework-directlinejs read its `user` claim and post as that user, which is what the
 * server then insists on. Claims: `conv`, `user`, optional `link`, `iat`, `exp`, `iss`.
 *
 * @example
 * const tokens = new DirectLineTokens(secret, 1800, Date.now);
 * const { token } = tokens.issue({ conversationId, userId });
 * const checked = tokens.verify(token); // { ok: true, value: { conversationId, userId, expiresAt } }
 */
export class DirectLineTokens {
  constructor(
    private readonly secret: string,
    private readonly ttlSeconds: number,
    private readonly now: () => number,
  ) {
    if (secret.length < 16) throw new RangeError('the Direct Line token secret must be at least 16 characters');
  }

  issue(grant: TokenGrant): IssuedToken {
    const iat = Math.floor(this.now() / 1000);
    const claims = {
      iss: ISSUER,
      conv: grant.conversationId,
      user: grant.userId,
      ...(grant.linkToken === undefined ? {} : { link: grant.linkToken }),
      iat,
      exp: iat + this.ttlSeconds,
    };
    const content = `${HEADER}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}`;
    return { token: `${content}.${sign(this.secret, content)}`, expiresIn: this.ttlSeconds };
  }

  /** Seconds `token` has left (0 when expired). */
  secondsLeft(token: VerifiedToken): number {
    return Math.max(0, token.expiresAt - Math.floor(this.now() / 1000));
  }

  verify(token: string): { ok: true; value: VerifiedToken } | { ok: false; refusal: TokenRefusal } {
    const bad = (message: string) => ({ ok: false as const, refusal: { code: 'BadToken' as const, message } });
    const parts = token.split('.');
    if (parts.length !== 3) return bad('the token is not a Direct Line token of this server');
    const [header, payload, signature] = parts as [string, string, string];
    const expected = Buffer.from(sign(this.secret, `${header}.${payload}`));
    const given = Buffer.from(signature);
    if (header !== HEADER || given.length !== expected.length || !timingSafeEqual(given, expected)) {
      return bad('the token signature is not valid');
    }
    let claims: unknown;
    try {
      claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    } catch (error) {
      // Signed by us yet unreadable: only a bug here can produce it, and the client can do nothing but start over.
      return bad(`the token claims are unreadable (${error instanceof Error ? error.message : 'not JSON'})`);
    }
    if (typeof claims !== 'object' || claims === null) return bad('the token claims are not an object');
    const { conv, user, link, exp, iss } = claims as Record<string, unknown>;
    if (iss !== ISSUER || typeof conv !== 'string' || typeof user !== 'string' || typeof exp !== 'number' || (link !== undefined && typeof link !== 'string')) {
      return bad('the token claims are incomplete');
    }
    if (exp <= Math.floor(this.now() / 1000)) {
      return { ok: false, refusal: { code: 'TokenExpired', message: 'the token has expired: get a new one from /v3/directline/tokens/generate' } };
    }
    return { ok: true, value: { conversationId: conv, userId: user, expiresAt: exp, ...(typeof link === 'string' ? { linkToken: link } : {}) } };
  }
}
