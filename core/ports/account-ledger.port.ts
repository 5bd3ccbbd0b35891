import type { Invoice, Payment } from '../domain/portfolio.js';

/**
 * One debtor's invoices and the payment ledger entries against them: what balances derive
 * from. Entries are immutable and keyed by `paymentId`: recording one that exists is a no-op,
 * which makes every payment exactly-once however often it is recorded.
 */
export interface AccountLedger {
  /** Every invoice of the debtor, whatever its balance or date. */
  invoicesOf(debtorId: string): Promise<Invoice[]>;
  /** Every ledger entry (all sources, reversals included) of these invoices. */
  entriesFor(invoiceIds: readonly string[]): Promise<Payment[]>;
  /** Inserts the entries; returns how many were new (the others existed already). */
  record(entries: readonly Payment[]): Promise<number>;
}
