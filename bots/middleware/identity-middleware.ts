import { ActivityTypes, type Middleware, type TurnContext } from 'botbuilder';
import type { DebtorAssistant } from '../../core/services/debtor-assistant.js';
import { claimsOf } from '../channel.js';
import { startCommand } from '../nlu/intents.js';
import type { Sessions, TurnSession } from '../session.js';

/**
 * Resolves who is writing before the bot answers: a signed link token (web chat
 * `channelData.claims.linkToken`, Telegram `/start TOKEN`) or the channel's own identity
 * (WhatsApp sender phone, Telegram user id or shared contact phone), each claim value tried
 * once per conversation. A verified debtor's id lives in conversation state, and every turn
 * of theirs saves the channel's ConversationReference (the last channel used gets notices).
 * It also saves the conversation state at the end of the turn, whoever stopped it.
 */
export class IdentityMiddleware implements Middleware {
  constructor(
    private readonly sessions: Sessions,
    private readonly assistant: DebtorAssistant,
  ) {}

  async onTurn(context: TurnContext, next: () => Promise<void>): Promise<void> {
    const { type } = context.activity;
    if (type !== ActivityTypes.Message && type !== ActivityTypes.ConversationUpdate) {
      await next();
      return;
    }
    const session = await this.sessions.load(context);
    if (session.verified) await session.saveReference({ routine: true });
    else await this.resolve(session);
    await next();
    await this.sessions.save(context);
  }

  private async resolve(session: TurnSession): Promise<void> {
    const activity = session.context.activity;
    const claims = claimsOf(activity);
    const token = claims.linkToken ?? startCommand(activity.text ?? '')?.payload;
    if (token && session.firstTry(`link:${token}`)) {
      const result = await this.assistant.verifyLinkToken(token);
      if (result.ok) {
        await session.verify(result.value, 'link');
        return;
      }
      session.linkProblem = result.reason;
    }
    // Phones and Telegram ids are only believed from the channels that vouch for them.
    const channel = session.key.channel;
    if (claims.phone && (channel === 'whatsapp' || channel === 'telegram') && session.firstTry(`phone:${claims.phone}`)) {
      const result = await this.assistant.verifyByPhone(claims.phone);
      if (result.ok) {
        await session.verify(result.value, 'phone');
        return;
      }
    }
    if (claims.telegramUserId && channel === 'telegram' && session.firstTry(`telegram:${claims.telegramUserId}`)) {
      const result = await this.assistant.verifyByTelegramUser(claims.telegramUserId);
      if (result.ok) await session.verify(result.value, 'telegram');
    }
  }
}
