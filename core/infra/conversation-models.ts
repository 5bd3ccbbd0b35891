import { MongoServerError, type Collection, type OptionalUnlessRequiredId } from 'mongodb';
import { Schema, type Connection, type Model } from 'mongoose';

/** A failed identity check or a success, one document per attempt. */
export interface VerificationAttemptDoc {
  _id: string;
  conversation: string;
  debtorId: string;
  ok: boolean;
  at: Date;
}

/** A promise to pay; `_id` is its idempotency key. */
export interface PromiseDoc {
  _id: string;
  debtorId: string;
  date: string;
  amount: number;
  currency: string;
  createdAt: Date;
}

/** Where a conversation took place, as stored on its records. */
export interface ConversationKeyDoc {
  channel: string;
  conversationId: string;
  userId: string;
}

/** A dispute; `reason` already has card numbers redacted. */
export interface DisputeDoc {
  _id: string;
  debtorId: string;
  key: ConversationKeyDoc;
  reason: string;
  openedAt: Date;
  status: string;
}

/** A paused collection: `_id` is the debtor id, so a debtor has at most one hold. */
export interface CollectionHoldDoc {
  _id: string;
  reason: string;
  since: Date;
  disputeId?: string;
}

/** Who answers a conversation; `_id` is `conversationKeyId(key)`. */
export interface HandoffDoc {
  _id: string;
  key: ConversationKeyDoc;
  state: string;
  reason: string;
  debtorId?: string;
  queuedAt: Date;
  updatedAt: Date;
}

/** A refusal of automatic messages; `_id` is `<channel>:<kind>:<id>`, one per subject and channel. */
export interface ConsentRefusalDoc {
  _id: string;
  channel: string;
  kind: string;
  subjectId: string;
  conversationId: string;
  userId: string;
  at: Date;
}

/** One message of a transcript. */
export interface TranscriptDoc {
  _id: string;
  conversation: string;
  key: ConversationKeyDoc;
  direction: string;
  text: string;
  debtorId?: string;
  author?: string;
  at: Date;
}

/**
 * The latest conversation reference of a debtor on a channel; `_id` is `<channel>:<debtorId>`.
 * The reference is kept as a JSON string: FerretDB rejects keys with `.` or a leading `$`,
 * and a channel's reference is not ours to constrain.
 */
export interface ConversationReferenceDoc {
  _id: string;
  debtorId: string;
  channel: string;
  json: string;
  userId?: string;
  savedAt: Date;
}

/**
 * The most recently saved conversation reference of a debtor on any channel; `_id` is the
 * debtor id. A copy of the newest {@link ConversationReferenceDoc}, so that "where do notices
 * go" and "is this still where the debtor talks" are one `_id` look-up.
 */
export type LatestConversationReferenceDoc = ConversationReferenceDoc;

/** A payment link; `_id` is its token. */
export interface PaymentLinkDoc {
  _id: string;
  provider: string;
  debtorId: string;
  currency: string;
  amount: number;
  invoices: { invoiceId: string; amount: number }[];
  createdAt: Date;
  expiresAt: Date;
  paidAt?: Date;
}

/** The claim on a payment link's receipt; `_id` is the link's token. */
export interface ReceiptClaimDoc {
  _id: string;
  at: Date;
}

const options = { versionKey: false as const, _id: false as const };
const keySchema = new Schema<ConversationKeyDoc>(
  { channel: { type: String, required: true }, conversationId: { type: String, required: true }, userId: { type: String, required: true } },
  options,
);

function schema<D>(collection: string, definition: ConstructorParameters<typeof Schema<D>>[0]): Schema<D> {
  return new Schema<D>({ _id: { type: String, required: true }, ...definition }, { collection, versionKey: false });
}

const verificationAttemptSchema = schema<VerificationAttemptDoc>('verification_attempts', {
  conversation: { type: String, required: true },
  debtorId: { type: String, required: true },
  ok: { type: Boolean, required: true },
  at: { type: Date, required: true },
});
verificationAttemptSchema.index({ conversation: 1, at: 1 });
verificationAttemptSchema.index({ debtorId: 1, at: 1 });

const promiseSchema = schema<PromiseDoc>('payment_promises', {
  debtorId: { type: String, required: true },
  date: { type: String, required: true },
  amount: { type: Number, required: true },
  currency: { type: String, required: true },
  createdAt: { type: Date, required: true },
});
promiseSchema.index({ debtorId: 1 });
promiseSchema.index({ date: 1 });

const disputeSchema = schema<DisputeDoc>('disputes', {
  debtorId: { type: String, required: true },
  key: { type: keySchema, required: true },
  reason: { type: String, required: true },
  openedAt: { type: Date, required: true },
  status: { type: String, required: true },
});
disputeSchema.index({ debtorId: 1 });

const collectionHoldSchema = schema<CollectionHoldDoc>('collection_holds', {
  reason: { type: String, required: true },
  since: { type: Date, required: true },
  disputeId: String,
});

const handoffSchema = schema<HandoffDoc>('handoffs', {
  key: { type: keySchema, required: true },
  state: { type: String, required: true },
  reason: { type: String, required: true },
  debtorId: String,
  queuedAt: { type: Date, required: true },
  updatedAt: { type: Date, required: true },
});
handoffSchema.index({ state: 1, queuedAt: 1 });

const consentRefusalSchema = schema<ConsentRefusalDoc>('consent_refusals', {
  channel: { type: String, required: true },
  kind: { type: String, required: true },
  subjectId: { type: String, required: true },
  conversationId: { type: String, required: true },
  userId: { type: String, required: true },
  at: { type: Date, required: true },
});

const transcriptSchema = schema<TranscriptDoc>('transcripts', {
  conversation: { type: String, required: true },
  key: { type: keySchema, required: true },
  direction: { type: String, required: true },
  text: { type: String, required: true },
  debtorId: String,
  author: String,
  at: { type: Date, required: true },
});
transcriptSchema.index({ conversation: 1, at: 1 });
transcriptSchema.index({ debtorId: 1, at: 1 });

const conversationReferenceSchema = schema<ConversationReferenceDoc>('conversation_references', {
  debtorId: { type: String, required: true },
  channel: { type: String, required: true },
  json: { type: String, required: true },
  userId: String,
  savedAt: { type: Date, required: true },
});
conversationReferenceSchema.index({ debtorId: 1, savedAt: -1 });

const latestConversationReferenceSchema = schema<LatestConversationReferenceDoc>('latest_conversation_references', {
  debtorId: { type: String, required: true },
  channel: { type: String, required: true },
  json: { type: String, required: true },
  userId: String,
  savedAt: { type: Date, required: true },
});

const paymentLinkSchema = schema<PaymentLinkDoc>('payment_links', {
  provider: { type: String, required: true },
  debtorId: { type: String, required: true },
  currency: { type: String, required: true },
  amount: { type: Number, required: true },
  invoices: { type: [new Schema({ invoiceId: { type: String, required: true }, amount: { type: Number, required: true } }, options)], required: true },
  createdAt: { type: Date, required: true },
  expiresAt: { type: Date, required: true },
  paidAt: Date,
});
paymentLinkSchema.index({ debtorId: 1 });

const receiptClaimSchema = schema<ReceiptClaimDoc>('payment_link_receipts', { at: { type: Date, required: true } });

/** The models of conversations, verification, promises, disputes and payment links on one connection. */
export interface ConversationModels {
  readonly VerificationAttempt: Model<VerificationAttemptDoc>;
  readonly PaymentPromise: Model<PromiseDoc>;
  readonly Dispute: Model<DisputeDoc>;
  readonly CollectionHold: Model<CollectionHoldDoc>;
  readonly Handoff: Model<HandoffDoc>;
  readonly ConsentRefusal: Model<ConsentRefusalDoc>;
  readonly Transcript: Model<TranscriptDoc>;
  readonly ConversationReference: Model<ConversationReferenceDoc>;
  readonly LatestConversationReference: Model<LatestConversationReferenceDoc>;
  readonly PaymentLink: Model<PaymentLinkDoc>;
  readonly ReceiptClaim: Model<ReceiptClaimDoc>;
}

function model<D>(conn: Connection, name: string, s: Schema<D>): Model<D> {
  return (conn.models[name] as Model<D> | undefined) ?? conn.model<D>(name, s);
}

/** Registers the conversation models on `conn` (idempotent per connection). */
export function conversationModelsFor(conn: Connection): ConversationModels {
  return {
    VerificationAttempt: model(conn, 'VerificationAttempt', verificationAttemptSchema),
    PaymentPromise: model(conn, 'PaymentPromise', promiseSchema),
    Dispute: model(conn, 'Dispute', disputeSchema),
    CollectionHold: model(conn, 'CollectionHold', collectionHoldSchema),
    Handoff: model(conn, 'Handoff', handoffSchema),
    ConsentRefusal: model(conn, 'ConsentRefusal', consentRefusalSchema),
    Transcript: model(conn, 'Transcript', transcriptSchema),
    ConversationReference: model(conn, 'ConversationReference', conversationReferenceSchema),
    LatestConversationReference: model(conn, 'LatestConversationReference', latestConversationReferenceSchema),
    PaymentLink: model(conn, 'PaymentLink', paymentLinkSchema),
    ReceiptClaim: model(conn, 'ReceiptClaim', receiptClaimSchema),
  };
}

const indexesReady = new WeakMap<Connection, Promise<void>>();

/**
 * Creates the conversation models' indexes once per connection (the connection is opened with
 * `autoIndex: false`, and the assistant is built synchronously). A failure is forgotten, so the
 * next call tries again. The indexes serve look-ups only: every uniqueness rule here rests on `_id`.
 */
export function ensureConversationIndexes(conn: Connection): Promise<void> {
  let ready = indexesReady.get(conn);
  if (!ready) {
    const models = conversationModelsFor(conn);
    ready = Promise.all(Object.values(models).map((m: Model<unknown>) => m.createIndexes())).then(() => undefined);
    indexesReady.set(conn, ready);
    ready.catch(() => indexesReady.delete(conn));
  }
  return ready;
}

/** The native driver collection behind `model`, typed by its document. */
export function nativeCollection<D extends { _id: string }>(model: Model<D>): Collection<D> {
  const db = model.db.db;
  if (!db) throw new Error(`the connection of ${model.modelName} is not open`);
  return db.collection<D>(model.collection.collectionName);
}

const DUPLICATE_KEY = 11000;

/** True when `error` is a duplicate-key error: the `_id` claim was already taken. */
export function isDuplicateKey(error: unknown): boolean {
  return error instanceof MongoServerError && error.code === DUPLICATE_KEY;
}

/**
 * Inserts `doc` as a claim on its `_id`: true when this call inserted it, false when the id
 * was taken (by an earlier call or a concurrent one). Any other failure is thrown.
 */
export async function insertOnce<D extends { _id: string }>(collection: Collection<D>, doc: OptionalUnlessRequiredId<D>): Promise<boolean> {
  try {
    await collection.insertOne(doc);
    return true;
  } catch (error) {
    if (isDuplicateKey(error)) return false;
    throw error;
  }
}
