import type { CalendarDate } from '../domain/calendar-date.js';
import type { CurrencyCode } from '../domain/currency.js';
import type { InvoiceFact, PaymentFact } from '../kpis/kpis.js';

/** Which part of the ledger a KPI report reads. */
export interface LedgerFilter {
  /** The as-of date D: only payments dated, and invoices issued, on or before it. */
  readonly asOf: CalendarDate;
  /** Only this currency's invoices and payments; every currency when absent. */
  readonly currency?: CurrencyCode;
}

/**
 * Streams the facts the KPIs need, straight from storage, so a report over a portfolio of any
 * size never holds all its invoices at once.
 *
 * Facts come in chunks (arrays in storage order, typically one database batch each) rather
 * than one by one: the per-item await of an async iterator would cost more than the KPI
 * arithmetic itself. Implementations may return more than the filter asks (the KPIs ignore
 * facts dated after D and currencies not asked for) but never less.
 *
 * @example
 * for await (const chunk of reader.payments({ asOf: '2026-03-31' })) {
 *   for (const payment of chunk) accumulator.addPayment(payment);
 * }
 */
export interface LedgerReader {
  /** Ledger entries (reversals included) dated on or before `asOf`. */
  payments(filter: LedgerFilter): AsyncIterable<readonly PaymentFact[]>;
  /** Invoices issued on or before `asOf`, whatever their balance. */
  invoices(filter: LedgerFilter): AsyncIterable<readonly InvoiceFact[]>;
}
