import type { ChannelId } from '../domain/conversation.js';

/** Where to reach a debtor on one channel: the channel's own reference, plain JSON. */
export interface StoredConversationReference {
  readonly debtorId: string;
  readonly channel: ChannelId;
  /** Opaque to the core; the channel adapter that wrote it reads it back. */
  readonly reference: Readonly<Record<string, unknown>>;
  /** The channel's id of the person, when known: opt-outs said before verification bind it. */
  readonly userId?: string;
  readonly savedAt: Date;
}

/**
 * The latest conversation reference per debtor and channel, for proactive messages (receipts,
 * reminders). The Messenger reaches the debtor through {@link ConversationReferences.latest}:
 * the channel the debtor used last.
 */
export interface ConversationReferences {
  /** Keeps `ref` unless a newer one (later `savedAt`) is stored for the debtor and channel. */
  save(ref: StoredConversationReference): Promise<void>;
  find(debtorId: string, channel: ChannelId): Promise<StoredConversationReference | undefined>;
  /** The most recently saved reference of the debtor on any channel. */
  latest(debtorId: string): Promise<StoredConversationReference | undefined>;
}
