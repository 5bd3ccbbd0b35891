import type { ChannelId } from '../domain/conversation.js';
import type { DebtorNotice } from '../domain/debtor-notice.js';
import type { Outcome } from '../domain/outcome.js';

/**
 * How a notice fared: sent on a channel, or `unreachable` (no conversation reference stored
 * for the debtor, or the channel refused it: blocked bot, channel down).
 */
export type NoticeDelivery = Outcome<{ readonly channel: ChannelId }, 'unreachable'>;

/**
 * Sends a debtor messages outside a turn, on the channel the debtor used last (its stored
 * conversation reference), in the debtor's language. The app implements it with the channel
 * adapters; jobs and services only know this port. Expected failures are a value; a throw
 * means a bug or an infrastructure failure.
 *
 * @example
 * const delivery = await messenger.notifyDebtor('D-1', { kind: 'receipt', ... });
 * if (!delivery.ok) // keep it for an agent, or retry later
 */
export interface Messenger {
  notifyDebtor(debtorId: string, notice: DebtorNotice): Promise<NoticeDelivery>;
}
