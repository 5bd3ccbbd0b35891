import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { BotAdapter, TurnContext, type Activity, type ConversationReference, type ResourceResponse } from 'botbuilder';
import { redactCardNumbers } from '../../core/domain/card-redaction.js';
import type { ConversationLog, ConversationRecord, JsonObject, LoggedActivity } from '../../core/ports/conversation-log.port.js';
import { ActivityStream } from './activity-stream.js';
import { describeError, silentLogger, type ChannelLogger } from './channel-logger.js';
import { DirectLineError } from './directline-error.js';
import type { InboundActivity } from './inbound-activity.js';
import { KeyedSerializer } from './keyed-serializer.js';

/** The bot's logic for one turn, as botbuilder's `ActivityHandler.run` provides it. */
export type BotLogic = (context: TurnContext) => Promise<void>;

/** The bot's account in the chat: `from` of what it sends, `recipient` of what it receives. */
export interface BotAccount {
  readonly id: string;
  readonly name: string;
}

/** Options of {@link DirectLineAdapter}. */
export interface DirectLineAdapterOptions {
  /** Where conversations and their histories are kept. */
  readonly log: ConversationLog;
  /** The server's public base URL, given to the bot as every activity's `serviceUrl`. */
  readonly serviceUrl: string;
  /** Default `{ id: 'cobrabot', name: 'Cobrabot' }`. */
  readonly bot?: BotAccount;
  /** A turn running longer stops holding its conversation (default 60 s). */
  readonly turnTimeoutMs?: number;
  /**
   * Applied to message text a user posts before it is stored, echoed or given to the bot.
   * Default: card numbers become `[card redacted]` (DESIGN.md section 3).
   */
  readonly redact?: (text: string) => string;
  readonly logger?: ChannelLogger;
  /** Milliseconds since the epoch: activity timestamps. */
  readonly now?: () => number;
}

/** The channel id activities carry: botbuilder-dialogs renders choices as suggested actions for it. */
export const DIRECT_LINE_CHANNEL_ID = 'directline';

const BOT_DEFAULT: BotAccount = { id: 'cobrabot', name: 'Cobrabot' };
/** Milliseconds a `delay` activity without a numeric value waits, as botbuilder's own adapters do. */
const DEFAULT_DELAY_MS = 1000;
/** A history id: the conversation id and the entry number, as Microsoft's Direct Line writes them. */
const ACTIVITY_ID = /^(.+)\|(\d{7,})$/;

/** The id of history entry `seq` of conversation `conversationId`. */
export function activityId(conversationId: string, seq: number): string {
  return `${conversationId}|${String(seq).padStart(7, '0')}`;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `value` as plain JSON (dates become ISO strings, undefined fields go). */
function toJson(value: unknown, what: string): JsonObject {
  let json: unknown;
  try {
    json = JSON.parse(JSON.stringify(value));
  } catch (error) {
    throw new DirectLineError(400, 'BadArgument', `${what} cannot be written as JSON`, { cause: error });
  }
  if (!isObject(json)) throw new DirectLineError(400, 'BadArgument', `${what} is not an object`);
  return json as JsonObject;
}

/** The bot's view of a stored activity: Date fields as botbuilder types them. */
function asBotActivity(json: JsonObject): Partial<Activity> {
  const { timestamp, localTimestamp, ...rest } = json;
  return {
    ...(rest as Partial<Activity>),
    ...(typeof timestamp === 'string' ? { timestamp: new Date(timestamp) } : {}),
    ...(typeof localTimestamp === 'string' && !Number.isNaN(Date.parse(localTimestamp)) ? { localTimestamp: new Date(localTimestamp) } : {}),
  };
}

/**
 * The web chat channel's botbuilder adapter. A user's activity, posted to the Direct Line
 * endpoint, is stored in the conversation's history (which echoes it to the user's clients) and
 * then run through the middleware and the bot's logic; what the bot sends is stored and
 * delivered the same way, so a client that reconnects with its watermark gets exactly what it
 * missed, even after a restart.
 *
 * Turns of one conversation run one at a time (botbuilder does not serialise them, and its
 * state is written with eTag `*`); different conversations run concurrently. Proactive turns
 * (`continueConversationAsync`) queue with the others, except while a turn of their
 * conversation is running: then they run at once, beside it, since they may have been started
 * from inside it and must not wait for themselves. So a proactive logic sends, and leaves
 * conversation state alone (a notice does exactly that).
 *
 * What the bot sends: `message`, `event` and other types are stored and delivered with a
 * server id and timestamp and `from.role: 'bot'`; `typing` is delivered live and not stored
 * (a reconnecting client has no use for a stale indicator); `trace` is never sent to clients;
 * `delay` waits. `updateActivity` and `deleteActivity` append a replacement carrying the same
 * id (a `messageDelete` activity for a deletion), which Web Chat shows in place of the original.
 *
 * @example
 * const adapter = new DirectLineAdapter({ log: new MongoConversationLog(db), serviceUrl: config.publicUrl });
 * adapter.use(transcriptMiddleware);
 * await app.register(directLineRoutes, { prefix: '/v3/directline', adapter, logic: (ctx) => bot.run(ctx), tokenSecret });
 */
export class DirectLineAdapter extends BotAdapter {
  /** The conversations' histories and listeners, shared with the Direct Line transport. */
  readonly stream: ActivityStream;
  readonly bot: BotAccount;
  readonly serviceUrl: string;
  private readonly turns: KeyedSerializer;
  private readonly redact: (text: string) => string;
  private readonly logger: ChannelLogger;
  private readonly now: () => number;
  private readonly inFlight = new Set<Promise<unknown>>();
  /** Inbound activities that are history entries: replies to them keep their `replyToId`. */
  private readonly storedInbound = new WeakSet<object>();
  private ephemeralCount = 0;

  constructor(options: DirectLineAdapterOptions) {
    super();
    this.bot = options.bot ?? BOT_DEFAULT;
    this.serviceUrl = options.serviceUrl;
    this.redact = options.redact ?? redactCardNumbers;
    this.logger = options.logger ?? silentLogger;
    this.now = options.now ?? Date.now;
    this.stream = new ActivityStream(options.log, {
      now: this.now,
      onListenerError: (error) => this.logger.error({ err: describeError(error) }, 'web chat listener failed'),
    });
    this.turns = new KeyedSerializer(options.turnTimeoutMs ?? 60_000, (conversationId, ms) =>
      this.logger.warn({ conversationId, ms }, 'web chat turn overran its time; the conversation moves on'),
    );
  }

  /**
   * Runs one turn for `activity` (an inbound activity addressed to the bot) through the
   * middleware and `logic`, after the turns of its conversation already queued.
   */
  async processActivity(activity: Partial<Activity>, logic: BotLogic): Promise<void> {
    const conversationId = activity.conversation?.id;
    if (!conversationId) throw new DirectLineError(400, 'BadArgument', 'the activity names no conversation');
    await this.track(this.turns.run(conversationId, () => this.runMiddleware(new TurnContext(this, activity), logic)));
  }

  /**
   * A user's checked activity: stored in the history (and so echoed to the user's clients with
   * a server id, a timestamp and its `channelData.clientActivityID`), then given to the bot in a
   * turn of its own, with the conversation's claims in `channelData.claims`. A user's `typing`
   * is acknowledged and dropped: it would cost the bot a turn for nothing.
   *
   * Resolves once the activity is stored; `turn` settles when the bot is done with it (its
   * failures are logged here, so callers need not wait for it).
   */
  async acceptFromUser(conversation: ConversationRecord, inbound: InboundActivity, logic: BotLogic): Promise<{ id: string; turn: Promise<void> }> {
    if (inbound.type === 'typing') return { id: this.ephemeralId(conversation.id), turn: Promise.resolve() };
    const fields = { ...inbound.fields };
    if (typeof fields.text === 'string') fields.text = this.redact(fields.text);
    const entry = await this.stream.append(conversation.id, (seq) => ({
      ...fields,
      type: inbound.type,
      id: activityId(conversation.id, seq),
      timestamp: new Date(this.now()).toISOString(),
      channelId: DIRECT_LINE_CHANNEL_ID,
      conversation: { id: conversation.id },
      from: { id: conversation.userId, ...(inbound.fromName === undefined ? {} : { name: inbound.fromName }), role: 'user' },
      recipient: { id: this.bot.id, name: this.bot.name, role: 'bot' },
    }));
    const activity = this.inboundForBot(conversation, entry);
    this.storedInbound.add(activity);
    return { id: String(entry.activity.id), turn: this.runLogged(activity, logic) };
  }

  /**
   * Tells the bot a conversation began: a `conversationUpdate` with the user in `membersAdded`,
   * so the bot can greet first. Not stored: clients have nothing to show for it.
   */
  startConversation(conversation: ConversationRecord, logic: BotLogic): Promise<void> {
    const user = { id: conversation.userId, role: 'user' };
    const activity: Partial<Activity> = asBotActivity({
      type: 'conversationUpdate',
      id: `${conversation.id}|start`,
      timestamp: new Date(this.now()).toISOString(),
      channelId: DIRECT_LINE_CHANNEL_ID,
      serviceUrl: this.serviceUrl,
      conversation: { id: conversation.id },
      from: user,
      recipient: { id: this.bot.id, name: this.bot.name, role: 'bot' },
      membersAdded: [user],
      channelData: { claims: { ...conversation.claims } },
      ...(conversation.locale ? { locale: conversation.locale } : {}),
    });
    return this.runLogged(activity, logic);
  }

  /** Resolves when the turns running now have finished, or after `timeoutMs`, whichever is first. */
  async whenIdle(timeoutMs: number): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<false>((resolve) => {
      timer = setTimeout(() => resolve(false), timeoutMs);
    });
    try {
      return await Promise.race([Promise.allSettled([...this.inFlight]).then(() => true), late]);
    } finally {
      clearTimeout(timer);
    }
  }

  override async sendActivities(context: TurnContext, activities: Partial<Activity>[]): Promise<ResourceResponse[]> {
    const responses: ResourceResponse[] = [];
    for (const activity of activities) {
      switch (activity.type) {
        case 'delay':
          await sleep(typeof activity.value === 'number' ? activity.value : DEFAULT_DELAY_MS);
          responses.push({ id: '' });
          break;
        case 'trace':
          // Diagnostics for the Bot Framework Emulator; a debtor must never see them.
          responses.push({ id: '' });
          break;
        case 'typing': {
          const conversation = await this.conversationOf(activity, context);
          const id = this.ephemeralId(conversation.id);
          this.stream.publish(conversation.id, { ...this.outbound(activity, conversation, context), id, timestamp: new Date(this.now()).toISOString() });
          responses.push({ id });
          break;
        }
        default: {
          const conversation = await this.conversationOf(activity, context);
          const base = this.outbound(activity, conversation, context);
          const entry = await this.stream.append(conversation.id, (seq) => ({ ...base, id: activityId(conversation.id, seq), timestamp: new Date(this.now()).toISOString() }));
          responses.push({ id: String(entry.activity.id) });
        }
      }
    }
    return responses;
  }

  override async updateActivity(context: TurnContext, activity: Partial<Activity>): Promise<ResourceResponse | void> {
    const conversation = await this.conversationOf(activity, context);
    const original = await this.botEntry(conversation.id, activity.id);
    const replacement = { ...this.outbound(activity, conversation, context), id: original.activity.id!, timestamp: original.activity.timestamp! };
    await this.stream.append(conversation.id, () => replacement);
    return { id: String(original.activity.id) };
  }

  override async deleteActivity(context: TurnContext, reference: Partial<ConversationReference>): Promise<void> {
    const conversationId = reference.conversation?.id ?? context.activity.conversation?.id;
    const conversation = conversationId ? await this.stream.conversation(conversationId) : undefined;
    if (!conversation) throw new DirectLineError(404, 'NotFound', `no web chat conversation ${conversationId ?? '(none named)'}`);
    const original = await this.botEntry(conversation.id, reference.activityId);
    await this.stream.append(conversation.id, () => ({
      type: 'messageDelete',
      id: original.activity.id!,
      timestamp: original.activity.timestamp!,
      channelId: DIRECT_LINE_CHANNEL_ID,
      conversation: { id: conversation.id },
      from: original.activity.from!,
      recipient: { id: conversation.userId, role: 'user' },
    }));
  }

  override async continueConversation(reference: Partial<ConversationReference>, logic: BotLogic): Promise<void> {
    const conversationId = reference.conversation?.id;
    if (!conversationId) throw new DirectLineError(400, 'BadArgument', 'the conversation reference names no conversation');
    if (!(await this.stream.conversation(conversationId))) throw new DirectLineError(404, 'NotFound', `no web chat conversation ${conversationId}`);
    const activity = TurnContext.applyConversationReference({ type: 'event', name: 'ContinueConversation' }, reference, true);
    activity.channelId = DIRECT_LINE_CHANNEL_ID;
    activity.serviceUrl = this.serviceUrl;
    if (this.turns.running(conversationId)) await this.track(this.runMiddleware(new TurnContext(this, activity), logic));
    else await this.processActivity(activity, logic);
  }

  /**
   * A proactive turn in the conversation `reference` names: what `logic` sends is stored and
   * reaches the user's connected clients. The bot id, claims identity and audience are not
   * used: this adapter serves one bot and authenticates nobody.
   */
  override async continueConversationAsync(
    _botAppIdOrClaimsIdentity: string | object,
    reference: Partial<ConversationReference>,
    logicOrAudience: BotLogic | string,
    maybeLogic?: BotLogic,
  ): Promise<void> {
    const logic = typeof logicOrAudience === 'function' ? logicOrAudience : maybeLogic;
    if (!logic) throw new DirectLineError(400, 'BadArgument', 'continueConversationAsync needs the logic to run');
    await this.continueConversation(reference, logic);
  }

  private async track<T>(work: Promise<T>): Promise<T> {
    this.inFlight.add(work);
    try {
      return await work;
    } finally {
      this.inFlight.delete(work);
    }
  }

  private runLogged(activity: Partial<Activity>, logic: BotLogic): Promise<void> {
    return this.processActivity(activity, logic).catch((error: unknown) => {
      this.logger.error({ err: describeError(error), conversationId: activity.conversation?.id, type: activity.type }, 'web chat turn failed');
    });
  }

  private inboundForBot(conversation: ConversationRecord, entry: LoggedActivity): Partial<Activity> {
    const channelData = isObject(entry.activity.channelData) ? entry.activity.channelData : {};
    return asBotActivity({ ...entry.activity, serviceUrl: this.serviceUrl, channelData: { ...channelData, claims: { ...conversation.claims } } });
  }

  private ephemeralId(conversationId: string): string {
    this.ephemeralCount = (this.ephemeralCount + 1) % Number.MAX_SAFE_INTEGER;
    return `${conversationId}|e${this.ephemeralCount}${randomBytes(3).toString('hex')}`;
  }

  private async conversationOf(activity: Partial<Activity>, context: TurnContext): Promise<ConversationRecord> {
    const conversationId = activity.conversation?.id ?? context.activity.conversation?.id;
    const conversation = conversationId ? await this.stream.conversation(conversationId) : undefined;
    if (!conversation) throw new DirectLineError(404, 'NotFound', `no web chat conversation ${conversationId ?? '(none named)'}`);
    return conversation;
  }

  /** An activity of the bot as clients get it, less its id and timestamp. */
  private outbound(activity: Partial<Activity>, conversation: ConversationRecord, context: TurnContext): JsonObject {
    const { serviceUrl: _serviceUrl, id: _id, timestamp: _timestamp, channelData, from, replyToId, ...rest } = toJson(activity, 'the activity');
    const out: JsonObject = {
      ...rest,
      type: typeof rest.type === 'string' && rest.type !== '' ? rest.type : 'message',
      channelId: DIRECT_LINE_CHANNEL_ID,
      conversation: { id: conversation.id },
      from: {
        id: isObject(from) && typeof from.id === 'string' ? from.id : this.bot.id,
        name: isObject(from) && typeof from.name === 'string' ? from.name : this.bot.name,
        role: 'bot',
      },
      recipient: { id: conversation.userId, role: 'user' },
    };
    if (typeof out.text === 'string' && (out.textFormat === undefined || out.textFormat === 'markdown')) {
      out.text = markdownLineBreaks(out.text);
    }
    if (isObject(channelData)) {
      // A bot that copies the inbound channelData must not hand the link token back to the page.
      const { claims: _claims, ...kept } = channelData;
      if (Object.keys(kept).length > 0) out.channelData = kept;
    }
    // Web Chat holds a reply back (up to 5 s) until the activity it answers is on screen: keep
    // replyToId only when that activity is in the history, as a user's stored message is.
    if (typeof replyToId === 'string' && replyToId === context.activity.id && this.storedInbound.has(context.activity)) out.replyToId = replyToId;
    return out;
  }

  /** The history entry of a bot activity, by its id; refuses ids of other conversations and users' activities. */
  private async botEntry(conversationId: string, id: string | undefined): Promise<LoggedActivity & { activity: { id?: string; timestamp?: string; from?: JsonObject } }> {
    const match = id ? ACTIVITY_ID.exec(id) : null;
    const entry = match && match[1] === conversationId ? await this.stream.readOne(conversationId, Number(match[2])) : undefined;
    if (!entry) throw new DirectLineError(404, 'NotFound', `no activity ${id ?? '(none named)'} in web chat conversation ${conversationId}`);
    const from = entry.activity.from;
    if (!isObject(from) || from.role !== 'bot') throw new DirectLineError(400, 'BadArgument', `activity ${id} is the user's: the bot can only change its own`);
    return entry as LoggedActivity & { activity: { id?: string; timestamp?: string; from?: JsonObject } };
  }
}

/**
 * The bot writes plain lines separated by `\n`, as every channel shows them; Web Chat renders
 * markdown, where a single newline is no break. Keep each line on its own line (a hard break:
 * two trailing spaces), leaving paragraph breaks as they are.
 */
export function markdownLineBreaks(text: string): string {
  return text.replace(/([^\n])\n(?!\n)/g, '$1  \n');
}
