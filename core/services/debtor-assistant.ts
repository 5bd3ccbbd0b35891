import type { CalendarDate } from '../domain/calendar-date.js';
import type { ChannelId, ConversationKey, HandoffReason, HandoffState } from '../domain/conversation.js';
import type { CurrencyCode } from '../domain/currency.js';
import type { Outcome } from '../domain/outcome.js';
import type { Language } from '../domain/portfolio.js';

/**
 * What a conversation may know of a verified debtor. Nothing here may be shown before the
 * debtor is verified (COMPLIANCE.md: never disclose the debt to anyone else).
 */
export interface DebtorProfile {
  readonly debtorId: string;
  readonly name: string;
  readonly language: Language;
  readonly timezone: string;
  readonly country?: string;
}

/** One open invoice as the debtor sees it, on the debtor's own calendar. */
export interface OpenInvoiceView {
  readonly invoiceId: string;
  /** Open balance, minor units. */
  readonly balance: number;
  /** Original amount, minor units. */
  readonly amount: number;
  readonly currency: CurrencyCode;
  readonly issuedAt: CalendarDate;
  readonly dueAt: CalendarDate;
  /** Days past due on `asOf`; 0 or negative when not yet due. */
  readonly daysOverdue: number;
}

/** The debtor's balance on a date: every open invoice, and one total per currency. */
export interface BalanceView {
  readonly asOf: CalendarDate;
  readonly invoices: readonly OpenInvoiceView[];
  readonly totals: readonly { readonly currency: CurrencyCode; readonly balance: number }[];
}

/** A payment link for a debtor, for the whole balance of one currency or chosen invoices. */
export interface PaymentLink {
  readonly url: string;
  /** Minor units. */
  readonly amount: number;
  readonly currency: CurrencyCode;
  readonly invoiceIds: readonly string[];
}

/** A promise to pay, as stored and confirmed back to the debtor. */
export interface PaymentPromise {
  readonly promiseId: string;
  readonly debtorId: string;
  readonly date: CalendarDate;
  /** Minor units. */
  readonly amount: number;
  readonly currency: CurrencyCode;
}

/** Why a verification failed; `locked` carries when the lock ends. */
export type VerificationFailure =
  | { readonly reason: 'mismatch'; readonly attemptsLeft: number }
  | { readonly reason: 'locked'; readonly lockedUntil: Date };

// Defined in the domain so that the Messenger port can name it; re-exported for the bot.
export type { DebtorNotice } from '../domain/debtor-notice.js';

/** One message of a conversation, for the transcript (evidence kept for years). */
export interface TranscriptEntry {
  readonly key: ConversationKey;
  readonly direction: 'in' | 'out';
  readonly text: string;
  readonly debtorId?: string;
  readonly at: Date;
  /** Who wrote an outbound message. */
  readonly author?: 'bot' | 'agent' | 'system';
}

/**
 * Everything a conversation (the bot, on any channel) asks of the collections domain. The bot
 * knows only this interface; channels and jobs never call it directly.
 */
export interface DebtorAssistant {
  /** The creditor's name, stated in the first message of every conversation. */
  readonly creditorName: string;

  /** Verifies a signed link (`/chat?t=`, Telegram `/start TOKEN`). */
  verifyLinkToken(token: string): Promise<Outcome<DebtorProfile, 'invalid' | 'expired' | 'unknown-debtor'>>;
  /** Verifies by the channel's phone identity (WhatsApp sender, Telegram shared contact). */
  verifyByPhone(phone: string): Promise<Outcome<DebtorProfile, 'unknown-phone'>>;
  /** Verifies by a Telegram user id stored on the debtor. */
  verifyByTelegramUser(telegramUserId: string): Promise<Outcome<DebtorProfile, 'unknown-user'>>;
  /**
   * Verifies `debtor_id` plus the last 4 characters of `document_id`: 3 failed tries lock the
   * conversation and the debtor id for 15 minutes. Never says which of the two was wrong.
   */
  verifyDocument(key: ConversationKey, debtorId: string, last4: string): Promise<{ ok: true; value: DebtorProfile } | ({ ok: false } & VerificationFailure)>;
  /** True while the conversation is locked after failed verifications. */
  verificationLock(key: ConversationKey): Promise<Date | undefined>;
  /** A signed link token for `debtorId` (for `cobrabot chat-link`), valid `ttlSeconds`. */
  issueLinkToken(debtorId: string, ttlSeconds?: number): Promise<string>;

  /** The debtor's profile, or undefined when unknown. */
  profile(debtorId: string): Promise<DebtorProfile | undefined>;
  /** Stores the debtor's preferred language. */
  setLanguage(debtorId: string, language: Language): Promise<void>;

  /** Open invoices and totals on today's date in the debtor's time zone. */
  balance(debtorId: string): Promise<BalanceView>;
  /** A payment link for the whole balance in `currency` or for the given invoices. */
  createPaymentLink(
    debtorId: string,
    what: { readonly invoiceIds: readonly string[] } | { readonly currency: CurrencyCode },
  ): Promise<Outcome<PaymentLink, 'nothing-due' | 'unknown-invoice' | 'mixed-currencies'>>;
  /**
   * Records a promise to pay on `date` (the debtor's calendar), for `amount` minor units or the
   * whole open balance. The policy bounds how far ahead (default 30 days).
   */
  promiseToPay(
    debtorId: string,
    date: CalendarDate,
    amount?: { readonly amount: number; readonly currency: CurrencyCode },
  ): Promise<Outcome<PaymentPromise, 'date-in-past' | 'too-far' | 'nothing-due'> & { readonly maxDays: number }>;
  /** Opens a dispute: the debtor's collection pauses and the conversation is escalated. */
  openDispute(key: ConversationKey, debtorId: string, reason: string): Promise<void>;

  /** Queues the conversation for an agent. */
  requestHuman(key: ConversationKey, reason: HandoffReason, debtorId?: string): Promise<void>;
  /** Who answers the conversation now. */
  handoffState(key: ConversationKey): Promise<HandoffState>;

  /** The person stops automatic messages on this channel (debtor when verified). */
  optOut(key: ConversationKey, debtorId?: string): Promise<void>;
  /** True when automatic messages on `channel` are barred for the debtor. */
  isOptedOut(debtorId: string, channel: ChannelId): Promise<boolean>;

  /** Stores a message in the transcript, card numbers redacted first. */
  recordTranscript(entry: TranscriptEntry): Promise<void>;
  /**
   * Remembers where to reach the debtor on a channel: the channel's conversation reference,
   * plain JSON, opaque here. The last one saved is where notices go. Pass the conversation's
   * `key` when at hand: an opt-out said on this channel before verification then binds the
   * debtor too (without it, `reference.user.id` is used when it is a string).
   *
   * Nothing is written when the reference is the debtor's latest already (the id of the
   * message being answered aside). With `routine` (a later turn of a conversation that saved
   * its reference when it verified), nothing is written either while the latest is another
   * conversation of the debtor on the same channel saved less than
   * {@link ROUTINE_REFERENCE_SETTLE_MS} ago: two conversations open at once would otherwise
   * rewrite it on every message, and a notice reaches either.
   */
  saveConversationReference(
    debtorId: string,
    channel: ChannelId,
    reference: Readonly<Record<string, unknown>>,
    key?: ConversationKey,
    options?: { readonly routine?: boolean },
  ): Promise<void>;
}

/** See {@link DebtorAssistant.saveConversationReference}. */
export const ROUTINE_REFERENCE_SETTLE_MS = 30_000;
