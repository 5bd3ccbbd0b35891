import { MongoBulkWriteError } from 'mongodb';
import type { Invoice, Payment, PaymentSource } from '../domain/portfolio.js';
import type { AccountLedger } from '../ports/account-ledger.port.js';
import { nativeCollection } from './conversation-models.js';
import { PORTFOLIO_CACHE_MS } from './mongo-debtor-directory.js';
import { paymentDoc, type Models } from './models.js';
import { changeCounter, sharedReadCache, type ChangeCounter, type ReadCache } from './read-cache.js';

const DUPLICATE_KEY = 11000;

/**
 * {@link AccountLedger} over the `invoices` and `payments` collections. Entries are inserted
 * by `_id`; a duplicate key is an entry already written (by an earlier call or a racing one).
 *
 * The balance a conversation shows is read here: an invoice list by `debtorId`, entries by
 * `invoiceId`, each a scan of its collection on FerretDB (an index serves MongoDB). Reads
 * answer from what this process read before, shared by every instance on the connection,
 * until the portfolio is written: a payment recorded here drops the entries of its invoices
 * at once; an import, or any write of another process (seen through the `portfolio`
 * {@link ChangeCounter} within about a second), drops everything. {@link PORTFOLIO_CACHE_MS}
 * bounds how long an entry is kept regardless.
 */
export class MongoAccountLedger implements AccountLedger {
  private readonly changes: ChangeCounter;
  private readonly invoices: ReadCache<string, readonly Invoice[]>;
  private readonly entries: ReadCache<string, readonly Payment[]>;

  constructor(private readonly models: Pick<Models, 'Invoice' | 'Payment'>) {
    this.changes = changeCounter(models.Invoice.db, 'portfolio');
    const options = { maxEntries: 10_000, ttlMs: PORTFOLIO_CACHE_MS, counter: this.changes, refresh: false };
    this.invoices = sharedReadCache(models.Invoice.db, 'ledger.invoices', options);
    this.entries = sharedReadCache(models.Invoice.db, 'ledger.entries', options);
  }

  async invoicesOf(debtorId: string): Promise<Invoice[]> {
    return [...(await this.invoices.read(debtorId, () => this.readInvoices(debtorId)))];
  }

  async entriesFor(invoiceIds: readonly string[]): Promise<Payment[]> {
    if (!invoiceIds.length) return [];
    const ids = [...new Set(invoiceIds)].sort();
    return [...(await this.entries.read(ids.join('\u0000'), () => this.readEntries(ids)))];
  }

  private async readInvoices(debtorId: string): Promise<Invoice[]> {
    const docs = await nativeCollection(this.models.Invoice).find({ debtorId }).toArray();
    return docs.map((d) => ({
      invoiceId: d._id,
      debtorId: d.debtorId,
      amount: d.amount,
      currency: d.currency,
      issuedAt: d.issuedAt,
      dueAt: d.dueAt,
    }));
  }

  private async readEntries(invoiceIds: readonly string[]): Promise<Payment[]> {
    const docs = await nativeCollection(this.models.Payment)
      .find({ invoiceId: { $in: [...invoiceIds] } })
      .toArray();
    return docs.map((d) => ({
      paymentId: d._id,
      invoiceId: d.invoiceId,
      debtorId: d.debtorId,
      amount: d.amount,
      currency: d.currency,
      paidAt: d.paidAt,
      source: d.source as PaymentSource,
      recordedAt: d.recordedAt,
    }));
  }

  async record(entries: readonly Payment[]): Promise<number> {
    if (!entries.length) return 0;
    try {
      return await this.insert(entries);
    } finally {
      // The entries of these invoices changed, nothing else: other debtors' balances stay cached.
      const invoiceIds = new Set(entries.map((e) => e.invoiceId));
      this.entries.deleteWhere((key) => key.split('\u0000').some((id) => invoiceIds.has(id)));
      await this.changes.publish();
    }
  }

  private async insert(entries: readonly Payment[]): Promise<number> {
    try {
      const result = await nativeCollection(this.models.Payment).insertMany(
        entries.map(paymentDoc),
        { ordered: false },
      );
      return result.insertedCount;
    } catch (error) {
      if (!(error instanceof MongoBulkWriteError)) throw error;
      const errors = Array.isArray(error.writeErrors) ? error.writeErrors : [error.writeErrors];
      // Only "already written" is expected; anything else is a real failure.
      if (!errors.length || errors.some((e) => e.code !== DUPLICATE_KEY)) throw error;
      return entries.length - errors.length;
    }
  }
}
