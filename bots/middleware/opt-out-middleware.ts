import { ActivityTypes, type Middleware, type TurnContext } from 'botbuilder';
import type { DebtorAssistant } from '../../core/services/debtor-assistant.js';
import { isOptOut } from '../nlu/intents.js';
import type { Sessions } from '../session.js';

/**
 * `BAJA` / `STOP` (CONTRACT.md section 6): handled before anything else answers, verified or
 * not, even while an agent owns the conversation. Automatic messages on this channel stop at
 * once (for the debtor when known); the person is told once per conversation, and a repeated
 * `STOP` is honoured again without another message.
 */
export class OptOutMiddleware implements Middleware {
  constructor(
    private readonly sessions: Sessions,
    private readonly assistant: DebtorAssistant,
  ) {}

  async onTurn(context: TurnContext, next: () => Promise<void>): Promise<void> {
    if (context.activity.type !== ActivityTypes.Message || !isOptOut(context.activity.text ?? '')) {
      await next();
      return;
    }
    const session = await this.sessions.load(context);
    await this.assistant.optOut(session.key, session.debtorId);
    if (session.data.optOutConfirmed) return;
    session.data.optOutConfirmed = true;
    await session.say({ key: 'optout:confirmed', vars: { creditor: session.creditor } });
  }
}
