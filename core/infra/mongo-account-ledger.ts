import { MongoBulkWriteError } from 'mongodb';
import type { Invoice, Payment, PaymentSource } from '../domain/portfolio.js';
import type { AccountLedger } from '../ports/account-ledger.port.js';
import { nativeCollection } from './conversation-models.js';
import type { Models } from './models.js';

const DUPLICATE_KEY = 11000;

/**
 * {@link AccountLedger} over the `invoices` and `payments` collections. Entries are inserted
 * by `_id`; a duplicate key is an entry already written (by an earlier call or a racing one).
 */
export class MongoAccountLedger implements AccountLedger {
  constructor(private readonly models: Pick<Models, 'Invoice' | 'Payment'>) {}

  async invoicesOf(debtorId: string): Promise<Invoice[]> {
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

  async entriesFor(invoiceIds: readonly string[]): Promise<Payment[]> {
    if (!invoiceIds.length) return [];
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
      const result = await nativeCollection(this.models.Payment).insertMany(
        entries.map((p) => ({
          _id: p.paymentId,
          invoiceId: p.invoiceId,
          debtorId: p.debtorId,
          amount: p.amount,
          currency: p.currency,
          paidAt: p.paidAt,
          source: p.source,
          recordedAt: p.recordedAt,
        })),
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
