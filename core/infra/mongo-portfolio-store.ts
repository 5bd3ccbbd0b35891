import { MongoBulkWriteError, type AnyBulkWriteOperation, type Collection, type Filter, type OptionalId, type UpdateFilter } from 'mongodb';
import type { Model } from 'mongoose';
import type { Debtor, Invoice, Language, Payment } from '../domain/portfolio.js';
import type { ImportedPaymentState, PortfolioBatch, PortfolioStore, StoredIds } from '../ports/portfolio-store.port.js';
import { paymentDoc, type DebtorDoc, type InvoiceDoc, type Models, type PaymentDoc } from './models.js';
import { changeCounter } from './read-cache.js';

const DUPLICATE_KEY = 11000;

/**
 * {@link PortfolioStore} over the mongoose models' native collections: imports move many
 * documents, and mongoose's per-document casting would cost more than the writes.
 *
 * New documents are inserted (an upsert is a read-modify-write on FerretDB, many times slower);
 * one that another writer inserted meanwhile is upserted instead. Ledger entries are inserted
 * by their id and a duplicate key means the entry is already written.
 */
export class MongoPortfolioStore implements PortfolioStore {
  constructor(private readonly models: Models) {}

  async findDebtors(debtorIds: readonly string[]): Promise<Map<string, Debtor>> {
    const found = new Map<string, Debtor>();
    if (!debtorIds.length) return found;
    const docs = await this.collection(this.models.Debtor)
      .find({ _id: { $in: [...debtorIds] } }, { projection: { createdAt: 0, updatedAt: 0 } })
      .toArray();
    for (const doc of docs) found.set(doc._id, toDebtor(doc));
    return found;
  }

  async findInvoices(invoiceIds: readonly string[]): Promise<Map<string, Invoice>> {
    const found = new Map<string, Invoice>();
    if (!invoiceIds.length) return found;
    const docs = await this.collection(this.models.Invoice)
      .find({ _id: { $in: [...invoiceIds] } }, { projection: { createdAt: 0, updatedAt: 0 } })
      .toArray();
    for (const doc of docs) {
      found.set(doc._id, {
        invoiceId: doc._id,
        debtorId: doc.debtorId,
        amount: doc.amount,
        currency: doc.currency,
        issuedAt: doc.issuedAt,
        dueAt: doc.dueAt,
      });
    }
    return found;
  }

  async importedPayments(invoiceIds: readonly string[]): Promise<Map<string, ImportedPaymentState>> {
    const states = new Map<string, ImportedPaymentState>();
    if (!invoiceIds.length) return states;
    const docs = await this.collection(this.models.Payment)
      .find({ invoiceId: { $in: [...invoiceIds] }, source: 'import' }, { projection: { invoiceId: 1, amount: 1, currency: 1, paidAt: 1 } })
      .toArray();
    const byInvoice = new Map<string, { seq: number; doc: (typeof docs)[number] }[]>();
    for (const doc of docs) {
      const seq = Number(doc._id.slice(doc._id.lastIndexOf(':') + 1));
      const list = byInvoice.get(doc.invoiceId) ?? [];
      list.push({ seq: Number.isInteger(seq) ? seq : -1, doc });
      byInvoice.set(doc.invoiceId, list);
    }
    for (const [invoiceId, list] of byInvoice) {
      list.sort((a, b) => a.seq - b.seq);
      const amount = list.reduce((sum, { doc }) => sum + doc.amount, 0);
      const lastPositive = list.findLast(({ doc }) => doc.amount > 0);
      const last = list[list.length - 1];
      states.set(invoiceId, {
        invoiceId,
        amount,
        ...(amount !== 0 && lastPositive ? { paidAt: lastPositive.doc.paidAt } : {}),
        ...(last ? { currency: last.doc.currency } : {}),
        // The next sequence number follows the highest one written, even if one is missing.
        entries: Math.max(list.length, (last?.seq ?? -1) + 1),
      });
    }
    return states;
  }

  async apply(batch: PortfolioBatch): Promise<void> {
    const now = new Date();
    try {
      await Promise.all([
        this.upsert(this.collection(this.models.Debtor), batch.newDebtors ?? [], batch.debtors, debtorFields, now),
        this.upsert(this.collection(this.models.Invoice), batch.newInvoices ?? [], batch.invoices, invoiceFields, now),
        this.insertPayments(batch.payments),
      ]);
    } finally {
      // Balances and profiles read before this batch are stale for every reader of this process.
      await changeCounter(this.models.Debtor.db, 'portfolio').bump();
    }
  }

  async isEmpty(): Promise<boolean> {
    return !(await this.collection(this.models.Debtor).findOne({}, { projection: { _id: 1 } }));
  }

  async storedIds(limit: number): Promise<StoredIds> {
    const list = async <D extends { _id: string }>(model: Model<D>, filter: Filter<D>, key: (doc: D) => string) => {
      const docs = await this.collection(model)
        .find(filter, { projection: { _id: 1, invoiceId: 1 } })
        .limit(limit + 1)
        .toArray();
      return docs.length > limit ? undefined : new Set(docs.map((doc) => key(doc as D)));
    };
    const [debtors, invoices, importedPaymentInvoices] = await Promise.all([
      list(this.models.Debtor, {}, (doc) => doc._id),
      list(this.models.Invoice, {}, (doc) => doc._id),
      list(this.models.Payment, { source: 'import' }, (doc) => doc.invoiceId),
    ]);
    return {
      ...(debtors ? { debtors } : {}),
      ...(invoices ? { invoices } : {}),
      ...(importedPaymentInvoices ? { importedPaymentInvoices } : {}),
    };
  }

  /** Inserts `fresh` and upserts `changed`; a fresh one that exists by now is upserted too. */
  private async upsert<D extends { _id: string; createdAt?: Date; updatedAt?: Date }, T>(
    collection: Collection<D>,
    fresh: readonly T[],
    changed: readonly T[],
    fields: (item: T) => D,
    now: Date,
  ): Promise<void> {
    const update = (item: T): AnyBulkWriteOperation<D> => {
      const { _id, ...set } = fields(item);
      return {
        updateOne: {
          // The generic D hides that these are D's own fields.
          filter: { _id } as Filter<D>,
          update: { $set: { ...set, updatedAt: now }, $setOnInsert: { createdAt: now } } as unknown as UpdateFilter<D>,
          upsert: true,
        },
      };
    };
    const ops: AnyBulkWriteOperation<D>[] = [];
    for (const item of fresh) {
      ops.push({ insertOne: { document: { ...fields(item), createdAt: now, updatedAt: now } as unknown as OptionalId<D> } });
    }
    for (const item of changed) ops.push(update(item));
    if (!ops.length) return;
    try {
      await collection.bulkWrite(ops, { ordered: false });
    } catch (error) {
      // Another writer inserted some of the "new" documents first (or raced our upsert, which
      // MongoDB reports as a duplicate key): write ours over them. Anything else is rethrown.
      const retry = [...duplicateKeyIndexes(error, ops.length)].map((index) =>
        update((index < fresh.length ? fresh[index] : changed[index - fresh.length]) as T),
      );
      await collection.bulkWrite(retry, { ordered: false });
    }
  }

  private async insertPayments(payments: readonly Payment[]): Promise<void> {
    if (!payments.length) return;
    const ops: AnyBulkWriteOperation<PaymentDoc>[] = payments.map((p) => ({ insertOne: { document: paymentDoc(p) } }));
    try {
      await this.collection(this.models.Payment).bulkWrite(ops, { ordered: false });
    } catch (error) {
      // The ledger is exactly-once by id: an entry that exists was written by another worker.
      // Any other failure is rethrown.
      duplicateKeyIndexes(error, ops.length);
    }
  }

  private collection<D extends { _id: string }>(model: Model<D>): Collection<D> {
    const db = model.db.db;
    if (!db) throw new Error(`MongoPortfolioStore: the connection of ${model.modelName} is not open`);
    return db.collection<D>(model.collection.collectionName);
  }
}

/** Indexes of the operations that failed with a duplicate key; rethrows anything else. */
function duplicateKeyIndexes(error: unknown, opCount: number): Set<number> {
  if (!(error instanceof MongoBulkWriteError)) throw error;
  const errors = Array.isArray(error.writeErrors) ? error.writeErrors : [error.writeErrors];
  const indexes = new Set<number>();
  for (const writeError of errors) {
    if (writeError.code !== DUPLICATE_KEY || writeError.index >= opCount) throw error;
    indexes.add(writeError.index);
  }
  // A bulk error without write errors is a failure of the whole command.
  if (!indexes.size) throw error;
  return indexes;
}

function toDebtor(doc: DebtorDoc): Debtor {
  return {
    debtorId: doc._id,
    name: doc.name,
    ...(doc.phone != null ? { phone: doc.phone } : {}),
    ...(doc.email != null ? { email: doc.email } : {}),
    ...(doc.documentId != null ? { documentId: doc.documentId } : {}),
    language: doc.language as Language,
    timezone: doc.timezone,
    ...(doc.country != null ? { country: doc.country } : {}),
    ...(doc.telegramUserId != null ? { telegramUserId: doc.telegramUserId } : {}),
  };
}

function debtorFields(d: Debtor): DebtorDoc {
  const doc: DebtorDoc = { _id: d.debtorId, name: d.name, language: d.language, timezone: d.timezone };
  if (d.phone !== undefined) doc.phone = d.phone;
  if (d.email !== undefined) doc.email = d.email;
  if (d.documentId !== undefined) doc.documentId = d.documentId;
  if (d.country !== undefined) doc.country = d.country;
  if (d.telegramUserId !== undefined) doc.telegramUserId = d.telegramUserId;
  return doc;
}

function invoiceFields(i: Invoice): InvoiceDoc {
  return { _id: i.invoiceId, debtorId: i.debtorId, amount: i.amount, currency: i.currency, issuedAt: i.issuedAt, dueAt: i.dueAt };
}
