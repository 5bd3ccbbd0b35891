import type { CalendarDate } from './calendar-date.js';
import type { CurrencyCode } from './currency.js';
import type { E164 } from './phone.js';

/** Languages the bot speaks. */
export const LANGUAGES = ['es', 'en'] as const;
/** A language the bot speaks. */
export type Language = (typeof LANGUAGES)[number];

/** True when `value` is a language the bot speaks. */
export function isLanguage(value: string): value is Language {
  return (LANGUAGES as readonly string[]).includes(value);
}

/** A person or company that owes the creditor, keyed by the creditor's own reference. */
export interface Debtor {
  readonly debtorId: string;
  readonly name: string;
  readonly phone?: E164;
  readonly email?: string;
  readonly documentId?: string;
  readonly language: Language;
  /** IANA time zone name: contact hours and dates are judged in it. */
  readonly timezone: string;
  /** ISO 3166-1 alpha-2. */
  readonly country?: string;
  readonly telegramUserId?: string;
}

/** An invoice the creditor issued; its balance derives from the payment ledger. */
export interface Invoice {
  readonly invoiceId: string;
  readonly debtorId: string;
  /** Minor units. */
  readonly amount: number;
  readonly currency: CurrencyCode;
  readonly issuedAt: CalendarDate;
  readonly dueAt: CalendarDate;
}

/** Where a ledger entry came from. */
export type PaymentSource = 'import' | 'local' | 'stripe' | 'manual';

/**
 * One immutable entry of the payment ledger. Corrections are new entries (a negative reversal
 * dated like the entry it reverses), never edits, so every past balance can be recomputed.
 */
export interface Payment {
  /** Idempotency key: inserting the same entry twice is a no-op. */
  readonly paymentId: string;
  readonly invoiceId: string;
  readonly debtorId: string;
  /** Minor units; negative for a reversal. */
  readonly amount: number;
  readonly currency: CurrencyCode;
  readonly paidAt: CalendarDate;
  readonly source: PaymentSource;
  readonly recordedAt: Date;
}
