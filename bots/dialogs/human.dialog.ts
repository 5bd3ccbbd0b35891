import { ComponentDialog, WaterfallDialog, type DialogTurnResult, type WaterfallStepContext } from 'botbuilder-dialogs';
import type { HandoffReason } from '../../core/domain/conversation.js';
import type { Message } from '../session.js';
import { AskDialog, type AskAnswer, type AskChoice } from './ask.dialog.js';
import { DIALOG, type FlowDeps, type FlowResult } from './flow.js';

/** Options of a hand-off: why, and whether to ask first (an offer) or just do it (a request). */
export interface HumanOptions {
  readonly reason: HandoffReason;
  readonly ask: boolean;
  /** Said before the offer. */
  readonly preface?: Message;
}

const STEPS = 'human.steps';
const ASK_CONFIRM = 'human.ask-confirm';

/** Yes and no, by label and the words people use for them in either language. */
export const YES_NO: readonly AskChoice[] = [
  { value: 'yes', label: { key: 'common:yes' }, synonyms: ['si', 'claro', 'ok', 'okay', 'de acuerdo', 'por favor', 'yes', 'yeah', 'yep', 'sure', 'please'] },
  { value: 'no', label: { key: 'common:no' }, synonyms: ['no', 'no gracias', 'ahora no', 'nope', 'no thanks', 'not now'] },
];

/**
 * Ask for a human: the conversation is queued for an agent and the debtor is told what happens
 * next; from then on the bot stays silent (the hand-off middleware) until an agent hands back.
 * Also used to offer a person (instalment plans, repeated misunderstandings).
 */
export class HumanDialog extends ComponentDialog {
  constructor(private readonly deps: FlowDeps) {
    super(DIALOG.human);
    // Any request ends the offer; a request for a person (`hablar con un agente`) is a yes (see queue).
    this.addDialog(new AskDialog(ASK_CONFIRM, deps.sessions, { interrupts: () => true }));
    this.addDialog(new WaterfallDialog(STEPS, [(s) => this.offer(s), (s) => this.queue(s)]));
    this.initialDialogId = STEPS;
  }

  private async offer(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const options = step.options as HumanOptions;
    if (!options.ask) return step.next({ kind: 'choice', value: 'yes', text: '' } satisfies AskAnswer);
    const session = await this.deps.sessions.load(step.context);
    if (options.preface) await session.say(options.preface);
    return step.beginDialog(ASK_CONFIRM, { prompt: { key: 'human:offer' }, choices: YES_NO, maxAttempts: 2 });
  }

  private async queue(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const answer = step.result as AskAnswer;
    if (answer.kind === 'interrupt') {
      // "agente" while offered a person is a yes.
      if (answer.intent.kind !== 'human') return step.endDialog({ route: { intent: answer.intent, text: answer.text } } satisfies FlowResult);
    } else if (answer.kind !== 'choice' || answer.value !== 'yes') {
      const session = await this.deps.sessions.load(step.context);
      await session.say('human:declined');
      return step.endDialog({ menu: true } satisfies FlowResult);
    }
    const session = await this.deps.sessions.load(step.context);
    const options = step.options as HumanOptions;
    await this.deps.assistant.requestHuman(session.key, options.reason, session.debtorId);
    await session.say({ key: 'human:queued', vars: { creditor: session.creditor } });
    return step.endDialog({} satisfies FlowResult);
  }
}
