import { ActivityTypes, type Middleware, type TurnContext } from 'botbuilder';
import type { DebtorAssistant } from '../../core/services/debtor-assistant.js';
import { conversationKeyOf } from '../channel.js';

/**
 * While a conversation is queued for an agent or an agent owns it, the bot says nothing: the
 * turn stops here (the transcript already kept the message for the agent). Proactive turns
 * (notices, agent replies sent through the adapter) pass.
 */
export class HandoffMiddleware implements Middleware {
  constructor(private readonly assistant: DebtorAssistant) {}

  async onTurn(context: TurnContext, next: () => Promise<void>): Promise<void> {
    const { type } = context.activity;
    if (type === ActivityTypes.Message || type === ActivityTypes.ConversationUpdate) {
      const state = await this.assistant.handoffState(conversationKeyOf(context.activity));
      if (state !== 'bot') return;
    }
    await next();
  }
}
