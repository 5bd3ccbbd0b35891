import { calendarDateIn } from '../domain/calendar-date.js';
import { openInvoices, totalsByCurrency } from '../domain/open-balance.js';
import type { Debtor } from '../domain/portfolio.js';
import type { AccountLedger } from '../ports/account-ledger.port.js';
import type { Clock } from '../ports/clock.port.js';
import type { BalanceView } from './debtor-assistant.js';

/**
 * The debtor's balance today, on the debtor's own calendar: open invoices (most overdue
 * first) and one total per currency, the currency of the most overdue invoice first. Derived
 * from the invoices minus every ledger entry, never from a stored counter.
 */
export async function debtorBalance(
  ledger: AccountLedger,
  clock: Clock,
  debtor: Pick<Debtor, 'debtorId' | 'timezone'>,
): Promise<BalanceView> {
  const asOf = calendarDateIn(clock.now(), debtor.timezone);
  const invoices = await ledger.invoicesOf(debtor.debtorId);
  const entries = invoices.length ? await ledger.entriesFor(invoices.map((i) => i.invoiceId)) : [];
  const open = openInvoices(invoices, entries, asOf);
  return { asOf, invoices: open, totals: totalsByCurrency(open) };
}
