import { ActionTypes, ActivityTypes, type Activity, type CardAction } from 'botbuilder';
import { supportsSuggestedActions } from 'botbuilder-dialogs';

/** An option shown to the debtor: the label they read and the message a tap sends. */
export interface ShownOption {
  readonly label: string;
  /** What a tap sends back; a word the recognizers understand, never a bare number. */
  readonly value: string;
}

/**
 * A message with numbered options. Channels with buttons (web chat, Telegram) get suggested
 * actions titled `1. Ver saldo`; the others (WhatsApp, unknown ids) get the same numbered lines
 * in the text, which is what botbuilder's `ListStyle.auto` does for them. Either way the
 * number is shown beside each option, and typing it works.
 *
 * Button values are labels, not numbers: an old Telegram keyboard tapped later must still mean
 * what it said.
 */
export function withOptions(channelId: string | undefined, text: string, options: readonly ShownOption[]): Partial<Activity> {
  if (!options.length) return { type: ActivityTypes.Message, text };
  if (supportsSuggestedActions(channelId ?? '', options.length)) {
    const actions: CardAction[] = options.map((o, i) => ({ type: ActionTypes.ImBack, title: `${i + 1}. ${o.label}`, value: o.value }));
    return { type: ActivityTypes.Message, text, suggestedActions: { actions, to: [] } };
  }
  const lines = options.map((o, i) => `${i + 1}. ${o.label}`);
  return { type: ActivityTypes.Message, text: [text, ...lines].join('\n') };
}
