import { ActivityTypes, type Activity, type Middleware, type TurnContext } from 'botbuilder';
import type { DebtorAssistant } from '../../core/services/debtor-assistant.js';
import { conversationKeyOf } from '../channel.js';
import { startCommand } from '../nlu/intents.js';
import type { Sessions } from '../session.js';

/** Longest text kept per message: the limits middleware answers longer ones without reading them. */
const MAX_STORED = 10_000;

/**
 * Stores every inbound and outbound message through `recordTranscript` (which redacts card
 * numbers): the evidence trail of each conversation. Outbound messages of proactive turns
 * (notices) are recorded as `system`, or `agent` when the sender marks
 * `channelData.author = 'agent'`.
 */
export class TranscriptMiddleware implements Middleware {
  constructor(
    private readonly sessions: Sessions,
    private readonly assistant: DebtorAssistant,
  ) {}

  async onTurn(context: TurnContext, next: () => Promise<void>): Promise<void> {
    const inbound = context.activity;
    const key = conversationKeyOf(inbound);
    const proactive = inbound.type !== ActivityTypes.Message && inbound.type !== ActivityTypes.ConversationUpdate;

    context.onSendActivities(async (ctx, activities, send) => {
      const responses = await send();
      const debtorId = (this.sessions.peek(ctx) ?? (await this.sessions.load(ctx))).debtorId;
      for (const activity of activities) {
        if (activity.type !== ActivityTypes.Message) continue;
        await this.assistant.recordTranscript({
          key,
          direction: 'out',
          text: textOf(activity),
          ...(debtorId ? { debtorId } : {}),
          at: new Date(),
          author: proactive ? authorOf(activity) : 'bot',
        });
      }
      return responses;
    });

    if (inbound.type === ActivityTypes.Message) {
      const session = await this.sessions.load(context);
      await this.assistant.recordTranscript({
        key,
        direction: 'in',
        text: inboundText(inbound),
        ...(session.debtorId ? { debtorId: session.debtorId } : {}),
        at: new Date(),
      });
    }
    await next();
  }
}

function inboundText(activity: Partial<Activity>): string {
  const text = activity.text ?? '';
  // A deep-link token is a credential: the transcript keeps that one was used, not the token.
  if (startCommand(text)?.payload) return '/start [link token]';
  if (!text && activity.attachments?.length) return '[attachment]';
  return cut(text);
}

function textOf(activity: Partial<Activity>): string {
  const text = activity.text ?? '';
  const options = activity.suggestedActions?.actions.map((a) => String(a.title ?? a.value ?? '')) ?? [];
  return cut(options.length ? `${text}\n[${options.join(' | ')}]` : text);
}

function authorOf(activity: Partial<Activity>): 'agent' | 'system' {
  const data: unknown = activity.channelData;
  return typeof data === 'object' && data !== null && (data as { author?: unknown }).author === 'agent' ? 'agent' : 'system';
}

function cut(text: string): string {
  return text.length > MAX_STORED ? `${text.slice(0, MAX_STORED)} [...]` : text;
}
