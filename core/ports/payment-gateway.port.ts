import type { CurrencyCode } from '../domain/currency.js';
import type { PaymentAllocation } from './payment-link-repository.port.js';

/** What a payment link must collect. */
export interface PaymentLinkRequest {
  readonly debtorId: string;
  readonly currency: CurrencyCode;
  /** Minor units: the sum of the allocations. */
  readonly amount: number;
  readonly invoices: readonly PaymentAllocation[];
  readonly createdAt: Date;
  readonly expiresAt: Date;
}

/** A link the debtor opens to pay. */
export interface CreatedPaymentLink {
  readonly url: string;
  readonly token: string;
}

/**
 * A payment provider (CONTRACT.md section 7): `local` (the demo page `/pay/TOKEN`) or
 * `stripe`. The payment itself reaches the ledger later, through the provider's confirmation.
 */
export interface PaymentGateway {
  readonly provider: 'local' | 'stripe';
  createPaymentLink(request: PaymentLinkRequest): Promise<CreatedPaymentLink>;
}
