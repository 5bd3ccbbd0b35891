import { createHash } from 'node:crypto';
import type { Debtor, Invoice, Language, Payment } from '../domain/portfolio.js';
import type { ImportedPaymentState, PortfolioStore, StoredIds } from '../ports/portfolio-store.port.js';
import { missingColumns } from './import/columns.js';
import { ImportFileError, MissingColumnError, ROW_PROBLEM, type ReadRow } from './import/errors.js';
import { mergeDebtor, planImportedPayment, sameDebtor, sameInvoice } from './import/portfolio-changes.js';
import { debtorKey, RowParser, type DebtorInput, type FieldRejection, type InvoiceInput, type RowPart } from './import/row-parser.js';

export { ImportFileError, MissingColumnError } from './import/errors.js';
export { parseCsv } from './import/parse-csv.js';

/** How {@link importPortfolio} runs. */
export interface ImportOptions {
  /** Compute the report without writing anything. */
  dryRun?: boolean;
  /** Language and time zone of a new debtor whose rows leave them empty. */
  defaults: { language: Language; timezone: string };
  /** Rows read, checked and written together (default 1000). */
  batchSize?: number;
}

/** Distinct records by what the import did to them. */
export interface ImportCounts {
  /** Not stored before this import. */
  created: number;
  /** Stored before and changed by this import. */
  updated: number;
  unchanged: number;
}

/** A refused row: 1-based data row (the header is not counted), the column and why. */
export interface ImportRejection {
  row: number;
  column: string;
  error: string;
}

/** What an import did: the JSON of CONTRACT.md section 3. */
export interface ImportReport {
  debtors: ImportCounts;
  invoices: ImportCounts;
  rejected: ImportRejection[];
}

const DEFAULT_BATCH_SIZE = 1000;
/** Up to this many stored ids per collection are listed up front instead of looked up per batch. */
const STORED_IDS_LIMIT = 100_000;

type Status = keyof ImportCounts;

/** A row that passed field validation and waits for its batch. */
interface PendingRow {
  readonly row: number;
  readonly debtor: DebtorInput;
  /** Digest of the row's debtor cells: equal digests need no second look. */
  readonly debtorDigest: string;
  readonly invoice: InvoiceInput;
}

interface SeenDebtor {
  status: Status;
  /** Digest of the debtor cells last applied. */
  digest: string;
}

interface TouchedDebtor {
  /** As stored when the batch started (undefined: not stored, or not looked up because known absent). */
  readonly base: Debtor | undefined;
  doc: Debtor;
  digest: string;
}

type Settled = { readonly error: unknown } | null;

/**
 * Imports a portfolio (CONTRACT.md section 3): validates every row, upserts debtors by
 * `debtorId` and invoices by `invoiceId`, and records "paid before import" in the payment
 * ledger. Rows stream through in batches: per batch one look-up per collection and one bulk
 * write per collection, so memory holds a batch plus one small entry per distinct id.
 *
 * A row with any invalid field is rejected whole (every invalid field is reported); the other
 * rows land. Importing the same rows again changes nothing and reports everything unchanged.
 * Throws {@link MissingColumnError} (nothing written) when the first row lacks a required
 * column, and {@link ImportFileError} when the reader finds the file broken part-way.
 *
 * @example
 * const report = await importPortfolio(parseCsv(createReadStream(file)), store, {
 *   defaults: { language: 'es', timezone: 'America/Mexico_City' },
 * });
 */
export async function importPortfolio(
  rows: AsyncIterable<Record<string, unknown>> | Iterable<Record<string, unknown>>,
  store: PortfolioStore,
  options: ImportOptions,
): Promise<ImportReport> {
  return new ImportRun(store, options).execute(rows);
}

class ImportRun {
  private readonly report: ImportReport = {
    debtors: { created: 0, updated: 0, unchanged: 0 },
    invoices: { created: 0, updated: 0, unchanged: 0 },
    rejected: [],
  };
  private readonly parser = new RowParser();
  private readonly batchSize: number;
  private readonly seenDebtors = new Map<string, SeenDebtor>();
  /** Invoices accepted so far: their first row and debtor, for the duplicate check. */
  private readonly seenInvoices = new Map<string, { readonly row: number; readonly debtorId: string }>();
  private batch: PendingRow[] = [];
  /** Debtor cells already parsed in this batch (a debtor repeats on consecutive rows). */
  private debtorCache = new Map<string, { readonly part: RowPart<DebtorInput>; readonly digest: string }>();
  /** Ids stored when the import started, per collection small enough to list. */
  private stored: StoredIds = {};
  /** The previous batch's write, overlapping with reading and checking the next batch. */
  private writing: Promise<Settled> | undefined;

  constructor(
    private readonly store: PortfolioStore,
    private readonly options: ImportOptions,
  ) {
    this.batchSize = Math.max(1, Math.floor(options.batchSize ?? DEFAULT_BATCH_SIZE));
  }

  async execute(rows: AsyncIterable<Record<string, unknown>> | Iterable<Record<string, unknown>>): Promise<ImportReport> {
    let row = 0;
    try {
      for await (const raw of rows) {
        row++;
        if (row === 1) {
          const missing = isRecord(raw) ? missingColumns((column) => Object.hasOwn(raw, column)) : missingColumns(() => false);
          if (missing.length) throw new MissingColumnError(missing);
          this.stored = await this.store.storedIds(STORED_IDS_LIMIT);
        }
        this.accept(raw, row);
        if (this.batch.length >= this.batchSize) await this.flush();
      }
    } catch (error) {
      // Rows before a broken part of the file stand on their own: land them, as a re-import of
      // the mended file would, and say so.
      if (error instanceof ImportFileError) {
        await this.flush();
        await this.settle();
        const done = this.options.dryRun ? 'checked' : 'imported';
        const before = row === 0 ? `nothing was ${done}` : `the rows before it were ${done}, none after it`;
        throw new ImportFileError(`${error.message} (data row ${row + 1}; ${before})`, { cause: error });
      }
      await this.settle();
      throw error;
    }
    await this.flush();
    await this.settle();
    this.report.rejected.sort((a, b) => a.row - b.row);
    return this.report;
  }

  /** Validates one row's fields; a valid row joins the batch. */
  private accept(raw: unknown, row: number): void {
    if (!isRecord(raw)) {
      this.reject(row, [{ column: '', error: `not a row of named values: ${JSON.stringify(raw) ?? String(raw)}` }]);
      return;
    }
    const problem = (raw as ReadRow)[ROW_PROBLEM];
    if (problem) {
      this.reject(row, [{ column: '', error: problem }]);
      return;
    }
    if (isBlank(raw)) return;

    const key = debtorKey(raw);
    let debtor = key === undefined ? undefined : this.debtorCache.get(key);
    if (!debtor) {
      debtor = { part: this.parser.parseDebtor(raw), digest: digest(key ?? '') };
      if (key !== undefined) this.debtorCache.set(key, debtor);
    }
    const invoice = this.parser.parseInvoice(raw, debtor.part.ok ? debtor.part.value.debtorId : '');
    if (!debtor.part.ok || !invoice.ok) {
      this.reject(row, [...(debtor.part.ok ? [] : debtor.part.rejections), ...(invoice.ok ? [] : invoice.rejections)]);
      return;
    }
    this.batch.push({ row, debtor: debtor.part.value, debtorDigest: debtor.digest, invoice: invoice.value });
  }

  /** Looks the batch's ids up, decides what changes, counts, and starts the batch's write. */
  private async flush(): Promise<void> {
    const batch = this.batch;
    this.batch = [];
    this.debtorCache = new Map();
    if (!batch.length) return;
    // Look-ups must see the previous batch's writes.
    await this.settle();

    // Only ids that may be stored need a look-up: those this import wrote, those stored at its
    // start, or all of them when there were too many to list.
    const { debtors: storedDebtorIds, invoices: storedInvoiceIds, importedPaymentInvoices } = this.stored;
    const debtorIds = new Set<string>();
    const invoiceIds = new Set<string>();
    const ledgerIds = new Set<string>();
    for (const { debtor, debtorDigest, invoice } of batch) {
      const seen = this.seenDebtors.get(debtor.debtorId);
      if (seen ? seen.digest !== debtorDigest : !storedDebtorIds || storedDebtorIds.has(debtor.debtorId)) debtorIds.add(debtor.debtorId);
      const { invoiceId } = invoice.invoice;
      // An invoice accepted earlier in this import is a duplicate whatever is stored.
      if (this.seenInvoices.has(invoiceId)) continue;
      if (!storedInvoiceIds || storedInvoiceIds.has(invoiceId)) invoiceIds.add(invoiceId);
      if (!importedPaymentInvoices || importedPaymentInvoices.has(invoiceId)) ledgerIds.add(invoiceId);
    }
    const none = <T>(): Promise<Map<string, T>> => Promise.resolve(new Map<string, T>());
    const [storedDebtors, storedInvoices, ledger] = await Promise.all([
      debtorIds.size ? this.store.findDebtors([...debtorIds]) : none<Debtor>(),
      invoiceIds.size ? this.store.findInvoices([...invoiceIds]) : none<Invoice>(),
      ledgerIds.size ? this.store.importedPayments([...ledgerIds]) : none<ImportedPaymentState>(),
    ]);

    const now = new Date();
    const touched = new Map<string, TouchedDebtor>();
    const newInvoices: Invoice[] = [];
    const changedInvoices: Invoice[] = [];
    const payments: Payment[] = [];

    for (const pending of batch) {
      const { invoice } = pending.invoice;
      const rejection = this.ownershipProblem(invoice, storedInvoices.get(invoice.invoiceId));
      if (rejection) {
        this.reject(pending.row, [rejection]);
        continue;
      }
      this.seenInvoices.set(invoice.invoiceId, { row: pending.row, debtorId: invoice.debtorId });

      const { debtor } = pending;
      const seen = this.seenDebtors.get(debtor.debtorId);
      const current = touched.get(debtor.debtorId);
      if (current) {
        current.doc = mergeDebtor(current.doc, debtor, this.options.defaults);
        current.digest = pending.debtorDigest;
      } else if (!seen || seen.digest !== pending.debtorDigest) {
        const base = storedDebtors.get(debtor.debtorId);
        touched.set(debtor.debtorId, { base, doc: mergeDebtor(base, debtor, this.options.defaults), digest: pending.debtorDigest });
      }

      const stored = storedInvoices.get(invoice.invoiceId);
      const entries = planImportedPayment(invoice, { amount: pending.invoice.paidAmount, paidAt: pending.invoice.paidAt }, ledger.get(invoice.invoiceId), now);
      payments.push(...entries);
      if (!stored) {
        newInvoices.push(invoice);
        this.report.invoices.created++;
      } else {
        const changed = !sameInvoice(stored, invoice);
        if (changed) changedInvoices.push(invoice);
        this.report.invoices[changed || entries.length ? 'updated' : 'unchanged']++;
      }
    }

    const newDebtors: Debtor[] = [];
    const changedDebtors: Debtor[] = [];
    for (const [debtorId, { base, doc, digest: lastDigest }] of touched) {
      const changed = !base || !sameDebtor(base, doc);
      const seen = this.seenDebtors.get(debtorId);
      if (!seen) {
        const status: Status = !base ? 'created' : changed ? 'updated' : 'unchanged';
        this.report.debtors[status]++;
        this.seenDebtors.set(debtorId, { status, digest: lastDigest });
      } else {
        // Status is relative to before the import: only an untouched debtor can become updated.
        if (seen.status === 'unchanged' && changed) {
          seen.status = 'updated';
          this.report.debtors.unchanged--;
          this.report.debtors.updated++;
        }
        seen.digest = lastDigest;
      }
      if (changed) (base ? changedDebtors : newDebtors).push(doc);
    }

    if (this.options.dryRun) return;
    if (!newDebtors.length && !changedDebtors.length && !newInvoices.length && !changedInvoices.length && !payments.length) return;
    this.writing = this.store
      .apply({ debtors: changedDebtors, newDebtors, invoices: changedInvoices, newInvoices, payments })
      .then(
        (): Settled => null,
        (error: unknown): Settled => ({ error }),
      );
  }

  /** Waits for the write in flight; rethrows its failure. */
  private async settle(): Promise<void> {
    const writing = this.writing;
    this.writing = undefined;
    const outcome = await writing;
    if (outcome) throw outcome.error;
  }

  /** Why an invoice id cannot take this row: a duplicate in the file, or owned by another debtor. */
  private ownershipProblem(invoice: Invoice, stored: Invoice | undefined): FieldRejection | undefined {
    const earlier = this.seenInvoices.get(invoice.invoiceId);
    if (earlier) {
      return {
        column: 'invoice_id',
        error:
          earlier.debtorId === invoice.debtorId
            ? `duplicate invoice_id ${invoice.invoiceId}: already on row ${earlier.row}`
            : `duplicate invoice_id ${invoice.invoiceId}: row ${earlier.row} gives it to debtor ${earlier.debtorId}, this row to ${invoice.debtorId}`,
      };
    }
    if (stored && stored.debtorId !== invoice.debtorId) {
      return {
        column: 'invoice_id',
        error: `invoice_id ${invoice.invoiceId} belongs to debtor ${stored.debtorId}, not ${invoice.debtorId}`,
      };
    }
    return undefined;
  }

  private reject(row: number, rejections: readonly FieldRejection[]): void {
    for (const { column, error } of rejections) this.report.rejected.push({ row, column, error });
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A row with no value at all (a blank line, a spreadsheet's empty row) is skipped, not rejected. */
function isBlank(row: Record<string, unknown>): boolean {
  for (const value of Object.values(row)) {
    if (value !== undefined && value !== null && !(typeof value === 'string' && value.trim() === '')) return false;
  }
  return true;
}

/** A short digest kept per distinct debtor instead of its cells. */
function digest(text: string): string {
  return createHash('sha1').update(text).digest('base64');
}
