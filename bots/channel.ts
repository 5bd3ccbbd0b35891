import type { Activity } from 'botbuilder';
import type { ChannelId, ConversationKey } from '../core/domain/conversation.js';

/**
 * Identity facts a channel adapter vouches for, in `activity.channelData.claims`. Adapters
 * build them from their transport (never from what a client sent); the bot only reads them.
 */
export interface ChannelClaims {
  /** A signed link token (web chat `/chat?t=`). */
  readonly linkToken?: string;
  /** E.164 sender phone (WhatsApp), or the phone of a contact shared on Telegram. */
  readonly phone?: string;
  /** The Telegram user id of the sender. */
  readonly telegramUserId?: string;
}

/** The channel of an activity: Direct Line and Web Chat are the web chat; unknown ids too. */
export function channelOf(activity: Partial<Activity>): ChannelId {
  if (activity.channelId === 'telegram') return 'telegram';
  if (activity.channelId === 'whatsapp') return 'whatsapp';
  return 'webchat';
}

/** The conversation an activity belongs to, as the domain names it. */
export function conversationKeyOf(activity: Partial<Activity>): ConversationKey {
  return {
    channel: channelOf(activity),
    conversationId: activity.conversation?.id ?? '',
    userId: activity.from?.id ?? '',
  };
}

/** The claims of an activity, keeping only well-formed string values. */
export function claimsOf(activity: Partial<Activity>): ChannelClaims {
  const data: unknown = activity.channelData;
  if (!isRecord(data) || !isRecord(data.claims)) return {};
  const { linkToken, phone, telegramUserId } = data.claims;
  return {
    ...(typeof linkToken === 'string' && linkToken ? { linkToken } : {}),
    ...(typeof phone === 'string' && phone ? { phone } : {}),
    ...(typeof telegramUserId === 'string' && telegramUserId ? { telegramUserId } : typeof telegramUserId === 'number' ? { telegramUserId: String(telegramUserId) } : {}),
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
