import type { ConversationKey } from './conversation.js';

/**
 * The storage id of a conversation: channel and the channel's conversation id. Channel ids
 * contain no `:`, so the id splits back unambiguously whatever the conversation id holds.
 */
export function conversationKeyId(key: Pick<ConversationKey, 'channel' | 'conversationId'>): string {
  return `${key.channel}:${key.conversationId}`;
}
