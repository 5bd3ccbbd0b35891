import { createHash, timingSafeEqual } from 'node:crypto';
import type { CollectionPolicy } from '../domain/collection-policy.js';
import type { ConversationKey } from '../domain/conversation.js';
import { conversationKeyId } from '../domain/conversation-key.js';
import type { Outcome } from '../domain/outcome.js';
import { normalizePhone } from '../domain/phone.js';
import type { Debtor } from '../domain/portfolio.js';
import { verificationLockState, type VerificationLockState } from '../domain/verification-lock.js';
import type { Clock } from '../ports/clock.port.js';
import type { DebtorDirectory } from '../ports/debtor-directory.port.js';
import type { LinkTokenSigner } from '../ports/link-token-signer.port.js';
import type { VerificationAttempts } from '../ports/verification-attempts.port.js';
import type { DebtorProfile, VerificationFailure } from './debtor-assistant.js';

/** What {@link DebtorIdentity} needs. */
export interface DebtorIdentityDeps {
  readonly debtors: DebtorDirectory;
  readonly linkTokens: LinkTokenSigner;
  readonly attempts: VerificationAttempts;
  readonly clock: Clock;
  readonly policy: CollectionPolicy;
  /** A new unique id (attempt ids). */
  readonly newId: () => string;
}

/** The profile a conversation may show once the debtor is verified. */
export function toProfile(debtor: Debtor): DebtorProfile {
  return {
    debtorId: debtor.debtorId,
    name: debtor.name,
    language: debtor.language,
    timezone: debtor.timezone,
    ...(debtor.country !== undefined ? { country: debtor.country } : {}),
  };
}

/** Result of {@link DebtorIdentity.verifyDocument}: the shape `DebtorAssistant` promises. */
export type DocumentVerification = { ok: true; value: DebtorProfile } | ({ ok: false } & VerificationFailure);

/**
 * Verifies who is talking (CONTRACT.md section 6): a signed link, a channel identity, or
 * `debtor_id` plus the last 4 characters of `document_id` with a lock after repeated failures.
 */
export class DebtorIdentity {
  constructor(private readonly deps: DebtorIdentityDeps) {}

  async issueLinkToken(debtorId: string, ttlSeconds = this.deps.policy.links.chatTokenTtlSeconds): Promise<string> {
    if (!Number.isSafeInteger(ttlSeconds) || ttlSeconds <= 0) throw new RangeError(`ttlSeconds must be a positive integer, got ${ttlSeconds}`);
    const nowSeconds = Math.floor(this.deps.clock.now().getTime() / 1000);
    return this.deps.linkTokens.sign({ debtorId, expiresAt: new Date((nowSeconds + ttlSeconds) * 1000) });
  }

  async verifyLinkToken(token: string): Promise<Outcome<DebtorProfile, 'invalid' | 'expired' | 'unknown-debtor'>> {
    const claims = await this.deps.linkTokens.verify(token.trim());
    if (!claims.ok) return claims;
    if (this.deps.clock.now().getTime() >= claims.value.expiresAt.getTime()) return { ok: false, reason: 'expired' };
    const debtor = await this.deps.debtors.find(claims.value.debtorId);
    return debtor ? { ok: true, value: toProfile(debtor) } : { ok: false, reason: 'unknown-debtor' };
  }

  /**
   * A phone verifies only when exactly one debtor has it: telling one sharer of a phone
   * another's debt would be disclosure to a third party.
   */
  async verifyByPhone(phone: string): Promise<Outcome<DebtorProfile, 'unknown-phone'>> {
    const found = new Map<string, Debtor>();
    for (const candidate of phoneCandidates(phone)) {
      for (const debtor of await this.deps.debtors.findByPhone(candidate)) found.set(debtor.debtorId, debtor);
    }
    const [only, ...others] = found.values();
    return only && !others.length ? { ok: true, value: toProfile(only) } : { ok: false, reason: 'unknown-phone' };
  }

  /** As {@link DebtorIdentity.verifyByPhone}: exactly one debtor must carry the Telegram id. */
  async verifyByTelegramUser(telegramUserId: string): Promise<Outcome<DebtorProfile, 'unknown-user'>> {
    const id = telegramUserId.trim();
    const found = /^\d{1,20}$/.test(id) ? await this.deps.debtors.findByTelegramUser(id) : [];
    const [only, ...others] = found;
    return only && !others.length ? { ok: true, value: toProfile(only) } : { ok: false, reason: 'unknown-user' };
  }

  async verificationLock(key: ConversationKey): Promise<Date | undefined> {
    const now = this.deps.clock.now();
    const attempts = await this.deps.attempts.inConversation(conversationKeyId(key), this.since(now));
    return verificationLockState(attempts, now, this.deps.policy.verification).lockedUntil;
  }

  /**
   * Checks `debtor_id` and the last 4 characters of `document_id` (case-insensitive). Every
   * answer but success is the same whether the id is unknown, has no document, or the
   * characters differ, and attempts on unknown ids count and lock like any other, so that
   * nothing tells which part was wrong or whether the id exists.
   *
   * The attempt is stored before it is judged: attempts racing on one `debtor_id` from many
   * conversations all land in the fold, and those made inside a lock are refused.
   */
  async verifyDocument(key: ConversationKey, debtorIdInput: string, last4: string): Promise<DocumentVerification> {
    const { attempts, clock, policy } = this.deps;
    const now = clock.now();
    const conversation = conversationKeyId(key);
    const debtorId = debtorIdInput.trim();
    const before = await this.states(conversation, debtorId, now);
    const lockedBefore = latestLock(before);
    if (lockedBefore) return { ok: false, reason: 'locked', lockedUntil: lockedBefore };

    const debtor = debtorId ? await this.deps.debtors.find(debtorId) : undefined;
    const ok = debtor !== undefined && sameLast4(debtor.documentId, last4);
    const attemptId = nextAttemptId(this.deps.newId());
    await attempts.record({ attemptId, conversation, debtorId, ok, at: now });

    const after = await this.states(conversation, debtorId, now);
    const lockedAfter = latestLock(after);
    if (after.some((s) => s.refused.has(attemptId)) && lockedAfter) return { ok: false, reason: 'locked', lockedUntil: lockedAfter };
    if (ok && debtor) return { ok: true, value: toProfile(debtor) };
    if (lockedAfter) return { ok: false, reason: 'locked', lockedUntil: lockedAfter };
    const failures = Math.max(...after.map((s) => s.failures));
    return { ok: false, reason: 'mismatch', attemptsLeft: Math.max(0, policy.verification.maxAttempts - failures) };
  }

  private since(now: Date): Date {
    return new Date(now.getTime() - this.deps.policy.verification.lookbackHours * 3_600_000);
  }

  private async states(conversation: string, debtorId: string, now: Date): Promise<VerificationLockState[]> {
    const since = this.since(now);
    const [inConversation, onDebtor] = await Promise.all([
      this.deps.attempts.inConversation(conversation, since),
      this.deps.attempts.onDebtor(debtorId, since),
    ]);
    const rules = this.deps.policy.verification;
    return [verificationLockState(inConversation, now, rules), verificationLockState(onDebtor, now, rules)];
  }
}

/** Process-wide, so that attempts of one process made in the same millisecond keep their order. */
let attemptSequence = 0;

/**
 * Attempts are folded in time order, ties broken by id: a sequence number first keeps the
 * order in which this process made them (a frozen clock, a fast retry); the unique part keeps
 * ids of different processes apart.
 */
function nextAttemptId(unique: string): string {
  attemptSequence = (attemptSequence + 1) % Number.MAX_SAFE_INTEGER;
  return `${attemptSequence.toString(36).padStart(11, '0')}-${unique}`;
}

function latestLock(states: readonly VerificationLockState[]): Date | undefined {
  let latest: Date | undefined;
  for (const s of states) if (s.lockedUntil && (!latest || s.lockedUntil > latest)) latest = s.lockedUntil;
  return latest;
}

/** Compares in time independent of where the characters differ. */
function sameLast4(documentId: string | undefined, given: string): boolean {
  const expected = documentId?.trim().toUpperCase() ?? '';
  const typed = given.trim().toUpperCase();
  const digest = (s: string) => createHash('sha256').update(s, 'utf8').digest();
  const equal = timingSafeEqual(digest(expected.slice(-4)), digest(typed));
  return equal && expected.length >= 4 && [...typed].length === 4;
}

/**
 * The E.164 forms a channel's phone may stand for. WhatsApp sends bare digits, and addresses
 * Mexican mobiles with the `1` after `52` that Mexico dropped in 2019 (`+521 55...`), which
 * libphonenumber rightly rejects: the number without it is the one an import stores.
 */
function phoneCandidates(raw: string): string[] {
  const text = raw.trim();
  const withPlus = /^\d{8,15}$/.test(text) ? `+${text}` : text;
  const out = new Set<string>();
  const direct = normalizePhone(withPlus);
  if (direct.ok) out.add(direct.value);
  const mx = /^\+521(\d{10})$/.exec(withPlus.replace(/[\s()-]/g, ''));
  if (mx) {
    const fixed = normalizePhone(`+52${mx[1]}`);
    if (fixed.ok) out.add(fixed.value);
  }
  return [...out];
}
