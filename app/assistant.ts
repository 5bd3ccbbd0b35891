import type { CollectionPolicy } from '../core/domain/collection-policy.js';
import { HmacLinkTokenSigner } from '../core/infra/hmac-link-token-signer.js';
import { LocalPaymentGateway } from '../core/infra/local-payment-gateway.js';
import { mongoConversationStores } from '../core/infra/mongo-conversation-stores.js';
import { getOrCreateSecret } from '../core/infra/server-secrets.js';
import { systemClock } from '../core/infra/system-clock.js';
import type { Clock } from '../core/ports/clock.port.js';
import type { Messenger } from '../core/ports/messenger.port.js';
import { createDebtorAssistant } from '../core/services/create-debtor-assistant.js';
import type { DebtorAssistant } from '../core/services/debtor-assistant.js';
import { createLocalPayments, type LocalPayments } from '../core/services/local-payments.js';
import type { Runtime } from './runtime.js';

/** The creditor named when no name is configured. */
export const DEFAULT_CREDITOR_NAME = 'Cobrabot Demo';

/** Name of the database-held secret (`settings` collection) that signs chat links. */
const LINK_TOKEN_SECRET = 'link-token';

/** Choices of {@link buildDebtorAssistant} and {@link buildLocalPayments}; all optional. */
export interface AssistantOptions {
  /** Named in every first message and on the pay page; default {@link DEFAULT_CREDITOR_NAME}. */
  readonly creditorName?: string;
  /**
   * Signs chat links; default a random secret generated once and kept in the database, so
   * every process on it accepts the links of the others and links survive restarts.
   */
  readonly linkTokenSecret?: Uint8Array;
  readonly clock?: Clock;
  readonly policy?: CollectionPolicy;
}

/**
 * The {@link DebtorAssistant} on the runtime's database, paying through the local demo
 * provider at `PUBLIC_URL/pay/TOKEN`. Receipts of those payments are sent by the pay page's
 * service ({@link buildLocalPayments}).
 *
 * @example
 * const assistant = buildDebtorAssistant(runtime, { creditorName: 'Colegio Azul' });
 */
export function buildDebtorAssistant(runtime: Runtime, options: AssistantOptions = {}): DebtorAssistant {
  const stores = mongoConversationStores(runtime.db);
  const secret = options.linkTokenSecret;
  return createDebtorAssistant({
    creditorName: options.creditorName ?? DEFAULT_CREDITOR_NAME,
    clock: options.clock ?? systemClock,
    ...(options.policy ? { policy: options.policy } : {}),
    linkTokens: new HmacLinkTokenSigner(secret ?? (async () => Buffer.from(await getOrCreateSecret(runtime.db, LINK_TOKEN_SECRET), 'utf8'))),
    debtors: stores.debtors,
    ledger: stores.ledger,
    payments: new LocalPaymentGateway(stores.paymentLinks, runtime.config.publicUrl),
    promises: stores.promises,
    disputes: stores.disputes,
    holds: stores.holds,
    handoffs: stores.handoffs,
    consents: stores.consents,
    verificationAttempts: stores.verificationAttempts,
    transcripts: stores.transcripts,
    conversationReferences: stores.conversationReferences,
  });
}

/**
 * The local demo provider's payments on the runtime's database: what `/pay/TOKEN` shows and
 * does (app/http/pay-page.route.ts). Receipts go out through `messenger`.
 */
export function buildLocalPayments(runtime: Runtime, messenger: Messenger, options: Pick<AssistantOptions, 'creditorName' | 'clock'> = {}): LocalPayments {
  const stores = mongoConversationStores(runtime.db);
  return createLocalPayments({
    creditorName: options.creditorName ?? DEFAULT_CREDITOR_NAME,
    clock: options.clock ?? systemClock,
    debtors: stores.debtors,
    ledger: stores.ledger,
    links: stores.paymentLinks,
    messenger,
  });
}
