import type { CurrencyCode } from '../domain/currency.js';

/** One invoice's share of a payment link, minor units. */
export interface PaymentAllocation {
  readonly invoiceId: string;
  readonly amount: number;
}

/** A payment link as stored: what its token pays, for whom, until when. */
export interface PaymentLinkRecord {
  /** Unguessable; the `/pay/TOKEN` path segment. */
  readonly token: string;
  readonly provider: 'local' | 'stripe';
  readonly debtorId: string;
  readonly currency: CurrencyCode;
  /** Minor units: the sum of the allocations. */
  readonly amount: number;
  readonly invoices: readonly PaymentAllocation[];
  readonly createdAt: Date;
  readonly expiresAt: Date;
  /** When it was paid; absent while open. */
  readonly paidAt?: Date;
}

/** Stores payment links and claims the one receipt each payment sends. */
export interface PaymentLinkRepository {
  create(link: PaymentLinkRecord): Promise<void>;
  find(token: string): Promise<PaymentLinkRecord | undefined>;
  /** Marks the link paid; a link already paid keeps its first `paidAt`. */
  markPaid(token: string, at: Date): Promise<void>;
  /** Claims the right to send the link's receipt: true for exactly one caller. */
  claimReceipt(token: string, at: Date): Promise<boolean>;
  /** Gives a claim back after the receipt could not be sent, so a retry may send it. */
  releaseReceipt(token: string): Promise<void>;
}
