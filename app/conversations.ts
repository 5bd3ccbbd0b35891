import { DebtorBot } from '../bots/debtor-bot.js';
import { BotStorage } from '../bots/state/bot-storage.js';
import { DirectLineAdapter } from '../channels/webchat/directline-adapter.js';
import { I18nextTranslator } from '../core/infra/i18next-translator.js';
import type { Logger } from '../core/infra/logger.js';
import { MongoConversationLog } from '../core/infra/mongo-conversation-log.js';
import { mongoConversationStores } from '../core/infra/mongo-conversation-stores.js';
import { MongoKeyValueStore } from '../core/infra/mongo-key-value-store.js';
import { getOrCreateSecret } from '../core/infra/server-secrets.js';
import type { DebtorAssistant } from '../core/services/debtor-assistant.js';
import type { LocalPayments } from '../core/services/local-payments.js';
import { buildDebtorAssistant, buildLocalPayments, type AssistantOptions } from './assistant.js';
import { ChannelMessenger } from './channel-messenger.js';
import type { WebChatMount } from './http/server.js';
import type { Runtime } from './runtime.js';

/** Name of the database-held secret that signs Direct Line tokens (survives restarts). */
const DIRECT_LINE_SECRET = 'directline-token';

/** The conversational half of the server: the bot, its channels and what pays and notifies. */
export interface Conversations {
  readonly assistant: DebtorAssistant;
  readonly bot: DebtorBot;
  readonly messenger: ChannelMessenger;
  readonly payments: LocalPayments;
  /** Mount for {@link buildServer}'s `webchat` option. */
  readonly webchat: WebChatMount;
  /** Writes the conversation state still in memory only (call it once the server stopped taking turns). */
  flush(): Promise<void>;
}

/** Choices of {@link buildConversations}. */
export interface ConversationsOptions extends AssistantOptions {
  /** Base URL of stream URLs; unset, each request's Host header decides. */
  readonly publicUrl?: string;
}

/**
 * Wires the bot to the domain and to the web chat channel: one DebtorAssistant, one DebtorBot
 * whose middleware runs on every channel adapter, and a Messenger that reaches debtors through
 * whichever channel they used last (receipts of the pay page go that way).
 */
export async function buildConversations(runtime: Runtime, logger: Logger, options: ConversationsOptions = {}): Promise<Conversations> {
  const { config, db } = runtime;
  const assistant = buildDebtorAssistant(runtime, { creditorName: config.creditorName, ...options });
  const state = MongoKeyValueStore.forDatabase(db, {
    onWriteFailed: (key, error) => logger.error({ err: error, key }, 'conversation state could not be written to the database; it is kept in memory only'),
  });
  const bot = new DebtorBot({
    assistant,
    translator: I18nextTranslator.load(),
    storage: new BotStorage(state),
    logger,
    defaults: { language: config.defaultLocale, timezone: config.defaultTimezone },
  });
  const messenger = new ChannelMessenger({
    references: mongoConversationStores(db).conversationReferences,
    profile: (debtorId) => assistant.profile(debtorId),
    render: (notice, language, country) => bot.renderNotice(notice, language, country),
    logger,
  });
  const adapter = new DirectLineAdapter({ log: new MongoConversationLog(db), serviceUrl: config.publicUrl, logger });
  adapter.use(...bot.middleware);
  messenger.attach('webchat', adapter);
  return {
    assistant,
    bot,
    messenger,
    payments: buildLocalPayments(runtime, messenger, { creditorName: config.creditorName, ...options }),
    webchat: {
      adapter,
      logic: (context) => bot.run(context),
      tokenSecret: await getOrCreateSecret(db, DIRECT_LINE_SECRET),
      ...(options.publicUrl ? { publicUrl: options.publicUrl } : {}),
      creditorName: assistant.creditorName,
      defaultLocale: config.defaultLocale,
      embedOrigins: config.chatEmbedOrigins,
    },
    flush: () => state.flush(),
  };
}
