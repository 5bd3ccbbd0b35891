import { ActivityTypes, type Middleware, type TurnContext } from 'botbuilder';
import { DialogContextError } from 'botbuilder-dialogs';
import type { Translator } from '../../core/ports/translator.port.js';
import type { BotLogger } from '../bot-logger.js';
import { channelOf } from '../channel.js';
import { localeFor } from '../format.js';
import type { Sessions } from '../session.js';

/**
 * The one error boundary of a turn (DESIGN.md section 5): whatever fails in the middleware
 * after it or in the bot is logged without personal data, and the person gets an apology in
 * their language. State is not saved for a failed turn, so the conversation carries on from
 * the last good one. Register it first.
 *
 * A proactive turn (a notice sent through `continueConversationAsync`) is not the person's:
 * its failure is logged and rethrown to the sender, which decides what to do; nobody gets an
 * apology for a message they did not send.
 */
export class ErrorBoundaryMiddleware implements Middleware {
  constructor(
    private readonly sessions: Sessions,
    private readonly translator: Translator,
    private readonly logger: BotLogger,
  ) {}

  async onTurn(context: TurnContext, next: () => Promise<void>): Promise<void> {
    try {
      await next();
    } catch (error) {
      this.logger.error({ event: 'turn-failed', channel: channelOf(context.activity), activityType: context.activity.type, error: describeError(error) }, 'turn failed');
      const { type } = context.activity;
      if (type !== ActivityTypes.Message && type !== ActivityTypes.ConversationUpdate) throw error;
      try {
        const language = this.sessions.fallbackLanguage(context);
        await context.sendActivity({ type: ActivityTypes.Message, text: this.translator.t(language, 'common:error'), locale: localeFor(language) });
      } catch (apologyError) {
        // The channel itself may be what failed: nothing more can be said to the person.
        this.logger.error({ event: 'apology-failed', channel: channelOf(context.activity), error: describeError(apologyError) }, 'could not apologise');
      }
    }
  }
}

/**
 * An error as loggable facts: names, codes and stack frames. Messages are left out because
 * drivers put values in them (a duplicate key, a document), which may be personal data.
 */
export function describeError(error: unknown): Record<string, unknown> {
  // botbuilder-dialogs wraps what a dialog threw; the dialog's id is safe, its state is not.
  if (error instanceof DialogContextError) {
    const inner = error.error instanceof Error ? describeError(error.error) : { type: typeof error.error };
    return { ...inner, ...(error.dialogContext.activeDialog ? { dialog: error.dialogContext.activeDialog } : {}) };
  }
  if (!(error instanceof Error)) return { type: typeof error };
  if (error instanceof AggregateError) return { name: error.name, errors: (error.errors as unknown[]).map(describeError) };
  const code = (error as { code?: unknown }).code;
  const frames = (error.stack ?? '')
    .split('\n')
    .filter((line) => line.trimStart().startsWith('at '))
    .slice(0, 8)
    .map((line) => line.trim());
  return {
    name: error.name,
    ...(typeof code === 'string' || typeof code === 'number' ? { code } : {}),
    frames,
    ...(error.cause !== undefined ? { cause: describeError(error.cause) } : {}),
  };
}
