import { Schema, type Connection, type Model } from 'mongoose';
import type { Payment } from '../domain/portfolio.js';

/** Stored shape of a debtor: `_id` is the creditor's `debtor_id`. */
export interface DebtorDoc {
  _id: string;
  name: string;
  phone?: string;
  email?: string;
  documentId?: string;
  language: string;
  timezone: string;
  country?: string;
  telegramUserId?: string;
  createdAt?: Date;
  updatedAt?: Date;
}

/** Stored shape of an invoice: `_id` is the creditor's `invoice_id`; amounts in minor units. */
export interface InvoiceDoc {
  _id: string;
  debtorId: string;
  amount: number;
  currency: string;
  /** `YYYY-MM-DD`: calendar dates sort as strings. */
  issuedAt: string;
  dueAt: string;
  createdAt?: Date;
  updatedAt?: Date;
}

/** Stored shape of a ledger entry: `_id` is its idempotency key. Never updated. */
export interface PaymentDoc {
  _id: string;
  invoiceId: string;
  debtorId: string;
  amount: number;
  currency: string;
  paidAt: string;
  source: string;
  recordedAt: Date;
}

/** A ledger entry as stored. */
export function paymentDoc(p: Payment): PaymentDoc {
  return {
    _id: p.paymentId,
    invoiceId: p.invoiceId,
    debtorId: p.debtorId,
    amount: p.amount,
    currency: p.currency,
    paidAt: p.paidAt,
    source: p.source,
    recordedAt: p.recordedAt,
  };
}

const debtorSchema = new Schema<DebtorDoc>(
  {
    _id: { type: String, required: true },
    name: { type: String, required: true },
    phone: String,
    email: String,
    documentId: String,
    language: { type: String, required: true },
    timezone: { type: String, required: true },
    country: String,
    telegramUserId: String,
  },
  { collection: 'debtors', versionKey: false, timestamps: true },
);
debtorSchema.index({ phone: 1 });
debtorSchema.index({ telegramUserId: 1 });

const invoiceSchema = new Schema<InvoiceDoc>(
  {
    _id: { type: String, required: true },
    debtorId: { type: String, required: true },
    amount: { type: Number, required: true },
    currency: { type: String, required: true },
    issuedAt: { type: String, required: true },
    dueAt: { type: String, required: true },
  },
  { collection: 'invoices', versionKey: false, timestamps: true },
);
invoiceSchema.index({ debtorId: 1 });
invoiceSchema.index({ issuedAt: 1 });
invoiceSchema.index({ dueAt: 1 });

const paymentSchema = new Schema<PaymentDoc>(
  {
    _id: { type: String, required: true },
    invoiceId: { type: String, required: true },
    debtorId: { type: String, required: true },
    amount: { type: Number, required: true },
    currency: { type: String, required: true },
    paidAt: { type: String, required: true },
    source: { type: String, required: true },
    recordedAt: { type: Date, required: true },
  },
  { collection: 'payments', versionKey: false },
);
paymentSchema.index({ invoiceId: 1 });
paymentSchema.index({ debtorId: 1 });
paymentSchema.index({ paidAt: 1 });

/** The models of one connection. */
export interface Models {
  readonly Debtor: Model<DebtorDoc>;
  readonly Invoice: Model<InvoiceDoc>;
  readonly Payment: Model<PaymentDoc>;
}

/** Registers the models on `conn` (idempotent per connection). */
export function modelsFor(conn: Connection): Models {
  return {
    Debtor: conn.models.Debtor ?? conn.model<DebtorDoc>('Debtor', debtorSchema),
    Invoice: conn.models.Invoice ?? conn.model<InvoiceDoc>('Invoice', invoiceSchema),
    Payment: conn.models.Payment ?? conn.model<PaymentDoc>('Payment', paymentSchema),
  } as Models;
}
