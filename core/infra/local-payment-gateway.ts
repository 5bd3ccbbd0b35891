import { randomBytes } from 'node:crypto';
import type { CreatedPaymentLink, PaymentGateway, PaymentLinkRequest } from '../ports/payment-gateway.port.js';
import type { PaymentLinkRepository } from '../ports/payment-link-repository.port.js';

/** 128 random bits, base64url: as unguessable as a Stripe Checkout id, and URL-safe. */
function randomToken(): string {
  return randomBytes(16).toString('base64url');
}

/**
 * The `local` provider of CONTRACT.md section 7: a stored link paid on the demo page
 * `PUBLIC_URL/pay/TOKEN` (app/http/pay-page.route.ts), which records the ledger entries itself
 * (`completeLocalPayment`). No money moves: it is for demos and tests only.
 */
export class LocalPaymentGateway implements PaymentGateway {
  readonly provider = 'local' as const;
  private readonly base: string;

  constructor(
    private readonly links: PaymentLinkRepository,
    publicUrl: string,
    private readonly newToken: () => string = randomToken,
  ) {
    this.base = publicUrl.replace(/\/+$/, '');
  }

  async createPaymentLink(request: PaymentLinkRequest): Promise<CreatedPaymentLink> {
    const token = this.newToken();
    await this.links.create({ token, provider: 'local', ...request });
    return { token, url: `${this.base}/pay/${token}` };
  }
}
