import type { CurrencyCode } from '../domain/currency.js';
import type { Debtor, Invoice, Payment } from '../domain/portfolio.js';

/** Net of the entries an import wrote for one invoice ("paid before import"). */
export interface ImportedPaymentState {
  readonly invoiceId: string;
  /** Sum of the import entries, minor units. */
  readonly amount: number;
  /** Date of the latest positive import entry, when the net is not zero. */
  readonly paidAt?: string;
  /** Currency of the latest import entry (a reversal must be in the currency it reverses). */
  readonly currency?: CurrencyCode;
  /** Number of import entries so far; the next entry's sequence number. */
  readonly entries: number;
}

/** One batch of changes an import applies together. */
export interface PortfolioBatch {
  /** Debtors to upsert whole (the import found them stored, or could not tell). */
  readonly debtors: readonly Debtor[];
  /** Invoices to upsert whole. */
  readonly invoices: readonly Invoice[];
  /** Ledger entries to insert; one whose `paymentId` exists is already written. */
  readonly payments: readonly Payment[];
  /**
   * Debtors the import found not stored: inserted, which is much cheaper than an upsert on
   * some backends. One that another writer stored meanwhile is upserted instead.
   */
  readonly newDebtors?: readonly Debtor[];
  /** Invoices the import found not stored; as {@link PortfolioBatch.newDebtors}. */
  readonly newInvoices?: readonly Invoice[];
}

/**
 * The ids stored when an import starts, for collections small enough to list; a collection
 * with more than the limit asked for is absent (its ids must be looked up batch by batch).
 */
export interface StoredIds {
  readonly debtors?: ReadonlySet<string>;
  readonly invoices?: ReadonlySet<string>;
  /** Invoices with at least one ledger entry of source `import`. */
  readonly importedPaymentInvoices?: ReadonlySet<string>;
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
  /**
   * The ids stored now, per collection, when it holds at most `limit` of them. An import need
   * not look up ids it has not written itself and that were not there at its start: where
   * every look-up scans the collection (FerretDB), importing into an empty or small portfolio
   * then costs its writes only.
   */
  storedIds(limit: number): Promise<StoredIds>;
}
