import type { Document, Filter, FindCursor } from 'mongodb';
import type { InvoiceFact, PaymentFact } from '../kpis/kpis.js';
import type { LedgerFilter, LedgerReader } from '../ports/ledger-reader.port.js';
import type { InvoiceDoc, Models, PaymentDoc } from './models.js';

/** Tuning of {@link MongoLedgerReader}. */
export interface MongoLedgerReaderOptions {
  /** Documents per server round trip. */
  readonly batchSize?: number;
}

const DEFAULT_BATCH_SIZE = 10_000;

type InvoiceRow = Pick<InvoiceDoc, '_id' | 'debtorId' | 'amount' | 'currency' | 'issuedAt' | 'dueAt'>;
type PaymentRow = Pick<PaymentDoc, 'invoiceId' | 'amount' | 'paidAt'>;

/**
 * Reads KPI facts from the native collections behind the mongoose models: projected to the
 * fields the KPIs use, in large batches, without mongoose documents, each batch requested
 * before the previous one is folded.
 *
 * Payments are read as ledger entries, not summed by the database: on FerretDB v1 a `$match` +
 * `$group`/`$sum` by invoice over ~78k entries took about 100 s, against about 5 s to stream
 * them. FerretDB (SQLite) pushes no filter but `_id` equality down, so each query here scans
 * its whole collection whatever the filter; MongoDB uses the `issuedAt`/`paidAt` indexes for
 * past as-of dates.
 */
export class MongoLedgerReader implements LedgerReader {
  private readonly batchSize: number;

  constructor(
    private readonly models: Pick<Models, 'Invoice' | 'Payment'>,
    options: MongoLedgerReaderOptions = {},
  ) {
    this.batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
  }

  payments(filter: LedgerFilter): AsyncIterable<readonly PaymentFact[]> {
    const query: Filter<Document> = { paidAt: { $lte: filter.asOf } };
    if (filter.currency) query.currency = filter.currency;
    const cursor = this.models.Payment.collection.find<PaymentRow>(query, {
      projection: { _id: 0, invoiceId: 1, amount: 1, paidAt: 1 },
      batchSize: this.batchSize,
    });
    return chunks(cursor, (d): PaymentFact => ({ invoiceId: d.invoiceId, amount: d.amount, paidAt: d.paidAt }));
  }

  invoices(filter: LedgerFilter): AsyncIterable<readonly InvoiceFact[]> {
    const query: Filter<Document> = { issuedAt: { $lte: filter.asOf } };
    if (filter.currency) query.currency = filter.currency;
    const cursor = this.models.Invoice.collection.find<InvoiceRow>(query, {
      projection: { _id: 1, debtorId: 1, amount: 1, currency: 1, issuedAt: 1, dueAt: 1 },
      batchSize: this.batchSize,
    });
    return chunks(
      cursor,
      (d): InvoiceFact => ({
        invoiceId: d._id,
        debtorId: d.debtorId,
        amount: d.amount,
        currency: d.currency,
        issuedAt: d.issuedAt,
        dueAt: d.dueAt,
      }),
    );
  }
}

/**
 * Yields each server batch as one array (one await per batch instead of one per document), and
 * asks for the next batch before handing this one over, so the server works on batch n+1 while
 * the caller folds batch n.
 */
async function* chunks<D extends Document, F>(cursor: FindCursor<D>, toFact: (doc: D) => F): AsyncGenerator<F[]> {
  let pending: Promise<boolean> | undefined = inFlight(cursor.hasNext());
  try {
    for (;;) {
      const more: boolean = await pending;
      pending = undefined;
      if (!more) return;
      const first = await cursor.next();
      const rest = cursor.readBufferedDocuments();
      pending = inFlight(cursor.hasNext());
      const out: F[] = new Array<F>(rest.length + 1);
      out[0] = toFact(first!);
      for (let i = 0; i < rest.length; i++) out[i + 1] = toFact(rest[i]!);
      yield out;
    }
  } finally {
    // A consumer that stops early leaves a getMore in flight: let it land before closing.
    if (pending) await Promise.allSettled([pending]);
    await cursor.close();
  }
}

/**
 * Marks a request whose outcome is awaited later as handled now: while the consumer is busy
 * elsewhere (the KPI report reads payments while invoices wait), a failure would otherwise be
 * reported as an unhandled rejection. The error still surfaces at the later `await`.
 */
function inFlight<T>(request: Promise<T>): Promise<T> {
  void Promise.allSettled([request]);
  return request;
}
