import {
  ActivityTypes,
  BotAdapter,
  TurnContext,
  type Activity,
  type ConversationReference,
  type Middleware,
  type ResourceResponse,
} from 'botbuilder';
import type { ChannelClaims } from '../../bots/channel.js';

/** What the harness drives: a bot with its turn middleware (DebtorBot). */
export interface ChatBot {
  readonly middleware: readonly Middleware[];
  run(context: TurnContext): Promise<void>;
}

/** What the debtor sees after one message: every bot message of that turn. */
export interface BotReply {
  /** The texts of the messages, joined by blank lines (empty when the bot stayed silent). */
  readonly text: string;
  readonly messages: readonly string[];
  /** Titles of the suggested actions (buttons) of the turn's messages, in order. */
  readonly suggestedActions: readonly string[];
  readonly activities: readonly Partial<Activity>[];
}

/**
 * A real botbuilder adapter for tests: activities run through `runMiddleware` exactly as a
 * channel adapter runs them (the middleware the bot declares, then the bot), and whatever the
 * bot sends is collected per conversation. Proactive turns (`continueConversationAsync`) work,
 * so notices can be sent on a stored conversation reference.
 */
export class ChatAdapter extends BotAdapter {
  private readonly outbox = new Map<string, Partial<Activity>[]>();
  private nextId = 0;

  constructor(private readonly bot: ChatBot) {
    super();
    this.use(...bot.middleware);
  }

  /** Runs one inbound activity through the pipeline and the bot. */
  async processActivity(activity: Partial<Activity>): Promise<void> {
    await this.runMiddleware(new TurnContext(this, activity), (context) => this.bot.run(context));
  }

  /** Takes what was sent to a conversation since the last call. */
  drain(conversationId: string): Partial<Activity>[] {
    const sent = this.outbox.get(conversationId) ?? [];
    this.outbox.delete(conversationId);
    return sent;
  }

  override async sendActivities(context: TurnContext, activities: Partial<Activity>[]): Promise<ResourceResponse[]> {
    const responses: ResourceResponse[] = [];
    for (const activity of activities) {
      const id = `out-${++this.nextId}`;
      responses.push({ id });
      if (activity.type === ActivityTypes.Trace || activity.type === 'delay') continue;
      const conversationId = activity.conversation?.id ?? context.activity.conversation?.id ?? '';
      const list = this.outbox.get(conversationId) ?? [];
      list.push({ ...activity, id });
      this.outbox.set(conversationId, list);
    }
    return responses;
  }

  override async updateActivity(): Promise<void> {
    throw new Error('ChatAdapter: updateActivity is not used by the bot');
  }

  override async deleteActivity(): Promise<void> {
    throw new Error('ChatAdapter: deleteActivity is not used by the bot');
  }

  override async continueConversation(reference: Partial<ConversationReference>, logic: (context: TurnContext) => Promise<void>): Promise<void> {
    const activity = TurnContext.applyConversationReference({ type: ActivityTypes.Event, name: 'continueConversation' }, reference, true);
    await this.runMiddleware(new TurnContext(this, activity), logic);
  }

  override async continueConversationAsync(
    _botAppId: unknown,
    reference: Partial<ConversationReference>,
    logic: unknown,
  ): Promise<void> {
    if (typeof logic !== 'function') throw new Error('ChatAdapter: continueConversationAsync(botAppId, reference, logic)');
    await this.continueConversation(reference, logic as (context: TurnContext) => Promise<void>);
  }

  /** Opens a conversation with the bot. */
  chat(options: ChatOptions = {}): Chat {
    return new Chat(this, options);
  }
}

/** Who is chatting, where. */
export interface ChatOptions {
  /** `webchat` (default), `directline`, `telegram`, `whatsapp`, or any id. */
  readonly channelId?: string;
  /** `activity.locale` (default none). */
  readonly locale?: string;
  /** Identity claims the channel adapter vouches for. */
  readonly claims?: ChannelClaims;
  readonly conversationId?: string;
  readonly userId?: string;
}

let conversations = 0;

/**
 * One person's conversation with the bot.
 *
 * @example
 * const chat = adapter.chat({ locale: 'es-MX' });
 * const reply = await chat.say('saldo');
 * expect(reply.text).to.include('Colegio Azul');
 */
export class Chat {
  /** Claims sent with the following messages (the channel may learn more: a shared contact). */
  claims: ChannelClaims;
  locale: string | undefined;
  readonly channelId: string;
  readonly conversationId: string;
  readonly userId: string;
  private sequence = 0;

  constructor(
    private readonly adapter: ChatAdapter,
    options: ChatOptions,
  ) {
    this.channelId = options.channelId ?? 'webchat';
    this.locale = options.locale;
    this.claims = options.claims ?? {};
    this.conversationId = options.conversationId ?? `conv-${process.pid}-${++conversations}`;
    this.userId = options.userId ?? `user-${this.conversationId}`;
  }

  /** The debtor types `text`; answers what the bot said in that turn. */
  async say(text: string): Promise<BotReply> {
    return this.send({ type: ActivityTypes.Message, text });
  }

  /** The debtor opens the chat (web chat sends a conversationUpdate on connect). */
  async join(): Promise<BotReply> {
    return this.send({ type: ActivityTypes.ConversationUpdate, membersAdded: [{ id: this.userId, name: 'Debtor' }] });
  }

  /** Sends any activity from the debtor, filled in with this conversation's addresses. */
  async send(activity: Partial<Activity>): Promise<BotReply> {
    await this.adapter.processActivity({
      id: `in-${++this.sequence}`,
      timestamp: new Date(),
      channelId: this.channelId,
      serviceUrl: 'http://chat-harness.test',
      conversation: { id: this.conversationId, isGroup: false, conversationType: 'personal', name: '' },
      from: { id: this.userId, name: 'Debtor', role: 'user' },
      recipient: { id: 'cobrabot', name: 'Cobrabot', role: 'bot' },
      ...(this.locale ? { locale: this.locale } : {}),
      ...(Object.keys(this.claims).length ? { channelData: { claims: this.claims } } : {}),
      ...activity,
    });
    return this.replies();
  }

  /** Whatever reached this conversation since the last message (proactive notices). */
  replies(): BotReply {
    return toReply(this.adapter.drain(this.conversationId));
  }
}

function toReply(activities: Partial<Activity>[]): BotReply {
  const messages = activities.filter((a) => a.type === ActivityTypes.Message).map((a) => a.text ?? '');
  const suggestedActions = activities.flatMap((a) => a.suggestedActions?.actions.map((x) => String(x.title)) ?? []);
  return { text: messages.join('\n\n'), messages, suggestedActions, activities };
}
