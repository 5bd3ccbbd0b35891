import type { Activity, ConversationReference, TurnContext } from 'botbuilder';
import type { ChannelId } from '../core/domain/conversation.js';
import type { DebtorNotice } from '../core/domain/debtor-notice.js';
import type { Language } from '../core/domain/portfolio.js';
import type { Logger } from '../core/infra/logger.js';
import type { ConversationReferences } from '../core/ports/conversation-references.port.js';
import type { Messenger, NoticeDelivery } from '../core/ports/messenger.port.js';
import type { DebtorProfile } from '../core/services/debtor-assistant.js';

/** The part of a channel adapter that starts a proactive turn. */
export interface ProactiveAdapter {
  continueConversationAsync(botAppId: string, reference: Partial<ConversationReference>, logic: (context: TurnContext) => Promise<void>): Promise<void>;
}

/** Dependencies of {@link ChannelMessenger}. */
export interface ChannelMessengerDeps {
  readonly references: ConversationReferences;
  /** The debtor's profile, for the notice's language and formatting. */
  readonly profile: (debtorId: string) => Promise<DebtorProfile | undefined>;
  /** Turns a notice into the activity the debtor reads (the bot's wording). */
  readonly render: (notice: DebtorNotice, language: Language, country?: string) => Partial<Activity>;
  readonly logger?: Logger;
}

/**
 * The {@link Messenger} of the running server: a notice goes to the conversation the debtor
 * used last, through that channel's adapter, as a proactive turn (so the transcript middleware
 * keeps it as evidence). Adapters are attached as channels start.
 */
export class ChannelMessenger implements Messenger {
  private readonly adapters = new Map<ChannelId, ProactiveAdapter>();

  constructor(private readonly deps: ChannelMessengerDeps) {}

  /** Makes a channel reachable for notices. */
  attach(channel: ChannelId, adapter: ProactiveAdapter): void {
    this.adapters.set(channel, adapter);
  }

  async notifyDebtor(debtorId: string, notice: DebtorNotice): Promise<NoticeDelivery> {
    const stored = await this.deps.references.latest(debtorId);
    const adapter = stored && this.adapters.get(stored.channel);
    const profile = await this.deps.profile(debtorId);
    if (!stored || !adapter || !profile) return { ok: false, reason: 'unreachable' };
    const activity = this.deps.render(notice, profile.language, profile.country);
    try {
      await adapter.continueConversationAsync('', stored.reference as Partial<ConversationReference>, async (context) => {
        await context.sendActivity(activity);
      });
    } catch (error) {
      // A conversation the channel no longer knows, a blocked bot: the notice waits for an agent.
      this.deps.logger?.warn({ channel: stored.channel, kind: notice.kind, err: error instanceof Error ? error.message : String(error) }, 'notice not delivered');
      return { ok: false, reason: 'unreachable' };
    }
    return { ok: true, value: { channel: stored.channel } };
  }
}
