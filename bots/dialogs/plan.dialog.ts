import { ComponentDialog, WaterfallDialog, type DialogTurnResult, type WaterfallStepContext } from 'botbuilder-dialogs';
import { DIALOG, type FlowDeps } from './flow.js';
import { HumanDialog, type HumanOptions } from './human.dialog.js';

const STEPS = 'plan.steps';

/**
 * Instalment plan (`plan de pagos`, `cuotas`): until plans can be agreed in the chat, the bot
 * says so plainly and offers a person who can (hand-off reason `plan`).
 */
export class PlanDialog extends ComponentDialog {
  constructor(private readonly deps: FlowDeps) {
    super(DIALOG.plan);
    this.addDialog(new HumanDialog(deps));
    this.addDialog(new WaterfallDialog(STEPS, [(s) => this.explain(s), (s) => s.endDialog(s.result)]));
    this.initialDialogId = STEPS;
  }

  private async explain(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const session = await this.deps.sessions.load(step.context);
    return step.beginDialog(DIALOG.human, {
      reason: 'plan',
      ask: true,
      preface: { key: 'plan:explain', vars: { creditor: session.creditor } },
    } satisfies HumanOptions);
  }
}
