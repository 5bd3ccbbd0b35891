import { forgetReads } from '../../core/infra/read-cache.js';
import type { Model } from 'mongoose';
import type { ChannelId, ConversationKey } from '../../core/domain/conversation.js';
import type { DebtorNotice } from '../../core/domain/debtor-notice.js';
import { conversationModelsFor } from '../../core/infra/conversation-models.js';
import type { Database } from '../../core/infra/database.js';
import { HmacLinkTokenSigner } from '../../core/infra/hmac-link-token-signer.js';
import { LocalPaymentGateway } from '../../core/infra/local-payment-gateway.js';
import { mongoConversationStores, type MongoConversationStores } from '../../core/infra/mongo-conversation-stores.js';
import type { Clock } from '../../core/ports/clock.port.js';
import type { Messenger, NoticeDelivery } from '../../core/ports/messenger.port.js';
import { createDebtorAssistant } from '../../core/services/create-debtor-assistant.js';
import type { DebtorAssistant } from '../../core/services/debtor-assistant.js';
import { createLocalPayments, type LocalPayments } from '../../core/services/local-payments.js';

/** A clock that stands still until a test moves it. */
export class FakeClock implements Clock {
  private current: number;
  constructor(iso: string) {
    this.current = Date.parse(iso);
  }
  now(): Date {
    return new Date(this.current);
  }
  set(iso: string): void {
    this.current = Date.parse(iso);
  }
  advance(ms: number): void {
    this.current += ms;
  }
}

/** A Messenger at the network edge: records every notice, answers what the test says. */
export class RecordingMessenger implements Messenger {
  /** Every call, including those that then failed. */
  readonly sent: { debtorId: string; notice: DebtorNotice }[] = [];
  /** What the next calls answer; a function may throw, as a failing channel would. */
  answer: () => NoticeDelivery = () => ({ ok: true, value: { channel: 'webchat' } });
  async notifyDebtor(debtorId: string, notice: DebtorNotice): Promise<NoticeDelivery> {
    this.sent.push({ debtorId, notice });
    return this.answer();
  }
}

export const PUBLIC_URL = 'http://pay.test';
export const SECRET = Buffer.from('0123456789abcdef0123456789abcdef');
/** 2026-03-10 05:30 UTC is still 2026-03-09 in Mexico City (UTC-6) and New York (UTC-4 after 03-08). */
export const NOW = '2026-03-10T05:30:00Z';

/**
 * The portfolio of these tests. Ana (es, MX) owes MXN and USD:
 * - M1 MXN 12,000.00 issued 02-01 due 02-15, 400.00 paid on import: 11,600.00 open, 22 days overdue
 * - M2 MXN 250.50 issued 03-01 due 03-31: open, due in 22 days
 * - U1 USD 80.00 issued 02-10 due 02-20, 30.00 manual + 10.00 local paid: 40.00 open, 17 days overdue
 * - P1 MXN 300.00 paid in full: closed
 * - F1 MXN 500.00 issued 2026-04-01: not issued yet on 03-09
 * John (en, US) owes E1 USD 1,234.56 due 03-01. Paz owes nothing.
 */
export async function seedPortfolio(db: Database): Promise<void> {
  const { Debtor, Invoice, Payment } = db.models;
  await Debtor.insertMany([
    {
      _id: 'D-ES',
      name: 'Ana López',
      phone: '+525512345678',
      documentId: 'LOPA800101MDFPRN07',
      language: 'es',
      timezone: 'America/Mexico_City',
      country: 'MX',
      telegramUserId: '111222333',
    },
    { _id: 'D-EN', name: 'John Smith', phone: '+14155552671', documentId: '123-45-6789', language: 'en', timezone: 'America/New_York', country: 'US' },
    { _id: 'D-PAID', name: 'Paz Díaz', phone: '+525587654321', documentId: 'X1234', language: 'es', timezone: 'America/Mexico_City', country: 'MX' },
  ]);
  await Invoice.insertMany([
    { _id: 'M1', debtorId: 'D-ES', amount: 1_200_000, currency: 'MXN', issuedAt: '2026-02-01', dueAt: '2026-02-15' },
    { _id: 'M2', debtorId: 'D-ES', amount: 25_050, currency: 'MXN', issuedAt: '2026-03-01', dueAt: '2026-03-31' },
    { _id: 'U1', debtorId: 'D-ES', amount: 8_000, currency: 'USD', issuedAt: '2026-02-10', dueAt: '2026-02-20' },
    { _id: 'P1', debtorId: 'D-ES', amount: 30_000, currency: 'MXN', issuedAt: '2026-01-05', dueAt: '2026-01-20' },
    { _id: 'F1', debtorId: 'D-ES', amount: 50_000, currency: 'MXN', issuedAt: '2026-04-01', dueAt: '2026-04-30' },
    { _id: 'E1', debtorId: 'D-EN', amount: 123_456, currency: 'USD', issuedAt: '2026-02-01', dueAt: '2026-03-01' },
    { _id: 'Z1', debtorId: 'D-PAID', amount: 10_000, currency: 'MXN', issuedAt: '2026-01-01', dueAt: '2026-01-31' },
  ]);
  const recordedAt = new Date('2026-03-01T00:00:00Z');
  await Payment.insertMany([
    { _id: 'import:M1:0', invoiceId: 'M1', debtorId: 'D-ES', amount: 40_000, currency: 'MXN', paidAt: '2026-02-10', source: 'import', recordedAt },
    { _id: 'manual:U1', invoiceId: 'U1', debtorId: 'D-ES', amount: 3_000, currency: 'USD', paidAt: '2026-02-25', source: 'manual', recordedAt },
    { _id: 'local:x:U1', invoiceId: 'U1', debtorId: 'D-ES', amount: 1_000, currency: 'USD', paidAt: '2026-03-02', source: 'local', recordedAt },
    { _id: 'import:P1:0', invoiceId: 'P1', debtorId: 'D-ES', amount: 30_000, currency: 'MXN', paidAt: '2026-01-18', source: 'import', recordedAt },
    { _id: 'import:Z1:0', invoiceId: 'Z1', debtorId: 'D-PAID', amount: 10_000, currency: 'MXN', paidAt: '2026-01-30', source: 'import', recordedAt },
  ]);
}

/** Empties the portfolio and every conversation collection. */
export async function clearAll(db: Database): Promise<void> {
  const models: Model<unknown>[] = [...Object.values(db.models), ...Object.values(conversationModelsFor(db.connection))];
  await Promise.all(models.map((m) => m.deleteMany({})));
  // Emptied around the repositories: what their caches read is gone.
  forgetReads(db.connection);
}

/** An assistant and the local payments on the test database, sharing one clock and messenger. */
export interface Harness {
  readonly assistant: DebtorAssistant;
  readonly payments: LocalPayments;
  readonly stores: MongoConversationStores;
  readonly clock: FakeClock;
  readonly messenger: RecordingMessenger;
}

export function harness(db: Database, clock = new FakeClock(NOW), messenger = new RecordingMessenger()): Harness {
  const stores = mongoConversationStores(db);
  const assistant = createDebtorAssistant({
    creditorName: 'Colegio Azul',
    clock,
    linkTokens: new HmacLinkTokenSigner(SECRET),
    debtors: stores.debtors,
    ledger: stores.ledger,
    payments: new LocalPaymentGateway(stores.paymentLinks, PUBLIC_URL),
    promises: stores.promises,
    disputes: stores.disputes,
    holds: stores.holds,
    handoffs: stores.handoffs,
    consents: stores.consents,
    verificationAttempts: stores.verificationAttempts,
    transcripts: stores.transcripts,
    conversationReferences: stores.conversationReferences,
  });
  const payments = createLocalPayments({
    creditorName: 'Colegio Azul',
    clock,
    debtors: stores.debtors,
    ledger: stores.ledger,
    links: stores.paymentLinks,
    messenger,
  });
  return { assistant, payments, stores, clock, messenger };
}

/** A conversation key on `channel`. */
export function keyOf(conversationId: string, userId = `u-${conversationId}`, channel: ChannelId = 'webchat'): ConversationKey {
  return { channel, conversationId, userId };
}

/** The token of a `/pay/TOKEN` URL. */
export function tokenOf(url: string): string {
  const m = /^http:\/\/pay\.test\/pay\/([A-Za-z0-9_-]+)$/.exec(url);
  if (!m?.[1]) throw new Error(`not a local pay URL: ${url}`);
  return m[1];
}
