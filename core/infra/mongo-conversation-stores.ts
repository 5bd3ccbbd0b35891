import type { Database } from './database.js';
import { MongoAccountLedger } from './mongo-account-ledger.js';
import { MongoCollectionHolds } from './mongo-collection-holds.js';
import { MongoConsentRepository } from './mongo-consent-repository.js';
import { MongoConversationReferences } from './mongo-conversation-references.js';
import { MongoDebtorDirectory } from './mongo-debtor-directory.js';
import { MongoDisputeRepository } from './mongo-dispute-repository.js';
import { MongoHandoffRepository } from './mongo-handoff-repository.js';
import { MongoPaymentLinkRepository } from './mongo-payment-link-repository.js';
import { MongoPromiseRepository } from './mongo-promise-repository.js';
import { MongoTranscriptRepository } from './mongo-transcript-repository.js';
import { MongoVerificationAttempts } from './mongo-verification-attempts.js';

/** Every MongoDB repository conversations use, on one database. */
export interface MongoConversationStores {
  readonly debtors: MongoDebtorDirectory;
  readonly ledger: MongoAccountLedger;
  readonly promises: MongoPromiseRepository;
  readonly disputes: MongoDisputeRepository;
  readonly holds: MongoCollectionHolds;
  readonly handoffs: MongoHandoffRepository;
  readonly consents: MongoConsentRepository;
  readonly verificationAttempts: MongoVerificationAttempts;
  readonly transcripts: MongoTranscriptRepository;
  readonly conversationReferences: MongoConversationReferences;
  readonly paymentLinks: MongoPaymentLinkRepository;
}

/** The conversation repositories of `db` (cheap: models register once per connection). */
export function mongoConversationStores(db: Database): MongoConversationStores {
  const conn = db.connection;
  return {
    debtors: new MongoDebtorDirectory(db.models),
    ledger: new MongoAccountLedger(db.models),
    promises: new MongoPromiseRepository(conn),
    disputes: new MongoDisputeRepository(conn),
    holds: new MongoCollectionHolds(conn),
    handoffs: new MongoHandoffRepository(conn),
    consents: new MongoConsentRepository(conn),
    verificationAttempts: new MongoVerificationAttempts(conn),
    transcripts: new MongoTranscriptRepository(conn),
    conversationReferences: new MongoConversationReferences(conn),
    paymentLinks: new MongoPaymentLinkRepository(conn),
  };
}
