import type { CalendarDate } from './calendar-date.js';
import type { CurrencyCode } from './currency.js';

/** A message the system sends to a debtor outside a turn (a receipt, later reminders). */
export type DebtorNotice = {
  readonly kind: 'receipt';
  /** Minor units. */
  readonly amount: number;
  readonly currency: CurrencyCode;
  readonly invoiceIds: readonly string[];
  readonly paidAt: CalendarDate;
  /** What is still open after this payment, per currency (minor units). */
  readonly remaining: readonly { readonly currency: CurrencyCode; readonly balance: number }[];
};
