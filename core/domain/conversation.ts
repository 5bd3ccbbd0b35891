/** The channels a debtor can talk on (CONTRACT.md section 5 names them). */
export const CHANNELS = ['webchat', 'telegram', 'whatsapp'] as const;
/** One channel. */
export type ChannelId = (typeof CHANNELS)[number];

/**
 * Who answers a conversation: the bot, nobody yet (waiting for an agent), or an agent.
 * `bot -> queued -> agent -> bot`; while not `bot`, the bot stays silent.
 */
export type HandoffState = 'bot' | 'queued' | 'agent';

/** Why a conversation went to people. */
export type HandoffReason = 'asked' | 'dispute' | 'not-understood' | 'judicial' | 'plan';

/** Identifies one conversation of one person on one channel. */
export interface ConversationKey {
  readonly channel: ChannelId;
  /** The channel's conversation id (Direct Line conversation, Telegram chat, WhatsApp JID). */
  readonly conversationId: string;
  /** The channel's id of the person. */
  readonly userId: string;
}
