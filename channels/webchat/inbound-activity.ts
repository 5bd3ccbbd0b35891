import type { JsonObject, JsonValue } from '../../core/ports/conversation-log.port.js';
import { DirectLineError } from './directline-error.js';

/** Activity types a client may post. Others (invoke, conversationUpdate, ...) are the service's or the bot's to send. */
export const INBOUND_TYPES = ['message', 'event', 'typing'] as const;
/** One of {@link INBOUND_TYPES}. */
export type InboundType = (typeof INBOUND_TYPES)[number];

/** A posted activity, checked: its type and the fields the server keeps from it. */
export interface InboundActivity {
  readonly type: InboundType;
  /**
   * The client's own fields (text, value, locale, channelData without `claims`, ...); the
   * server adds id, timestamp, channel, conversation, from and recipient itself.
   */
  readonly fields: JsonObject;
  /** The display name the client gave its user, if any. */
  readonly fromName?: string;
}

/** Limits the check applies. */
export interface InboundLimits {
  /** Longest message text, in characters (Unicode code points). */
  readonly maxTextLength: number;
}

/** Fields a client may set; everything else it sends is dropped. */
const KEPT_FIELDS = ['text', 'textFormat', 'locale', 'value', 'name', 'entities', 'channelData', 'localTimestamp', 'localTimezone', 'replyToId', 'speak', 'inputHint'] as const;

const bad = (message: string) => new DirectLineError(400, 'BadArgument', message);

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Checks a posted activity against Direct Line's rules and this server's limits, for the user
 * `userId` the token names. Returns the activity to store or a {@link DirectLineError} naming
 * the problem: not an object, no or unknown type, a `from` that is not this user, attachments
 * (not supported), text that is not a string or longer than the limit (`MessageTooLong`).
 *
 * `channelData.claims` is dropped: claims come from the server (the conversation's link token),
 * never from what a client says about itself.
 */
export function checkInboundActivity(body: unknown, userId: string, limits: InboundLimits): InboundActivity | DirectLineError {
  if (!isObject(body)) return bad(`the activity must be a JSON object, not ${body === null ? 'null' : Array.isArray(body) ? 'an array' : typeof body}`);
  const { type, from, text, attachments, channelData, name } = body;
  if (type === undefined || type === '') return bad('activity.type is missing: send "message", "event" or "typing"');
  if (typeof type !== 'string') return bad('activity.type must be a string');
  if (!(INBOUND_TYPES as readonly string[]).includes(type)) return bad(`activity.type "${type.slice(0, 40)}" is not accepted: send "message", "event" or "typing"`);

  let fromName: string | undefined;
  if (from !== undefined) {
    if (!isObject(from) || typeof from.id !== 'string') return bad('activity.from must be an object with a string id');
    if (from.id !== userId) return bad('activity.from.id is not the user this token was issued for');
    if (from.role !== undefined && from.role !== 'user') return bad('activity.from.role must be "user"');
    if (from.name !== undefined && typeof from.name !== 'string') return bad('activity.from.name must be a string');
    fromName = from.name;
  }
  if (text !== undefined && typeof text !== 'string') return bad('activity.text must be a string');
  if (typeof text === 'string') {
    let length = 0;
    for (const _ of text) length++;
    if (length > limits.maxTextLength) {
      return new DirectLineError(400, 'MessageTooLong', `the message has ${length} characters; the limit is ${limits.maxTextLength}`);
    }
  }
  if (attachments !== undefined && (!Array.isArray(attachments) || attachments.length > 0)) {
    return new DirectLineError(400, 'NotSupported', 'activity.attachments: this chat does not accept files or attachments');
  }
  if (channelData !== undefined && !isObject(channelData)) return bad('activity.channelData must be an object');
  if (channelData?.clientActivityID !== undefined && typeof channelData.clientActivityID !== 'string') {
    return bad('activity.channelData.clientActivityID must be a string');
  }
  if (type === 'event' && (typeof name !== 'string' || name === '')) return bad('an event activity needs a string name');

  const fields: JsonObject = {};
  for (const key of KEPT_FIELDS) {
    const value = body[key];
    if (value !== undefined) fields[key] = value as JsonValue;
  }
  if (channelData) {
    const { claims: _dropped, ...rest } = channelData;
    fields.channelData = rest as JsonObject;
  }
  return { type: type as InboundType, fields, ...(fromName === undefined ? {} : { fromName }) };
}
