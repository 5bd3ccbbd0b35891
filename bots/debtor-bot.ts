import { ActivityHandler, ConversationState, type Activity, type Middleware, type Storage, type TurnContext } from 'botbuilder';
import { DialogSet, DialogTurnStatus, type DialogContext, type DialogTurnResult } from 'botbuilder-dialogs';
import type { Language } from '../core/domain/portfolio.js';
import type { Translator } from '../core/ports/translator.port.js';
import type { DebtorAssistant, DebtorNotice } from '../core/services/debtor-assistant.js';
import type { BotLogger } from './bot-logger.js';
import { BalanceDialog } from './dialogs/balance.dialog.js';
import { DisputeDialog } from './dialogs/dispute.dialog.js';
import { DIALOG, type FlowDeps, type FlowResult } from './dialogs/flow.js';
import { HumanDialog, type HumanOptions } from './dialogs/human.dialog.js';
import { PayDialog } from './dialogs/pay.dialog.js';
import { PlanDialog } from './dialogs/plan.dialog.js';
import { PromiseDialog } from './dialogs/promise.dialog.js';
import { VerifyDialog, type VerifyOptions } from './dialogs/verify.dialog.js';
import { menuItem, showMenu } from './menu.js';
import { ErrorBoundaryMiddleware } from './middleware/error-boundary-middleware.js';
import { HandoffMiddleware } from './middleware/handoff-middleware.js';
import { IdentityMiddleware } from './middleware/identity-middleware.js';
import { LimitsMiddleware } from './middleware/limits-middleware.js';
import { OptOutMiddleware } from './middleware/opt-out-middleware.js';
import { TranscriptMiddleware } from './middleware/transcript-middleware.js';
import { renderNotice } from './notice.js';
import { languageSwitch, recognizeIntent, type Intent } from './nlu/intents.js';
import { menuNumber } from './nlu/menu-number.js';
import { Sessions, type TurnSession } from './session.js';

/** What {@link DebtorBot} is built from. */
export interface DebtorBotOptions {
  /** The only door to the collections domain. */
  readonly assistant: DebtorAssistant;
  readonly translator: Translator;
  /** Where conversation state lives (`BotStorage` over the `bot_state` collection). */
  readonly storage: Storage;
  readonly logger: BotLogger;
  /** For people the bot does not know yet (config `DEFAULT_LOCALE`, `DEFAULT_TIMEZONE`). */
  readonly defaults?: { readonly language?: Language; readonly timezone?: string };
  /** The clock "today" is read from (tests inject one). */
  readonly now?: () => Date;
}

/** Flows that speak of the debt: only for a verified debtor. */
const NEEDS_VERIFICATION = new Set(['balance', 'pay', 'promise', 'dispute']);

/**
 * Cobrabot's conversation, the same on every channel (botbuilder `ActivityHandler` with one
 * dialog per flow). Add {@link DebtorBot.middleware} to the channel adapter, in order, and run
 * the bot as the adapter's logic:
 *
 * @example
 * const bot = new DebtorBot({ assistant, translator, storage: new BotStorage(store), logger });
 * adapter.use(...bot.middleware);
 * await adapter.processActivity(activity, (context) => bot.run(context));
 */
export class DebtorBot extends ActivityHandler {
  /**
   * The turn middleware, in the order it must run: error boundary, transcript, identity,
   * opt-out, hand-off routing, limits.
   */
  readonly middleware: readonly Middleware[];
  private readonly sessions: Sessions;
  private readonly dialogs: DialogSet;

  constructor(private readonly options: DebtorBotOptions) {
    super();
    const { assistant, translator, logger } = options;
    const state = new ConversationState(options.storage);
    this.sessions = new Sessions(state, {
      assistant,
      translator,
      defaults: { language: options.defaults?.language ?? 'es', timezone: options.defaults?.timezone ?? 'America/Mexico_City' },
      now: options.now ?? (() => new Date()),
    });
    const deps: FlowDeps = { sessions: this.sessions, assistant };
    this.dialogs = new DialogSet(state.createProperty('dialogs'))
      .add(new VerifyDialog(deps))
      .add(new BalanceDialog(deps))
      .add(new PayDialog(deps))
      .add(new PromiseDialog(deps))
      .add(new DisputeDialog(deps))
      .add(new HumanDialog(deps))
      .add(new PlanDialog(deps));
    this.middleware = [
      new ErrorBoundaryMiddleware(this.sessions, translator, logger),
      new TranscriptMiddleware(this.sessions, assistant),
      new IdentityMiddleware(this.sessions, assistant),
      new OptOutMiddleware(this.sessions, assistant),
      new HandoffMiddleware(assistant),
      new LimitsMiddleware(this.sessions),
    ];
    this.onMessage(async (context, next) => {
      await this.message(context);
      await next();
    });
    this.onMembersAdded(async (context, next) => {
      await this.joined(context);
      await next();
    });
  }

  /** Runs a turn and saves the conversation state. */
  override async run(context: TurnContext): Promise<void> {
    await super.run(context);
    await this.sessions.save(context);
  }

  /**
   * A notice (payment receipt) as a message in `language`, naming this bot's creditor. For
   * proactive sends through the channel adapter.
   */
  renderNotice(notice: DebtorNotice, language: Language, country?: string): Partial<Activity> {
    return renderNotice(notice, language, {
      translator: this.options.translator,
      creditorName: this.options.assistant.creditorName,
      ...(country ? { country } : {}),
    });
  }

  /** Someone opened the conversation (web chat sends this on connect): greet them first. */
  private async joined(context: TurnContext): Promise<void> {
    const botId = context.activity.recipient?.id;
    if (!context.activity.membersAdded?.some((m) => m.id !== botId)) return;
    const session = await this.sessions.load(context);
    if (session.data.welcomed) return;
    await session.welcomeOnce();
    const dc = await this.dialogs.createContext(context);
    if (session.verified) {
      await session.say({ key: 'common:hello-name', vars: { name: session.profile!.name } });
      await showMenu(session);
    } else if (!dc.activeDialog) {
      await this.begin(dc, session, DIALOG.verify, {} satisfies VerifyOptions);
    }
  }

  private async message(context: TurnContext): Promise<void> {
    const session = await this.sessions.load(context);
    const text = (context.activity.text ?? '').trim();
    const dc = await this.dialogs.createContext(context);

    const switchTo = languageSwitch(text);
    if (switchTo) await session.switchLanguage(switchTo);
    await session.welcomeOnce();
    if (session.linkProblem) await session.say(session.linkProblem === 'expired' ? 'verify:link-expired' : 'verify:link-invalid');
    // Verified by the channel or a link while a question was pending: the question is moot.
    if (dc.activeDialog && (session.verifiedNow || switchTo)) await dc.cancelAllDialogs();

    if (dc.activeDialog) {
      await this.after(dc, session, await dc.continueDialog());
      return;
    }
    let intent = recognizeIntent(text);
    const item = session.verified && intent.kind === 'none' ? menuItem(menuNumber(text) ?? 0) : undefined;
    if (item) intent = { kind: item };
    if (session.verifiedNow) {
      await session.say({ key: 'common:hello-name', vars: { name: session.profile!.name } });
      if (intent.kind === 'greeting' || intent.kind === 'help' || intent.kind === 'none') {
        await showMenu(session);
        return;
      }
    }
    await this.route(dc, session, intent, text);
  }

  /** Starts the flow a request calls for, or answers it directly. */
  private async route(dc: DialogContext, session: TurnSession, intent: Intent, text: string): Promise<void> {
    if (intent.kind !== 'none') session.data.misses = 0;
    switch (intent.kind) {
      case 'language':
        await session.say('language:switched');
        if (session.verified) await showMenu(session);
        else await this.begin(dc, session, DIALOG.verify, {} satisfies VerifyOptions);
        return;
      case 'greeting':
      case 'help':
        if (!session.verified) return this.begin(dc, session, DIALOG.verify, {} satisfies VerifyOptions);
        if (intent.kind === 'greeting') await session.say({ key: 'common:hello-name', vars: { name: session.profile!.name } });
        return showMenu(session);
      case 'thanks':
        return session.say('common:you-are-welcome');
      case 'yes':
        // "Yes" to "anything else?": what else, then.
        if (!session.verified) return this.begin(dc, session, DIALOG.verify, {} satisfies VerifyOptions);
        return showMenu(session);
      case 'done':
        return session.say('common:done');
      case 'cancel':
        await session.say('common:cancelled');
        if (session.verified) await showMenu(session);
        return;
      case 'opt-out':
        // The opt-out middleware answers these before the bot runs.
        return;
      case 'human':
        return this.begin(dc, session, DIALOG.human, { reason: 'asked', ask: false } satisfies HumanOptions);
      case 'plan':
        return this.begin(dc, session, DIALOG.plan, {});
      case 'none':
        return this.notUnderstood(dc, session);
      default:
        if (NEEDS_VERIFICATION.has(intent.kind) && !session.verified) {
          return this.begin(dc, session, DIALOG.verify, { then: { intent, text } } satisfies VerifyOptions);
        }
        return this.begin(dc, session, intent.kind, { text });
    }
  }

  /** First miss: short help with the menu. Second in a row: offer a person. */
  private async notUnderstood(dc: DialogContext, session: TurnSession): Promise<void> {
    if (!session.verified) return this.begin(dc, session, DIALOG.verify, {} satisfies VerifyOptions);
    session.data.misses = (session.data.misses ?? 0) + 1;
    if (session.data.misses < 2) return showMenu(session, 'not-understood');
    session.data.misses = 0;
    return this.begin(dc, session, DIALOG.human, {
      reason: 'not-understood',
      ask: true,
      preface: { key: 'common:still-not-understood' },
    } satisfies HumanOptions);
  }

  private async begin(dc: DialogContext, session: TurnSession, dialogId: string, options: object): Promise<void> {
    await this.after(dc, session, await dc.beginDialog(dialogId, options));
  }

  /** What happens when a flow ends: route what it handed back, or offer the menu. */
  private async after(dc: DialogContext, session: TurnSession, result: DialogTurnResult): Promise<void> {
    if (result.status !== DialogTurnStatus.complete) return;
    const flow = (result.result ?? {}) as FlowResult;
    if (flow.route) return this.route(dc, session, flow.route.intent, flow.route.text);
    if (flow.menu) {
      if (session.verified) await showMenu(session, 'anything-else');
      else await this.begin(dc, session, DIALOG.verify, {} satisfies VerifyOptions);
    }
  }
}
