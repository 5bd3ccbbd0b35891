import { ComponentDialog, WaterfallDialog, type DialogTurnResult, type WaterfallStepContext } from 'botbuilder-dialogs';
import { carriesReason, wordCount } from '../nlu/intents.js';
import { AskDialog, type AskAnswer } from './ask.dialog.js';
import { DIALOG, type FlowDeps, type FlowOptions, type FlowResult } from './flow.js';

const STEPS = 'dispute.steps';
const ASK_REASON = 'dispute.ask-reason';
/** Reasons are kept as evidence; a runaway paste is cut. */
const MAX_REASON = 2000;

/**
 * Dispute: the debtor's reason in their own words, then the dispute is opened (collection
 * paused, the conversation escalated to a person) and the debtor is told so.
 */
export class DisputeDialog extends ComponentDialog {
  constructor(private readonly deps: FlowDeps) {
    super(DIALOG.dispute);
    this.addDialog(
      new AskDialog(ASK_REASON, deps.sessions, {
        // The reason is free text: only a short command changes the subject.
        interrupts: (intent, text) => intent.kind !== 'dispute' && wordCount(text) <= 3,
      }),
    );
    this.addDialog(new WaterfallDialog(STEPS, [(s) => this.askReason(s), (s) => this.open(s)]));
    this.initialDialogId = STEPS;
  }

  private async askReason(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const text = ((step.options ?? {}) as FlowOptions).text ?? '';
    if (carriesReason(text)) return step.next({ kind: 'text', text } satisfies AskAnswer);
    return step.beginDialog(ASK_REASON, { prompt: { key: 'dispute:ask-reason' } });
  }

  private async open(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const answer = step.result as AskAnswer;
    if (answer.kind === 'interrupt') return step.endDialog({ route: { intent: answer.intent, text: answer.text } } satisfies FlowResult);
    if (answer.kind !== 'text') return step.endDialog({ menu: true } satisfies FlowResult);
    const session = await this.deps.sessions.load(step.context);
    await this.deps.assistant.openDispute(session.key, session.debtorId!, answer.text.slice(0, MAX_REASON));
    await session.say({ key: 'dispute:opened', vars: { creditor: session.creditor } });
    return step.endDialog({} satisfies FlowResult);
  }
}
