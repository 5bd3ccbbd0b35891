import { ActivityTypes, type Middleware, type TurnContext } from 'botbuilder';
import type { Sessions } from '../session.js';

/** Longest message the bot reads (issue 3: limits on bad input). */
export const MAX_MESSAGE_LENGTH = 4000;

/**
 * A message over {@link MAX_MESSAGE_LENGTH} characters gets a short, polite answer and is not
 * processed: no recognizer or dialog sees it. As the first message of a conversation it is
 * preceded by the welcome (the creditor is named in the first message, whatever it says).
 */
export class LimitsMiddleware implements Middleware {
  constructor(private readonly sessions: Sessions) {}

  async onTurn(context: TurnContext, next: () => Promise<void>): Promise<void> {
    const { type, text } = context.activity;
    if (type === ActivityTypes.Message && (text?.length ?? 0) > MAX_MESSAGE_LENGTH) {
      const session = await this.sessions.load(context);
      await session.welcomeOnce();
      await session.say({ key: 'common:too-long', vars: { max: MAX_MESSAGE_LENGTH } });
      return;
    }
    await next();
  }
}
