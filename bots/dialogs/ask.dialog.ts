import { ActivityTypes } from 'botbuilder';
import { Dialog, type DialogContext, type DialogInstance, type DialogTurnResult } from 'botbuilder-dialogs';
import type { TurnContext } from 'botbuilder';
import { LANGUAGES } from '../../core/domain/portfolio.js';
import { recognizeChoice, type ChoiceOption } from '../nlu/choice.js';
import { recognizeIntent, type Intent } from '../nlu/intents.js';
import type { Message, Sessions, TurnSession } from '../session.js';

/** One option of a question: its value, its label (by key) and extra words that pick it. */
export interface AskChoice {
  readonly value: string;
  readonly label: Message;
  readonly synonyms?: readonly string[];
}

/** A question to ask; kept in dialog state, so plain data resolved in each turn's language. */
export interface AskOptions {
  readonly prompt: Message;
  /** Said when the answer does not fit (default: the prompt again). */
  readonly retry?: Message;
  /** When present, only one of these answers the question. */
  readonly choices?: readonly AskChoice[];
  /** Unfit answers before giving up (default 3). */
  readonly maxAttempts?: number;
}

/** What a question got. */
export type AskAnswer =
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'choice'; readonly value: string; readonly text: string }
  /** The person asked for something else: the flow ends and the bot routes it. */
  | { readonly kind: 'interrupt'; readonly intent: Intent; readonly text: string }
  | { readonly kind: 'gave-up' };

/** How one kind of question treats answers. */
export interface AskPolicy {
  /** True when a free-text answer fits (ignored for questions with choices). Default: any text. */
  accepts?(text: string, session: TurnSession): boolean;
  /** True when the message asks for something else and should end the flow. */
  interrupts(intent: Intent, text: string): boolean;
}

interface AskState {
  attempts: number;
  /** The language the question was last put in. */
  language?: string;
}

/**
 * A question that speaks the language of the turn it is asked or re-asked in (the person may
 * switch language mid-question), understands numbers and words for its choices in both
 * languages, lets the person change the subject, and gives up after a few unfit answers
 * instead of looping forever.
 */
export class AskDialog extends Dialog<AskOptions> {
  constructor(
    dialogId: string,
    private readonly sessions: Sessions,
    private readonly policy: AskPolicy,
  ) {
    super(dialogId);
  }

  override async beginDialog(dc: DialogContext, options?: AskOptions): Promise<DialogTurnResult> {
    if (!options) throw new Error(`${this.id}: a question needs its options`);
    const state: AskState = { attempts: 0 };
    dc.activeDialog!.state = { options, ask: state };
    await this.ask(dc.context, options, state, false);
    return Dialog.EndOfTurn;
  }

  override async continueDialog(dc: DialogContext): Promise<DialogTurnResult> {
    if (dc.context.activity.type !== ActivityTypes.Message) return Dialog.EndOfTurn;
    const { options, ask } = dc.activeDialog!.state as { options: AskOptions; ask: AskState };
    const session = await this.sessions.load(dc.context);
    const text = (dc.context.activity.text ?? '').trim();

    if (options.choices?.length) {
      const value = recognizeChoice(text, this.choiceWords(options.choices, session));
      if (value !== undefined) return dc.endDialog({ kind: 'choice', value, text } satisfies AskAnswer);
    }
    const intent = recognizeIntent(text);
    if (intent.kind !== 'none' && this.policy.interrupts(intent, text)) {
      return dc.endDialog({ kind: 'interrupt', intent, text } satisfies AskAnswer);
    }
    if (!options.choices?.length && text && (this.policy.accepts?.(text, session) ?? true)) {
      return dc.endDialog({ kind: 'text', text } satisfies AskAnswer);
    }
    ask.attempts++;
    if (ask.attempts >= (options.maxAttempts ?? 3)) return dc.endDialog({ kind: 'gave-up' } satisfies AskAnswer);
    // Asked in another language than the person writes (the first words of an unknown person
    // set the conversation's language): the whole question again, not the short reminder.
    await this.ask(dc.context, options, ask, ask.language === session.language);
    return Dialog.EndOfTurn;
  }

  override async repromptDialog(context: TurnContext, instance: DialogInstance): Promise<void> {
    const { options, ask } = instance.state as { options: AskOptions; ask: AskState };
    await this.ask(context, options, ask, false);
  }

  private async ask(context: TurnContext, options: AskOptions, state: AskState, isRetry: boolean): Promise<void> {
    const session = await this.sessions.load(context);
    state.language = session.language;
    const message = isRetry && options.retry ? options.retry : options.prompt;
    const labels = (options.choices ?? []).map((c) => session.t(c.label.key, c.label.vars));
    await session.offer(
      session.t(message.key, message.vars),
      labels.map((label) => ({ label, value: label })),
    );
  }

  /** A choice's words in every language: a button shown before a language switch still works. */
  private choiceWords(choices: readonly AskChoice[], session: TurnSession): ChoiceOption[] {
    return choices.map((c) => ({
      value: c.value,
      words: [...LANGUAGES.map((l) => session.tIn(l, c.label.key, c.label.vars)), ...(c.synonyms ?? [])],
    }));
  }
}
