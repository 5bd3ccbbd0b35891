import type { PaymentLinkRecord, PaymentLinkRepository } from '../ports/payment-link-repository.port.js';
import { insertOnce, type PaymentLinkDoc } from './conversation-models.js';
import { ConversationStore } from './conversation-store.js';

/**
 * {@link PaymentLinkRepository} in `payment_links` (`_id` is the token) and
 * `payment_link_receipts` (one claim per token: who sends the receipt).
 */
export class MongoPaymentLinkRepository extends ConversationStore implements PaymentLinkRepository {
  async create(link: PaymentLinkRecord): Promise<void> {
    const inserted = await insertOnce(await this.collection('PaymentLink'), {
      _id: link.token,
      provider: link.provider,
      debtorId: link.debtorId,
      currency: link.currency,
      amount: link.amount,
      invoices: link.invoices.map((a) => ({ invoiceId: a.invoiceId, amount: a.amount })),
      createdAt: link.createdAt,
      expiresAt: link.expiresAt,
    });
    if (!inserted) throw new Error('MongoPaymentLinkRepository: payment link token used twice');
  }

  async find(token: string): Promise<PaymentLinkRecord | undefined> {
    const doc = await (await this.collection('PaymentLink')).findOne({ _id: token });
    return doc ? toRecord(doc) : undefined;
  }

  async markPaid(token: string, at: Date): Promise<void> {
    await (await this.collection('PaymentLink')).updateOne({ _id: token, paidAt: { $exists: false } }, { $set: { paidAt: at } });
  }

  async claimReceipt(token: string, at: Date): Promise<boolean> {
    return insertOnce(await this.collection('ReceiptClaim'), { _id: token, at });
  }

  async releaseReceipt(token: string): Promise<void> {
    await (await this.collection('ReceiptClaim')).deleteOne({ _id: token });
  }
}

function toRecord(d: PaymentLinkDoc): PaymentLinkRecord {
  return {
    token: d._id,
    provider: d.provider === 'stripe' ? 'stripe' : 'local',
    debtorId: d.debtorId,
    currency: d.currency,
    amount: d.amount,
    invoices: d.invoices.map((a) => ({ invoiceId: a.invoiceId, amount: a.amount })),
    createdAt: d.createdAt,
    expiresAt: d.expiresAt,
    ...(d.paidAt != null ? { paidAt: d.paidAt } : {}),
  };
}
