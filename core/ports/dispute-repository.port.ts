import type { ConversationKey } from '../domain/conversation.js';

/** A debtor's dispute of the debt, as opened in a conversation. */
export interface Dispute {
  readonly disputeId: string;
  readonly debtorId: string;
  /** Where it was raised. */
  readonly key: ConversationKey;
  /** The debtor's own words, card numbers already redacted. */
  readonly reason: string;
  readonly openedAt: Date;
  readonly status: 'open' | 'resolved';
}

/** Keeps disputes: evidence, and the case an agent works on. */
export interface DisputeRepository {
  open(dispute: Dispute): Promise<void>;
  /** The debtor's disputes, oldest first. */
  forDebtor(debtorId: string): Promise<Dispute[]>;
}
