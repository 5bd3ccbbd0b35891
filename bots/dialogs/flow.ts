import type { DebtorAssistant } from '../../core/services/debtor-assistant.js';
import type { Intent } from '../nlu/intents.js';
import type { Sessions } from '../session.js';

/** Dialog ids: one dialog per conversation flow. */
export const DIALOG = {
  verify: 'verify',
  balance: 'balance',
  pay: 'pay',
  promise: 'promise',
  dispute: 'dispute',
  human: 'human',
  plan: 'plan',
} as const;

/** A request the bot routes: what was recognized and the words it came from. */
export interface Routed {
  readonly intent: Intent;
  readonly text: string;
}

/** How a flow ended: with a request to route next, or asking the bot to offer the menu. */
export interface FlowResult {
  readonly route?: Routed;
  /** Offer the menu ("anything else?"). */
  readonly menu?: boolean;
}

/** What every flow dialog needs. */
export interface FlowDeps {
  readonly sessions: Sessions;
  readonly assistant: DebtorAssistant;
}

/** Options of a flow started from a message: the words that started it. */
export interface FlowOptions {
  readonly text?: string;
}
