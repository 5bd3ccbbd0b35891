import { randomUUID } from 'node:crypto';
import { daysBetween, calendarDateIn, parseCalendarDate, type CalendarDate } from '../domain/calendar-date.js';
import { redactCardNumbers } from '../domain/card-redaction.js';
import { DEFAULT_COLLECTION_POLICY, type CollectionPolicy } from '../domain/collection-policy.js';
import type { ChannelId, ConversationKey, HandoffReason, HandoffState } from '../domain/conversation.js';
import type { CurrencyCode } from '../domain/currency.js';
import type { Outcome } from '../domain/outcome.js';
import type { Debtor, Language } from '../domain/portfolio.js';
import type { AccountLedger } from '../ports/account-ledger.port.js';
import type { Clock } from '../ports/clock.port.js';
import type { CollectionHolds } from '../ports/collection-holds.port.js';
import type { ConsentRepository, ConsentSubject } from '../ports/consent-repository.port.js';
import type { ConversationReferences } from '../ports/conversation-references.port.js';
import type { DebtorDirectory } from '../ports/debtor-directory.port.js';
import type { DisputeRepository } from '../ports/dispute-repository.port.js';
import type { HandoffRepository } from '../ports/handoff-repository.port.js';
import type { LinkTokenSigner } from '../ports/link-token-signer.port.js';
import type { PaymentGateway } from '../ports/payment-gateway.port.js';
import type { PromiseRepository } from '../ports/promise-repository.port.js';
import type { TranscriptRepository } from '../ports/transcript-repository.port.js';
import type { VerificationAttempts } from '../ports/verification-attempts.port.js';
import {
  ROUTINE_REFERENCE_SETTLE_MS,
  type BalanceView,
  type DebtorAssistant,
  type DebtorProfile,
  type PaymentLink,
  type PaymentPromise,
  type TranscriptEntry,
} from './debtor-assistant.js';
import { debtorBalance } from './debtor-balance.js';
import { DebtorIdentity, toProfile, type DocumentVerification } from './debtor-identity.js';

/** Everything {@link createDebtorAssistant} is built on: ports, and a few plain values. */
export interface DebtorAssistantDeps {
  /** Named in the first message of every conversation. */
  readonly creditorName: string;
  readonly clock: Clock;
  /** Default {@link DEFAULT_COLLECTION_POLICY}. */
  readonly policy?: CollectionPolicy;
  readonly linkTokens: LinkTokenSigner;
  readonly debtors: DebtorDirectory;
  readonly ledger: AccountLedger;
  readonly payments: PaymentGateway;
  readonly promises: PromiseRepository;
  readonly disputes: DisputeRepository;
  readonly holds: CollectionHolds;
  readonly handoffs: HandoffRepository;
  readonly consents: ConsentRepository;
  readonly verificationAttempts: VerificationAttempts;
  readonly transcripts: TranscriptRepository;
  readonly conversationReferences: ConversationReferences;
  /** New unique ids (attempts, disputes, transcript entries); default random UUIDs. */
  readonly newId?: () => string;
}

/** A debtor id that no debtor has reached a use case that needs one: a bug in the caller. */
export class UnknownDebtorError extends Error {
  readonly code = 'UNKNOWN_DEBTOR';
  constructor(operation: string) {
    // The id itself stays out of the message: messages reach logs, ids are personal data.
    super(`${operation}: no debtor with this id`);
    this.name = 'UnknownDebtorError';
  }
}

/** Longest dispute reason kept (the bot caps messages at 4,000 characters anyway). */
const MAX_REASON_CHARS = 4000;

/**
 * The {@link DebtorAssistant} over its ports: what the bot asks of the collections domain.
 *
 * @example
 * const assistant = createDebtorAssistant({ creditorName: 'Colegio Azul', clock: systemClock, ...mongoStores });
 * const balance = await assistant.balance('D-1');
 */
export function createDebtorAssistant(deps: DebtorAssistantDeps): DebtorAssistant {
  return new Assistant(deps);
}

class Assistant implements DebtorAssistant {
  readonly creditorName: string;
  private readonly policy: CollectionPolicy;
  private readonly newId: () => string;
  private readonly identity: DebtorIdentity;

  constructor(private readonly deps: DebtorAssistantDeps) {
    this.creditorName = deps.creditorName;
    this.policy = deps.policy ?? DEFAULT_COLLECTION_POLICY;
    this.newId = deps.newId ?? randomUUID;
    this.identity = new DebtorIdentity({
      debtors: deps.debtors,
      linkTokens: deps.linkTokens,
      attempts: deps.verificationAttempts,
      clock: deps.clock,
      policy: this.policy,
      newId: this.newId,
    });
  }

  async verifyLinkToken(token: string): Promise<Outcome<DebtorProfile, 'invalid' | 'expired' | 'unknown-debtor'>> {
    return this.verified(await this.identity.verifyLinkToken(token));
  }

  async verifyByPhone(phone: string): Promise<Outcome<DebtorProfile, 'unknown-phone'>> {
    return this.verified(await this.identity.verifyByPhone(phone));
  }

  async verifyByTelegramUser(telegramUserId: string): Promise<Outcome<DebtorProfile, 'unknown-user'>> {
    return this.verified(await this.identity.verifyByTelegramUser(telegramUserId));
  }

  async verifyDocument(key: ConversationKey, debtorId: string, last4: string): Promise<DocumentVerification> {
    return this.verified(await this.identity.verifyDocument(key, debtorId, last4));
  }

  /**
   * A debtor just verified will most likely ask for the balance next: the ledger starts
   * reading the account now, in the background, so that the answer does not wait for it
   * (on FerretDB that read scans the invoices). A failure here is the balance's to meet.
   */
  private verified<R extends { ok: boolean; value?: DebtorProfile }>(result: R): R {
    const debtorId = result.ok ? result.value?.debtorId : undefined;
    if (debtorId) {
      this.deps.ledger
        .invoicesOf(debtorId)
        .then((invoices) => (invoices.length ? this.deps.ledger.entriesFor(invoices.map((i) => i.invoiceId)) : []))
        .catch(() => undefined);
    }
    return result;
  }

  verificationLock(key: ConversationKey): Promise<Date | undefined> {
    return this.identity.verificationLock(key);
  }

  /** Does not check that the debtor exists: a link for an unknown id verifies as `unknown-debtor`. */
  issueLinkToken(debtorId: string, ttlSeconds?: number): Promise<string> {
    return this.identity.issueLinkToken(debtorId, ttlSeconds);
  }

  async profile(debtorId: string): Promise<DebtorProfile | undefined> {
    const debtor = await this.deps.debtors.find(debtorId);
    return debtor ? toProfile(debtor) : undefined;
  }

  async setLanguage(debtorId: string, language: Language): Promise<void> {
    await this.deps.debtors.setLanguage(debtorId, language);
  }

  async balance(debtorId: string): Promise<BalanceView> {
    return debtorBalance(this.deps.ledger, this.deps.clock, await this.debtor(debtorId, 'balance'));
  }

  async createPaymentLink(
    debtorId: string,
    what: { readonly invoiceIds: readonly string[] } | { readonly currency: CurrencyCode },
  ): Promise<Outcome<PaymentLink, 'nothing-due' | 'unknown-invoice' | 'mixed-currencies'>> {
    const { invoices: open } = await this.balance(debtorId);
    let chosen: typeof open;
    if ('invoiceIds' in what) {
      const ids = [...new Set(what.invoiceIds)];
      if (!ids.length) return { ok: false, reason: 'nothing-due' };
      const byId = new Map(open.map((i) => [i.invoiceId, i]));
      const found = ids.map((id) => byId.get(id));
      // Another debtor's invoice, a paid one and a made-up one look alike: none is this debtor's to pay.
      if (found.some((i) => i === undefined)) return { ok: false, reason: 'unknown-invoice' };
      chosen = found.filter((i) => i !== undefined);
      if (new Set(chosen.map((i) => i.currency)).size > 1) return { ok: false, reason: 'mixed-currencies' };
    } else {
      const currency = what.currency.toUpperCase();
      chosen = open.filter((i) => i.currency === currency);
    }
    const [first] = chosen;
    if (!first) return { ok: false, reason: 'nothing-due' };
    const now = this.deps.clock.now();
    const amount = chosen.reduce((sum, i) => sum + i.balance, 0);
    const link = await this.deps.payments.createPaymentLink({
      debtorId,
      currency: first.currency,
      amount,
      invoices: chosen.map((i) => ({ invoiceId: i.invoiceId, amount: i.balance })),
      createdAt: now,
      expiresAt: new Date(now.getTime() + this.policy.links.paymentLinkTtlSeconds * 1000),
    });
    return { ok: true, value: { url: link.url, amount, currency: first.currency, invoiceIds: chosen.map((i) => i.invoiceId) } };
  }

  /**
   * Without `amount`, the promise is for the whole open balance of the debtor's first currency
   * (that of the most overdue invoice). Promising the same amount for the same date again
   * returns the promise stored the first time.
   */
  async promiseToPay(
    debtorId: string,
    date: CalendarDate,
    amount?: { readonly amount: number; readonly currency: CurrencyCode },
  ): Promise<Outcome<PaymentPromise, 'date-in-past' | 'too-far' | 'nothing-due'> & { readonly maxDays: number }> {
    const maxDays = this.policy.maxPromiseDays;
    const parsed = parseCalendarDate(date);
    if (!parsed.ok) throw new RangeError(`promiseToPay: ${parsed.reason}`);
    if (amount && (!Number.isSafeInteger(amount.amount) || amount.amount <= 0)) {
      throw new RangeError(`promiseToPay: amount must be a positive integer of minor units, got ${amount.amount}`);
    }
    const debtor = await this.debtor(debtorId, 'promiseToPay');
    const today = calendarDateIn(this.deps.clock.now(), debtor.timezone);
    if (parsed.value < today) return { ok: false, reason: 'date-in-past', maxDays };
    if (daysBetween(today, parsed.value) > maxDays) return { ok: false, reason: 'too-far', maxDays };
    const { totals } = await debtorBalance(this.deps.ledger, this.deps.clock, debtor);
    const total = amount ? totals.find((t) => t.currency === amount.currency.toUpperCase()) : totals[0];
    if (!total) return { ok: false, reason: 'nothing-due', maxDays };
    const promised = amount?.amount ?? total.balance;
    const stored = await this.deps.promises.save({
      promiseId: `promise:${debtorId}:${parsed.value}:${total.currency}:${promised}`,
      debtorId,
      date: parsed.value,
      amount: promised,
      currency: total.currency,
      createdAt: this.deps.clock.now(),
    });
    const value: PaymentPromise = {
      promiseId: stored.promiseId,
      debtorId: stored.debtorId,
      date: stored.date,
      amount: stored.amount,
      currency: stored.currency,
    };
    return { ok: true, value, maxDays };
  }

  async openDispute(key: ConversationKey, debtorId: string, reason: string): Promise<void> {
    const at = this.deps.clock.now();
    const disputeId = this.newId();
    await this.deps.disputes.open({
      disputeId,
      debtorId,
      key,
      reason: redactCardNumbers(reason).slice(0, MAX_REASON_CHARS),
      openedAt: at,
      status: 'open',
    });
    await this.deps.holds.pause({ debtorId, reason: 'dispute', since: at, disputeId });
    await this.requestHuman(key, 'dispute', debtorId);
  }

  async requestHuman(key: ConversationKey, reason: HandoffReason, debtorId?: string): Promise<void> {
    await this.deps.handoffs.queue({ key, reason, at: this.deps.clock.now(), ...(debtorId !== undefined ? { debtorId } : {}) });
  }

  async handoffState(key: ConversationKey): Promise<HandoffState> {
    return (await this.deps.handoffs.find(key))?.state ?? 'bot';
  }

  /**
   * Bars the channel user at once, and the debtor too when verified: the person said stop on
   * this channel, whoever they turn out to be.
   */
  async optOut(key: ConversationKey, debtorId?: string): Promise<void> {
    const at = this.deps.clock.now();
    const evidence = { channel: key.channel, conversationId: key.conversationId, userId: key.userId, at };
    await this.deps.consents.refuse({ ...evidence, subject: { kind: 'channel-user', userId: key.userId } });
    if (debtorId !== undefined) await this.deps.consents.refuse({ ...evidence, subject: { kind: 'debtor', debtorId } });
  }

  /**
   * True when the debtor refused on `channel`, or the channel user who last talked as the
   * debtor there (or the Telegram account on file) refused, even before verifying.
   */
  async isOptedOut(debtorId: string, channel: ChannelId): Promise<boolean> {
    const subjects: ConsentSubject[] = [{ kind: 'debtor', debtorId }];
    const [reference, debtor] = await Promise.all([
      this.deps.conversationReferences.find(debtorId, channel),
      channel === 'telegram' ? this.deps.debtors.find(debtorId) : Promise.resolve(undefined),
    ]);
    if (reference?.userId) subjects.push({ kind: 'channel-user', userId: reference.userId });
    if (debtor?.telegramUserId && debtor.telegramUserId !== reference?.userId) {
      subjects.push({ kind: 'channel-user', userId: debtor.telegramUserId });
    }
    return this.deps.consents.refused(channel, subjects);
  }

  async recordTranscript(entry: TranscriptEntry): Promise<void> {
    await this.deps.transcripts.append({
      entryId: this.newId(),
      key: entry.key,
      direction: entry.direction,
      text: redactCardNumbers(entry.text),
      at: entry.at,
      ...(entry.debtorId !== undefined ? { debtorId: entry.debtorId } : {}),
      ...(entry.author !== undefined ? { author: entry.author } : {}),
    });
  }

  /**
   * Every turn of a verified debtor calls this, and in a running conversation its reference is
   * almost always the debtor's latest already: one read of the latest (an `_id` look-up that
   * the repository answers from memory most of the time) decides, and a write happens when the
   * debtor moved (another channel: this one is now the last used; another conversation or
   * person; another address).
   */
  async saveConversationReference(
    debtorId: string,
    channel: ChannelId,
    reference: Readonly<Record<string, unknown>>,
    key?: ConversationKey,
    options: { readonly routine?: boolean } = {},
  ): Promise<void> {
    const userId = key?.userId ?? referenceUserId(reference);
    const now = this.deps.clock.now();
    const latest = await this.deps.conversationReferences.latest(debtorId);
    if (latest && latest.channel === channel) {
      if (latest.userId === userId && sameAddress(latest.reference, reference)) return;
      const age = now.getTime() - latest.savedAt.getTime();
      if (options.routine && age >= 0 && age < ROUTINE_REFERENCE_SETTLE_MS) return;
    }
    await this.deps.conversationReferences.save({
      debtorId,
      channel,
      reference,
      savedAt: now,
      ...(userId !== undefined ? { userId } : {}),
    });
  }

  private async debtor(debtorId: string, operation: string): Promise<Debtor> {
    const debtor = await this.deps.debtors.find(debtorId);
    if (!debtor) throw new UnknownDebtorError(operation);
    return debtor;
  }
}

/**
 * True when two conversation references lead to the same place: equal as JSON, key order
 * aside, but for `activityId` (the message a reply would answer, different on every turn).
 */
function sameAddress(a: Readonly<Record<string, unknown>>, b: Readonly<Record<string, unknown>>): boolean {
  const { activityId: _a, ...left } = a;
  const { activityId: _b, ...right } = b;
  return canonicalJson(left) === canonicalJson(right);
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** `reference.user.id` of a Bot Framework ConversationReference, when it has that shape. */
function referenceUserId(reference: Readonly<Record<string, unknown>>): string | undefined {
  const user = reference.user;
  if (typeof user !== 'object' || user === null) return undefined;
  const id = (user as Record<string, unknown>).id;
  return typeof id === 'string' && id ? id : undefined;
}
