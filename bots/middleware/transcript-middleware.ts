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
 *
 * When each entry is written (never lost, and off the reply's path where it can be):
 * - the inbound message is handed to the store when the turn starts, and no reply goes out
 *   before it is stored: the first send waits for it (the turn's reading and thinking run
 *   meanwhile). If the store is down the turn fails there, the error boundary apologises, and
 *   the person sees no answer to a message the transcript lacks;
 * - an outbound message is handed to the store as soon as it is sent, without holding up the
 *   turn's next message;
 * - the turn waits for all of its entries before it ends, so a turn's transcript is stored
 *   when its promise resolves, and a failed write fails the turn (logged by the error
 *   boundary) instead of vanishing;
 * - a message sent after the turn has ended (the error boundary's apology) is stored before
 *   its send resolves.
 *
 * The store groups the writes of concurrent turns into one batch (MongoTranscriptRepository).
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
    const writes = new TurnWrites();

    context.onSendActivities(async (ctx, activities, send) => {
      if (writes.open) await writes.inboundStored();
      const responses = await send();
      const debtorId = (this.sessions.peek(ctx) ?? (await this.sessions.load(ctx))).debtorId;
      for (const activity of activities) {
        if (activity.type !== ActivityTypes.Message) continue;
        const written = this.assistant.recordTranscript({
          key,
          direction: 'out',
          text: textOf(activity),
          ...(debtorId ? { debtorId } : {}),
          at: new Date(),
          author: proactive ? authorOf(activity) : 'bot',
        });
        if (writes.open) writes.add(written);
        else await written;
      }
      return responses;
    });

    try {
      if (inbound.type === ActivityTypes.Message) {
        const session = await this.sessions.load(context);
        writes.setInbound(
          this.assistant.recordTranscript({
            key,
            direction: 'in',
            text: inboundText(inbound),
            ...(session.debtorId ? { debtorId: session.debtorId } : {}),
            at: new Date(),
          }),
        );
      }
      await next();
    } catch (error) {
      await writes.close().catch((writeError: unknown) => {
        throw new AggregateError([error, writeError], 'the turn failed, and so did storing its transcript');
      });
      throw error;
    }
    await writes.close();
  }
}

/**
 * The transcript writes of one turn not waited for yet. Failures are held (so that none is an
 * unhandled rejection) and thrown by {@link TurnWrites.close}, each once: an inbound failure
 * already thrown to a send is not thrown again.
 */
class TurnWrites {
  open = true;
  private inbound: Promise<void> = Promise.resolve();
  private inboundFailure: { error: unknown } | undefined;
  /** The inbound write's failure reached a send already. */
  private inboundThrown = false;
  private readonly settled: Promise<void>[] = [];
  private failure: { error: unknown } | undefined;

  setInbound(write: Promise<void>): void {
    this.inbound = write;
    this.settled.push(
      write.then(
        () => undefined,
        (error: unknown) => {
          this.inboundFailure ??= { error };
        },
      ),
    );
  }

  /** Resolves when the inbound message is stored; throws its write's failure. */
  async inboundStored(): Promise<void> {
    try {
      await this.inbound;
    } catch (error) {
      this.inboundThrown = true;
      throw error;
    }
  }

  add(write: Promise<void>): void {
    this.settled.push(
      write.then(
        () => undefined,
        (error: unknown) => {
          this.failure ??= { error };
        },
      ),
    );
  }

  /** Waits for every write; throws the first failure not thrown yet. Later writes are the sender's to wait for. */
  async close(): Promise<void> {
    this.open = false;
    await Promise.all(this.settled);
    if (this.inboundFailure && !this.inboundThrown) throw this.inboundFailure.error;
    if (this.failure) throw this.failure.error;
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
