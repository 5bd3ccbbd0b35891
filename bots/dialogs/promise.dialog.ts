import { ComponentDialog, WaterfallDialog, type DialogTurnResult, type WaterfallStepContext } from 'botbuilder-dialogs';
import { addDays, type CalendarDate } from '../../core/domain/calendar-date.js';
import { monthFirst, parsePromiseDate } from '../nlu/promise-date.js';
import type { TurnSession } from '../session.js';
import { AskDialog, type AskAnswer } from './ask.dialog.js';
import { DIALOG, type FlowDeps, type FlowOptions, type FlowResult } from './flow.js';

/** Options of a promise: the words that started it, and how many dates were refused so far. */
export interface PromiseOptions extends FlowOptions {
  readonly refused?: number;
}

const STEPS = 'promise.steps';
const ASK_DATE = 'promise.ask-date';
/** Dates refused (past, too far) before the bot stops asking and offers the menu. */
const MAX_REFUSED = 3;

/** The date a debtor means, read on their own calendar and in their own date order. */
export function promiseDateOf(text: string, session: TurnSession): CalendarDate | undefined {
  return parsePromiseDate(text, {
    today: session.today(),
    language: session.language,
    dayFirst: !monthFirst(session.language, session.profile?.country),
  });
}

/**
 * Promise to pay: a date in free text, read in the debtor's time zone, recorded through the
 * assistant within the policy's limit, and confirmed back in writing with the amount, the date
 * and how to pay (COMPLIANCE.md: agreements are confirmed in writing).
 */
export class PromiseDialog extends ComponentDialog {
  constructor(private readonly deps: FlowDeps) {
    super(DIALOG.promise);
    this.addDialog(
      new AskDialog(ASK_DATE, deps.sessions, {
        accepts: (text, session) => promiseDateOf(text, session) !== undefined,
        interrupts: (intent, text) => intent.kind !== 'promise' && text.length > 0,
      }),
    );
    this.addDialog(new WaterfallDialog(STEPS, [(s) => this.askDate(s), (s) => this.record(s)]));
    this.initialDialogId = STEPS;
  }

  private async askDate(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const session = await this.deps.sessions.load(step.context);
    const text = ((step.options ?? {}) as PromiseOptions).text;
    if (text && promiseDateOf(text, session)) return step.next({ kind: 'text', text } satisfies AskAnswer);
    return step.beginDialog(ASK_DATE, { prompt: { key: 'promise:ask-date' }, retry: { key: 'promise:retry-date' } });
  }

  private async record(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const answer = step.result as AskAnswer;
    if (answer.kind === 'interrupt') return step.endDialog({ route: { intent: answer.intent, text: answer.text } } satisfies FlowResult);
    const session = await this.deps.sessions.load(step.context);
    const date = answer.kind === 'text' ? promiseDateOf(answer.text, session) : undefined;
    if (!date) {
      await session.say('promise:gave-up');
      return step.endDialog({ menu: true } satisfies FlowResult);
    }
    const debtorId = session.debtorId!;
    const result = await this.deps.assistant.promiseToPay(debtorId, date);
    if (result.ok) {
      const promise = result.value;
      const amount = session.money(promise.amount, promise.currency);
      const link = await this.deps.assistant.createPaymentLink(debtorId, { currency: promise.currency });
      await session.say(
        { key: 'promise:confirmed', vars: { creditor: session.creditor, amount, date: session.date(promise.date, 'full') } },
        link.ok ? { key: 'promise:how-to-pay-link', vars: { url: link.value.url } } : 'promise:how-to-pay',
      );
      return step.endDialog({ menu: true } satisfies FlowResult);
    }
    if (result.reason === 'nothing-due') {
      await session.say({ key: 'promise:nothing-due', vars: { creditor: session.creditor } });
      return step.endDialog({ menu: true } satisfies FlowResult);
    }
    const refused = (((step.options ?? {}) as PromiseOptions).refused ?? 0) + 1;
    const vars = { date: session.date(date, 'full'), count: result.maxDays, last: session.date(addDays(session.today(), result.maxDays)) };
    await session.say({ key: result.reason === 'date-in-past' ? 'promise:date-in-past' : 'promise:too-far', vars });
    if (refused >= MAX_REFUSED) {
      await session.say('promise:gave-up');
      return step.endDialog({ menu: true } satisfies FlowResult);
    }
    return step.replaceDialog(STEPS, { refused } satisfies PromiseOptions);
  }
}
