import { expect } from 'chai';
import { DirectLineTokens } from '../../../channels/webchat/directline-token.js';

describe('DirectLineTokens', () => {
  const SECRET = 'a-test-secret-of-enough-length';
  let now = Date.UTC(2026, 2, 1);
  const tokens = new DirectLineTokens(SECRET, 1800, () => now);
  beforeEach(() => {
    now = Date.UTC(2026, 2, 1);
  });

  it('issues a JWT whose user claim is the user (Web Chat reads it) and verifies it back', () => {
    const { token, expiresIn } = tokens.issue({ conversationId: 'c1', userId: 'dl_u', linkToken: 'link' });
    expect(expiresIn).to.equal(1800);
    const payload = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as Record<string, unknown>;
    expect(payload).to.include({ user: 'dl_u', conv: 'c1', link: 'link' });
    expect(tokens.verify(token)).to.deep.equal({ ok: true, value: { conversationId: 'c1', userId: 'dl_u', linkToken: 'link', expiresAt: now / 1000 + 1800 } });
  });

  it('refuses an expired token as TokenExpired', () => {
    const { token } = tokens.issue({ conversationId: 'c1', userId: 'dl_u' });
    now += 1800 * 1000;
    expect(tokens.verify(token)).to.deep.include({ ok: false });
    expect((tokens.verify(token) as { refusal: { code: string } }).refusal.code).to.equal('TokenExpired');
  });

  it('refuses tampered, foreign and malformed tokens as BadToken', () => {
    const { token } = tokens.issue({ conversationId: 'c1', userId: 'dl_u' });
    const [h, p, s] = token.split('.') as [string, string, string];
    const tampered = `${h}.${Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(p, 'base64url').toString()), conv: 'c2' })).toString('base64url')}.${s}`;
    const foreign = new DirectLineTokens('another-secret-entirely', 1800, () => now).issue({ conversationId: 'c1', userId: 'dl_u' }).token;
    for (const bad of [tampered, foreign, 'abc', `${h}.${p}`, `${h}.${p}.${s}x`, '']) {
      const checked = tokens.verify(bad);
      expect(checked.ok, bad).to.equal(false);
      expect((checked as { refusal: { code: string } }).refusal.code).to.equal('BadToken');
    }
  });
});
