import { forgetReads } from '../../core/infra/read-cache.js';
import type { TurnContext } from 'botbuilder';
import { buildDebtorAssistant, buildLocalPayments } from '../../app/assistant.js';
import type { Runtime } from '../../app/runtime.js';
import { BotStorage } from '../../bots/state/bot-storage.js';
import { DebtorBot } from '../../bots/debtor-bot.js';
import type { BotLogger } from '../../bots/bot-logger.js';
import type { ConversationKey } from '../../core/domain/conversation.js';
import type { DebtorNotice } from '../../core/domain/debtor-notice.js';
import { loadConfig } from '../../core/infra/config.js';
import type { Database } from '../../core/infra/database.js';
import { I18nextTranslator } from '../../core/infra/i18next-translator.js';
import { MongoKeyValueStore } from '../../core/infra/mongo-key-value-store.js';
import { mongoConversationStores } from '../../core/infra/mongo-conversation-stores.js';
import { MongoPortfolioStore } from '../../core/infra/mongo-portfolio-store.js';
import type { Clock } from '../../core/ports/clock.port.js';
import type { Messenger, NoticeDelivery } from '../../core/ports/messenger.port.js';
import type { DebtorAssistant } from '../../core/services/debtor-assistant.js';
import { importPortfolio } from '../../core/services/import-portfolio.js';
import type { LocalPayments } from '../../core/services/local-payments.js';
import { ChatAdapter, type Chat, type ChatOptions } from '../support/chat-harness.js';
import { useTestDatabase } from '../support/database.js';

/** Tuesday 2026-03-10, noon in Mexico City (UTC-6), 14:00 in New York (UTC-4 since 03-08). */
export const NOW = '2026-03-10T18:00:00Z';
export const CREDITOR = 'Colegio Azul';
export const PUBLIC_URL = 'http://pay.test';

/**
 * The portfolio of the dialog tests, imported as a creditor would (CONTRACT.md section 3):
 * - D-100 Ana López (es, MX): F-101 MXN 1,200.00 due 02-15 (23 days overdue), F-102 MXN 250.50
 *   due 03-31 (in 21 days); phone +525512345678, Telegram user 111222333, document ...RN07.
 * - D-200 John Smith (en, US, New York): INV-201 USD 1,234.56 due 03-01 (9 days overdue),
 *   INV-202 USD 300.00 due 04-05 of which 100.00 paid; document 123-45-6789.
 * - D-300 Paz Díaz (es): everything paid.
 */
export const PORTFOLIO: Record<string, string>[] = [
  { debtor_id: 'D-100', name: 'Ana López', phone: '+525512345678', document_id: 'LOPA800101MDFPRN07', language: 'es', timezone: 'America/Mexico_City', country: 'MX', telegram_user_id: '111222333', invoice_id: 'F-101', amount: '1200.00', currency: 'MXN', issued_at: '2026-01-15', due_at: '2026-02-15' },
  { debtor_id: 'D-100', name: 'Ana López', phone: '+525512345678', document_id: 'LOPA800101MDFPRN07', language: 'es', timezone: 'America/Mexico_City', country: 'MX', telegram_user_id: '111222333', invoice_id: 'F-102', amount: '250.50', currency: 'MXN', issued_at: '2026-03-01', due_at: '2026-03-31' },
  { debtor_id: 'D-200', name: 'John Smith', phone: '+14155552671', document_id: '123-45-6789', language: 'en', timezone: 'America/New_York', country: 'US', invoice_id: 'INV-201', amount: '1234.56', currency: 'USD', issued_at: '2026-02-01', due_at: '2026-03-01' },
  { debtor_id: 'D-200', name: 'John Smith', phone: '+14155552671', document_id: '123-45-6789', language: 'en', timezone: 'America/New_York', country: 'US', invoice_id: 'INV-202', amount: '300.00', currency: 'USD', issued_at: '2026-03-05', due_at: '2026-04-05', paid_amount: '100.00', paid_at: '2026-03-06' },
  { debtor_id: 'D-300', name: 'Paz Díaz', phone: '+525587654321', document_id: 'X1234', language: 'es', timezone: 'America/Mexico_City', country: 'MX', invoice_id: 'Z-301', amount: '100.00', currency: 'MXN', issued_at: '2026-01-01', due_at: '2026-01-31', paid_amount: '100.00', paid_at: '2026-01-30' },
];

/** A clock a test can move. */
export class TestClock implements Clock {
  private current = Date.parse(NOW);
  now(): Date {
    return new Date(this.current);
  }
  advance(ms: number): void {
    this.current += ms;
  }
  reset(): void {
    this.current = Date.parse(NOW);
  }
}

/** Logs kept for assertions (the error boundary must log without personal data). */
export class RecordingLogger implements BotLogger {
  readonly entries: { level: string; details: Readonly<Record<string, unknown>>; message: string }[] = [];
  error(details: Readonly<Record<string, unknown>>, message: string): void {
    this.entries.push({ level: 'error', details, message });
  }
  warn(details: Readonly<Record<string, unknown>>, message: string): void {
    this.entries.push({ level: 'warn', details, message });
  }
}

/**
 * The Messenger at the network edge: it delivers a notice as the app does, on the debtor's
 * latest stored conversation reference through the adapter, rendered by the bot.
 */
export class AdapterMessenger implements Messenger {
  adapter: ChatAdapter | undefined;
  bot: DebtorBot | undefined;
  constructor(
    private readonly db: () => Database,
    private readonly assistant: () => DebtorAssistant,
  ) {}

  async notifyDebtor(debtorId: string, notice: DebtorNotice): Promise<NoticeDelivery> {
    const stored = await mongoConversationStores(this.db()).conversationReferences.latest(debtorId);
    const profile = await this.assistant().profile(debtorId);
    if (!stored || !profile || !this.adapter || !this.bot) return { ok: false, reason: 'unreachable' };
    const bot = this.bot;
    await this.adapter.continueConversationAsync('', stored.reference, async (context: TurnContext) => {
      await context.sendActivity(bot.renderNotice(notice, profile.language, profile.country));
    });
    return { ok: true, value: { channel: stored.channel } };
  }
}

/** The bot on the real assistant on FerretDB, and what tests need around it. */
export interface BotWorld {
  readonly db: () => Database;
  readonly clock: TestClock;
  readonly logger: RecordingLogger;
  assistant: DebtorAssistant;
  payments: LocalPayments;
  bot: DebtorBot;
  adapter: ChatAdapter;
  /** A new conversation (fresh ids every time). */
  chat(options?: ChatOptions): Chat;
  /** The conversation key the bot uses for a chat. */
  keyOf(chat: Chat): ConversationKey;
  /**
   * Restarts bot and adapter around `assistant` (a test may wrap it to inject a failure): the
   * conversation state still in memory is written first, as the server does when it stops.
   */
  rebuild(assistant?: DebtorAssistant): Promise<void>;
}

/**
 * Gives the calling `describe` a database with {@link PORTFOLIO} imported, the real
 * DebtorAssistant (app/assistant.ts) and a DebtorBot on a {@link ChatAdapter}. Conversation
 * data (state, attempts, handoffs, transcripts...) is wiped before each test; the portfolio
 * stays.
 */
export function useBotWorld(): BotWorld {
  const db = useTestDatabase();
  const clock = new TestClock();
  const logger = new RecordingLogger();
  const translator = I18nextTranslator.load();
  let runtime: Runtime;
  let messenger: AdapterMessenger;

  let state: MongoKeyValueStore | undefined;
  const world: BotWorld = {
    db,
    clock,
    logger,
    assistant: undefined as unknown as DebtorAssistant,
    payments: undefined as unknown as LocalPayments,
    bot: undefined as unknown as DebtorBot,
    adapter: undefined as unknown as ChatAdapter,
    chat: (options) => world.adapter.chat(options),
    keyOf: (chat) => ({
      channel: chat.channelId === 'telegram' || chat.channelId === 'whatsapp' ? chat.channelId : 'webchat',
      conversationId: chat.conversationId,
      userId: chat.userId,
    }),
    async rebuild(assistant = buildDebtorAssistant(runtime, { clock, creditorName: CREDITOR, linkTokenSecret: Buffer.alloc(32, 7) })) {
      await state?.flush();
      state = MongoKeyValueStore.forDatabase(db());
      world.assistant = assistant;
      world.bot = new DebtorBot({
        assistant,
        translator,
        storage: new BotStorage(state),
        logger,
        defaults: { language: 'es', timezone: 'America/Mexico_City' },
        now: () => clock.now(),
      });
      world.adapter = new ChatAdapter(world.bot);
      messenger.adapter = world.adapter;
      messenger.bot = world.bot;
    },
  };

  before(async () => {
    runtime = { config: loadConfig({ PUBLIC_URL }), db: db(), close: async () => undefined };
    const report = await importPortfolio(PORTFOLIO, new MongoPortfolioStore(db().models), { defaults: { language: 'es', timezone: 'America/Mexico_City' } });
    if (report.rejected.length) throw new Error(`test portfolio rejected: ${JSON.stringify(report.rejected)}`);
    messenger = new AdapterMessenger(db, () => world.assistant);
  });

  beforeEach(async () => {
    clock.reset();
    logger.entries.length = 0;
    const keep = new Set(['debtors', 'invoices', 'payments']);
    const collections = await db().connection.db!.collections();
    await Promise.all(collections.filter((c) => !keep.has(c.collectionName)).map((c) => c.deleteMany({})));
    // Payments made in an earlier test go; those of the import stay.
    await db().models.Payment.deleteMany({ source: { $ne: 'import' } });
    // Debtors may have switched language in an earlier test.
    await db().models.Debtor.updateOne({ _id: 'D-100' }, { $set: { language: 'es' } });
    await db().models.Debtor.updateOne({ _id: 'D-200' }, { $set: { language: 'en' } });
    // Written around the repositories: what their caches read is stale.
    forgetReads(db().connection);
    await world.rebuild();
    world.payments = buildLocalPayments(runtime, messenger, { clock, creditorName: CREDITOR });
  });

  return world;
}

/** Verifies a chat by document as Ana (es) or John (en); answers the verification's reply. */
export async function verifyAs(chat: Chat, who: 'ana' | 'john'): Promise<string> {
  const [id, last4, opener] = who === 'ana' ? ['D-100', 'RN07', 'hola'] : ['D-200', '6789', 'hello'];
  await chat.say(opener);
  await chat.say(id);
  return (await chat.say(last4)).text;
}

/** The repositories behind the assistant, to check what a conversation left in the database. */
export function storesOf(world: BotWorld): ReturnType<typeof mongoConversationStores> {
  return mongoConversationStores(world.db());
}

/** Names, amounts and invoices of the portfolio's debtors: none may show before verification. */
export const DEBT_DETAILS = ['Ana', 'López', 'John', 'Smith', 'Paz', 'F-101', 'F-102', 'INV-201', 'INV-202', '1,200', '250.50', '1,450', '1,234', '200.00', 'MXN', 'USD'];

/** The things of {@link DEBT_DETAILS} that a text shows. */
export function disclosed(text: string): string[] {
  return DEBT_DETAILS.filter((d) => text.includes(d));
}

/** The token of a `/pay/TOKEN` URL in a reply. */
export function payToken(text: string): string {
  const m = /http:\/\/pay\.test\/pay\/([A-Za-z0-9_-]+)/.exec(text);
  if (!m?.[1]) throw new Error(`no pay link in: ${text}`);
  return m[1];
}
