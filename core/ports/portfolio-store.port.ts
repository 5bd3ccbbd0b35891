import type { Debtor, Invoice, Payment } from '../domain/portfolio.js';

/** Net of the entries an import wrote for one invoice ("paid before import"). */
export interface ImportedPaymentState {
  readonly invoiceId: string;
  /** Sum of the import entries, minor units. */
  readonly amount: number;
  /** Date of the latest positive import entry, when the net is not zero. */
  readonly paidAt?: string;
  /** Number of import entries so far; the next entry's sequence number. */
  readonly entries: number;
}

/** One batch of changes an import applies together. */
export interface PortfolioBatch {
  readonly debtors: readonly Debtor[];
  readonly invoices: readonly Invoice[];
  readonly payments: readonly Payment[];
}

/**
 * Reads and writes debtors, invoices and the payment ledger in batches, for imports.
 * Implementations upsert by `debtorId` and `invoiceId` and insert ledger entries by their
 * `paymentId`, treating an entry that already exists as written (another worker got there).
 */
export interface PortfolioStore {
  findDebtors(debtorIds: readonly string[]): Promise<Map<string, Debtor>>;
  findInvoices(invoiceIds: readonly string[]): Promise<Map<string, Invoice>>;
  importedPayments(invoiceIds: readonly string[]): Promise<Map<string, ImportedPaymentState>>;
  apply(batch: PortfolioBatch): Promise<void>;
  /** True when no debtor is stored. */
  isEmpty(): Promise<boolean>;
}
