import type { VerificationAttempt } from '../domain/verification-lock.js';

/** One identity check by `debtor_id` and document digits, as stored. */
export interface StoredVerificationAttempt extends VerificationAttempt {
  /** The conversation it was made in (see `conversationKeyId`). */
  readonly conversation: string;
  /** The `debtor_id` tried, known or not. */
  readonly debtorId: string;
}

/**
 * Remembers identity checks so that failures lock both the conversation and the `debtor_id`
 * tried, across processes. Each attempt is its own document (inserted once by its id): nothing
 * is counted by read-modify-write, which FerretDB does not make atomic.
 */
export interface VerificationAttempts {
  record(attempt: StoredVerificationAttempt): Promise<void>;
  /** Attempts made in a conversation since `since`. */
  inConversation(conversation: string, since: Date): Promise<VerificationAttempt[]>;
  /** Attempts made on a `debtor_id` since `since`, in any conversation. */
  onDebtor(debtorId: string, since: Date): Promise<VerificationAttempt[]>;
}
