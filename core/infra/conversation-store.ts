import type { Collection } from 'mongodb';
import type { Connection } from 'mongoose';
import {
  conversationModelsFor,
  ensureConversationIndexes,
  type CollectionHoldDoc,
  type ConsentRefusalDoc,
  type ConversationModels,
  type ConversationReferenceDoc,
  type LatestConversationReferenceDoc,
  type DisputeDoc,
  type HandoffDoc,
  type PaymentLinkDoc,
  type PromiseDoc,
  type ReceiptClaimDoc,
  type TranscriptDoc,
  type VerificationAttemptDoc,
} from './conversation-models.js';

/** The stored document type of each conversation model. */
interface ConversationDocs {
  VerificationAttempt: VerificationAttemptDoc;
  PaymentPromise: PromiseDoc;
  Dispute: DisputeDoc;
  CollectionHold: CollectionHoldDoc;
  Handoff: HandoffDoc;
  ConsentRefusal: ConsentRefusalDoc;
  Transcript: TranscriptDoc;
  ConversationReference: ConversationReferenceDoc;
  LatestConversationReference: LatestConversationReferenceDoc;
  PaymentLink: PaymentLinkDoc;
  ReceiptClaim: ReceiptClaimDoc;
}

/**
 * Base of the conversation repositories: the native collections of {@link ConversationModels},
 * handed out once their indexes exist.
 */
export abstract class ConversationStore {
  protected readonly models: ConversationModels;

  constructor(protected readonly connection: Connection) {
    this.models = conversationModelsFor(connection);
  }

  protected async collection<K extends keyof ConversationModels & keyof ConversationDocs>(name: K): Promise<Collection<ConversationDocs[K]>> {
    await ensureConversationIndexes(this.connection);
    const model = this.models[name];
    const db = model.db.db;
    if (!db) throw new Error(`the connection of ${model.modelName} is not open`);
    return db.collection<ConversationDocs[K]>(model.collection.collectionName);
  }
}
