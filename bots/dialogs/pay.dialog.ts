import { ComponentDialog, WaterfallDialog, type DialogTurnResult, type WaterfallStepContext } from 'botbuilder-dialogs';
import type { BalanceView } from '../../core/services/debtor-assistant.js';
import { hasPhrase, normalize } from '../nlu/normalize.js';
import { AskDialog, type AskAnswer, type AskChoice } from './ask.dialog.js';
import { DIALOG, type FlowDeps, type FlowOptions, type FlowResult } from './flow.js';

const STEPS = 'pay.steps';
const ASK_WHAT = 'pay.ask-what';
/** Invoices offered one by one; beyond this the whole balance is the sensible choice. */
const MAX_INVOICE_OPTIONS = 6;

/** The open invoice a message names (`pagar F-1001`), if exactly one. */
export function mentionedInvoice(text: string, view: BalanceView): string | undefined {
  const norm = normalize(text);
  const found = view.invoices.filter((i) => normalize(i.invoiceId) && hasPhrase(norm, normalize(i.invoiceId)));
  return found.length === 1 ? found[0]!.invoiceId : undefined;
}

/**
 * Pay: a secure payment link from the creditor's payment provider, for the whole balance of a
 * currency or for one invoice. The receipt arrives later as a notice (see `renderNotice`).
 */
export class PayDialog extends ComponentDialog {
  constructor(private readonly deps: FlowDeps) {
    super(DIALOG.pay);
    this.addDialog(new AskDialog(ASK_WHAT, deps.sessions, { interrupts: (intent) => intent.kind !== 'pay' }));
    this.addDialog(new WaterfallDialog(STEPS, [(s) => this.choose(s), (s) => this.link(s)]));
    this.initialDialogId = STEPS;
  }

  private async choose(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const session = await this.deps.sessions.load(step.context);
    const view = await this.deps.assistant.balance(session.debtorId!);
    if (!view.invoices.length) {
      await session.say({ key: 'pay:nothing-due', vars: { creditor: session.creditor } });
      return step.endDialog({ menu: true } satisfies FlowResult);
    }
    const text = ((step.options ?? {}) as FlowOptions).text ?? '';
    const named = mentionedInvoice(text, view);
    if (named) return step.next({ kind: 'choice', value: `invoice:${named}`, text } satisfies AskAnswer);
    if (view.invoices.length === 1) return step.next({ kind: 'choice', value: `all:${view.invoices[0]!.currency}`, text } satisfies AskAnswer);

    const choices: AskChoice[] = view.totals.map((t) => ({
      value: `all:${t.currency}`,
      label: {
        key: view.totals.length > 1 ? 'pay:option-all-currency' : 'pay:option-all',
        vars: { amount: session.money(t.balance, t.currency), currency: t.currency },
      },
      synonyms: view.totals.length > 1 ? [`todo ${t.currency}`, `all ${t.currency}`] : ['todo', 'todo el saldo', 'all', 'everything', 'the whole balance'],
    }));
    for (const invoice of view.invoices.slice(0, MAX_INVOICE_OPTIONS)) {
      choices.push({
        value: `invoice:${invoice.invoiceId}`,
        label: { key: 'pay:option-invoice', vars: { invoice: invoice.invoiceId, amount: session.money(invoice.balance, invoice.currency) } },
        synonyms: [invoice.invoiceId],
      });
    }
    return step.beginDialog(ASK_WHAT, { prompt: { key: 'pay:ask-what' }, retry: { key: 'pay:retry-what' }, choices });
  }

  private async link(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const answer = step.result as AskAnswer;
    if (answer.kind === 'interrupt') return step.endDialog({ route: { intent: answer.intent, text: answer.text } } satisfies FlowResult);
    if (answer.kind !== 'choice') return step.endDialog({ menu: true } satisfies FlowResult);
    const session = await this.deps.sessions.load(step.context);
    const [kind, ref] = splitChoice(answer.value);
    const what = kind === 'invoice' ? { invoiceIds: [ref] } : { currency: ref };
    const result = await this.deps.assistant.createPaymentLink(session.debtorId!, what);
    if (!result.ok) {
      await session.say({ key: `pay:${result.reason}`, vars: { creditor: session.creditor } });
      return step.endDialog({ menu: true } satisfies FlowResult);
    }
    const link = result.value;
    await session.say(
      { key: 'pay:link', vars: { amount: session.money(link.amount, link.currency), url: link.url, creditor: session.creditor } },
      'pay:receipt-later',
    );
    return step.endDialog({ menu: true } satisfies FlowResult);
  }
}

function splitChoice(value: string): [string, string] {
  const at = value.indexOf(':');
  return [value.slice(0, at), value.slice(at + 1)];
}
