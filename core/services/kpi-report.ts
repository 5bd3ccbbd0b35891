import type { CalendarDate } from '../domain/calendar-date.js';
import type { CurrencyCode } from '../domain/currency.js';
import { KpiAccumulator, type InvoiceFact, type KpiFigures, type KpiReport } from '../kpis/kpis.js';
import type { LedgerFilter, LedgerReader } from '../ports/ledger-reader.port.js';

/** What a KPI report is asked for. */
export interface KpiReportRequest {
  readonly asOf: CalendarDate;
  readonly currency?: CurrencyCode;
}

/** Tuning of {@link computeKpiReport}. */
export interface KpiReportOptions {
  /**
   * Invoice facts read ahead while payments are still streaming (default 50 000, about 12 MiB).
   * Reading both at once keeps two cursors busy on the database (on FerretDB, where every query
   * scans its whole table, this cuts the report's time by about a fifth); the bound keeps memory
   * flat whatever the size of the portfolio. 0 reads strictly one after the other.
   */
  readonly invoiceReadAhead?: number;
}

const DEFAULT_INVOICE_READ_AHEAD = 50_000;

/**
 * The KPIs of CONTRACT.md section 4 on `asOf`: without a currency, one object per currency keyed
 * by its code (`{}` for an empty portfolio); with one, that currency's object (zeros and nulls
 * when it has nothing).
 *
 * One pass over the ledger: every payment first (a paid sum per invoice), then the invoices, each
 * folded into the totals as it streams by.
 */
export async function computeKpiReport(
  reader: LedgerReader,
  request: { asOf: CalendarDate; currency: CurrencyCode },
  options?: KpiReportOptions,
): Promise<KpiFigures>;
export async function computeKpiReport(
  reader: LedgerReader,
  request: { asOf: CalendarDate; currency?: undefined },
  options?: KpiReportOptions,
): Promise<KpiReport>;
export async function computeKpiReport(reader: LedgerReader, request: KpiReportRequest, options?: KpiReportOptions): Promise<KpiReport | KpiFigures>;
export async function computeKpiReport(
  reader: LedgerReader,
  request: KpiReportRequest,
  options: KpiReportOptions = {},
): Promise<KpiReport | KpiFigures> {
  const filter: LedgerFilter = request.currency ? { asOf: request.asOf, currency: request.currency } : { asOf: request.asOf };
  const accumulator = new KpiAccumulator(request.asOf);
  const invoices = readAhead(reader.invoices(filter), options.invoiceReadAhead ?? DEFAULT_INVOICE_READ_AHEAD);
  try {
    for await (const chunk of reader.payments(filter)) {
      for (const payment of chunk) accumulator.addPayment(payment);
    }
    for await (const chunk of invoices.chunks()) {
      for (const invoice of chunk) accumulator.addInvoice(invoice);
    }
  } finally {
    await invoices.close();
  }
  return request.currency ? accumulator.figures(request.currency) : accumulator.report();
}

/** A stream of invoice chunks that starts filling a bounded buffer at once. */
interface ReadAhead {
  chunks(): AsyncIterable<readonly InvoiceFact[]>;
  /** Stops reading and releases the source (its cursor), whether or not it was drained. */
  close(): Promise<void>;
}

/**
 * Pulls up to `limit` facts from `source` in the background, then pauses until `chunks()` is
 * iterated. The buffer is the only memory the overlap costs: `limit` facts, never the portfolio.
 */
function readAhead(source: AsyncIterable<readonly InvoiceFact[]>, limit: number): ReadAhead {
  const iterator = source[Symbol.asyncIterator]();
  const buffered: (readonly InvoiceFact[])[] = [];
  let count = 0;
  let done = false;
  let stopped = false;
  const fill = async (): Promise<void> => {
    while (!done && !stopped && count < limit) {
      const next = await iterator.next();
      if (next.done) done = true;
      else {
        buffered.push(next.value);
        count += next.value.length;
      }
    }
  };
  const filling = fill();
  // Its failure is rethrown where `filling` is awaited; until then, it is not "unhandled".
  void Promise.allSettled([filling]);
  return {
    async *chunks() {
      await filling;
      for (const chunk of buffered.splice(0)) yield chunk;
      while (!done) {
        const next = await iterator.next();
        if (next.done) done = true;
        else yield next.value;
      }
    },
    async close() {
      stopped = true;
      await Promise.allSettled([filling]);
      if (!done) {
        done = true;
        await iterator.return?.();
      }
    },
  };
}
