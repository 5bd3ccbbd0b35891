import type { ConversationKey, HandoffReason, HandoffState } from '../domain/conversation.js';

/** Who answers one conversation, and since when: what the agent console lists. */
export interface HandoffRecord {
  readonly key: ConversationKey;
  readonly state: HandoffState;
  /** Why it last went to people. */
  readonly reason: HandoffReason;
  /** The verified debtor, when known. */
  readonly debtorId?: string;
  /** When it was last queued. */
  readonly queuedAt: Date;
  readonly updatedAt: Date;
}

/** A conversation asking for people. */
export interface HandoffRequest {
  readonly key: ConversationKey;
  readonly reason: HandoffReason;
  readonly debtorId?: string;
  readonly at: Date;
}

/**
 * The handoff state of conversations (`bot -> queued -> agent -> bot`). A conversation with no
 * record is the bot's.
 */
export interface HandoffRepository {
  find(key: ConversationKey): Promise<HandoffRecord | undefined>;
  /**
   * Queues the conversation when the bot has it; one already queued or with an agent keeps its
   * state, reason and time. Returns the record in force afterwards.
   */
  queue(request: HandoffRequest): Promise<HandoffRecord>;
  /** Conversations waiting for an agent, longest waiting first. */
  queued(): Promise<HandoffRecord[]>;
}
