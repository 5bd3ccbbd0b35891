import type { ConversationKey } from '../domain/conversation.js';

/** One stored message of a conversation; its text is already redacted. */
export interface StoredTranscriptEntry {
  readonly entryId: string;
  readonly key: ConversationKey;
  readonly direction: 'in' | 'out';
  readonly text: string;
  readonly debtorId?: string;
  readonly at: Date;
  readonly author?: 'bot' | 'agent' | 'system';
}

/** The transcripts of conversations: evidence kept for years (COMPLIANCE.md). */
export interface TranscriptRepository {
  append(entry: StoredTranscriptEntry): Promise<void>;
  /** One conversation's messages, oldest first. */
  forConversation(key: Pick<ConversationKey, 'channel' | 'conversationId'>): Promise<StoredTranscriptEntry[]>;
}
