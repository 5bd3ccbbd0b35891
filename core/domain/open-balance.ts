import { daysBetween, type CalendarDate } from './calendar-date.js';
import type { CurrencyCode } from './currency.js';
import type { Invoice, Payment } from './portfolio.js';

/** An invoice with something still to pay on a date. Amounts in minor units. */
export interface OpenInvoice {
  readonly invoiceId: string;
  readonly amount: number;
  /** Amount minus every ledger entry of the invoice. */
  readonly balance: number;
  readonly currency: CurrencyCode;
  readonly issuedAt: CalendarDate;
  readonly dueAt: CalendarDate;
  /** Days past due on the as-of date; 0 or negative when not yet due. */
  readonly daysOverdue: number;
}

/** What is open in one currency, minor units. */
export interface CurrencyTotal {
  readonly currency: CurrencyCode;
  readonly balance: number;
}

/**
 * The debtor's open invoices on `asOf`, most overdue first (due date, then issue date, then
 * id). An invoice is open when issued on or before `asOf` and its amount exceeds the sum of its
 * ledger entries (CONTRACT.md section 4).
 *
 * Unlike the KPIs, every ledger entry counts whatever its date: a payment the debtor has made
 * is off the debt even if a provider dated it on a later day than the debtor's calendar shows
 * (a webhook in UTC, a debtor west of Greenwich), and the debtor must never be asked for it again.
 */
export function openInvoices(
  invoices: readonly Invoice[],
  entries: readonly Pick<Payment, 'invoiceId' | 'amount'>[],
  asOf: CalendarDate,
): OpenInvoice[] {
  const paid = new Map<string, number>();
  for (const e of entries) paid.set(e.invoiceId, (paid.get(e.invoiceId) ?? 0) + e.amount);
  const open: OpenInvoice[] = [];
  for (const inv of invoices) {
    if (inv.issuedAt > asOf) continue;
    const balance = inv.amount - (paid.get(inv.invoiceId) ?? 0);
    if (balance <= 0) continue;
    open.push({
      invoiceId: inv.invoiceId,
      amount: inv.amount,
      balance,
      currency: inv.currency,
      issuedAt: inv.issuedAt,
      dueAt: inv.dueAt,
      daysOverdue: daysBetween(inv.dueAt, asOf),
    });
  }
  return open.sort(
    (a, b) =>
      compare(a.dueAt, b.dueAt) || compare(a.issuedAt, b.issuedAt) || compare(a.invoiceId, b.invoiceId),
  );
}

/**
 * One total per currency, in the order the currencies first appear in `open` (so with
 * {@link openInvoices} the currency of the most overdue invoice comes first).
 */
export function totalsByCurrency(open: readonly Pick<OpenInvoice, 'currency' | 'balance'>[]): CurrencyTotal[] {
  const totals = new Map<CurrencyCode, number>();
  for (const inv of open) totals.set(inv.currency, (totals.get(inv.currency) ?? 0) + inv.balance);
  return [...totals].map(([currency, balance]) => ({ currency, balance }));
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
