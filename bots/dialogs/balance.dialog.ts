import { ComponentDialog, WaterfallDialog, type DialogTurnResult, type WaterfallStepContext } from 'botbuilder-dialogs';
import type { BalanceView, OpenInvoiceView } from '../../core/services/debtor-assistant.js';
import type { TurnSession } from '../session.js';
import { DIALOG, type FlowDeps, type FlowResult } from './flow.js';

const STEPS = 'balance.steps';

/** One invoice line: balance (and original amount when partly paid), due date, days overdue. */
export function invoiceLine(session: TurnSession, invoice: OpenInvoiceView): string {
  const balance = session.money(invoice.balance, invoice.currency);
  const amount =
    invoice.balance === invoice.amount
      ? balance
      : session.t('balance:partly-paid', { balance, original: session.money(invoice.amount, invoice.currency) });
  const vars = { invoice: invoice.invoiceId, amount, due: session.date(invoice.dueAt) };
  if (invoice.daysOverdue > 0) return session.t('balance:line-overdue', { ...vars, count: invoice.daysOverdue });
  if (invoice.daysOverdue === 0) return session.t('balance:line-due-today', vars);
  return session.t('balance:line-upcoming', { ...vars, count: -invoice.daysOverdue });
}

/** The balance in words: a heading, one line per open invoice, one total per currency. */
export function balanceText(session: TurnSession, view: BalanceView): string {
  const lines = [
    session.t('balance:heading', { creditor: session.creditor, date: session.date(view.asOf) }),
    ...view.invoices.map((i) => invoiceLine(session, i)),
    ...view.totals.map((t) => session.t('balance:total', { amount: session.money(t.balance, t.currency) })),
  ];
  return lines.join('\n');
}

/**
 * Balance: every open invoice with its amount, currency, due date and days overdue, and the
 * totals, formatted for the debtor's locale; then the menu.
 */
export class BalanceDialog extends ComponentDialog {
  constructor(private readonly deps: FlowDeps) {
    super(DIALOG.balance);
    this.addDialog(new WaterfallDialog(STEPS, [(s) => this.show(s)]));
    this.initialDialogId = STEPS;
  }

  private async show(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const session = await this.deps.sessions.load(step.context);
    const view = await this.deps.assistant.balance(session.debtorId!);
    if (!view.invoices.length) await session.say({ key: 'balance:nothing-due', vars: { creditor: session.creditor } });
    else await session.sayText(balanceText(session, view));
    return step.endDialog({ menu: true } satisfies FlowResult);
  }
}
