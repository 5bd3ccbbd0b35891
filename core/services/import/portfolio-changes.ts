import type { CalendarDate } from '../../domain/calendar-date.js';
import type { Debtor, Invoice, Language, Payment } from '../../domain/portfolio.js';
import type { ImportedPaymentState } from '../../ports/portfolio-store.port.js';
import type { DebtorInput } from './row-parser.js';

/** Defaults for debtor fields a new debtor's rows leave empty. */
export interface DebtorDefaults {
  readonly language: Language;
  readonly timezone: string;
}

/**
 * The debtor after applying a row: given fields replace, fields the row leaves empty keep
 * their stored value (a language the debtor chose in chat, a Telegram id learnt later), and a
 * new debtor takes the defaults.
 */
export function mergeDebtor(base: Debtor | undefined, input: DebtorInput, defaults: DebtorDefaults): Debtor {
  const phone = input.phone ?? base?.phone;
  const email = input.email ?? base?.email;
  const documentId = input.documentId ?? base?.documentId;
  const country = input.country ?? base?.country;
  const telegramUserId = input.telegramUserId ?? base?.telegramUserId;
  return {
    debtorId: input.debtorId,
    name: input.name,
    ...(phone !== undefined ? { phone } : {}),
    ...(email !== undefined ? { email } : {}),
    ...(documentId !== undefined ? { documentId } : {}),
    language: input.language ?? base?.language ?? defaults.language,
    timezone: input.timezone ?? base?.timezone ?? defaults.timezone,
    ...(country !== undefined ? { country } : {}),
    ...(telegramUserId !== undefined ? { telegramUserId } : {}),
  };
}

/** True when both describe the debtor identically. */
export function sameDebtor(a: Debtor, b: Debtor): boolean {
  return (
    a.debtorId === b.debtorId &&
    a.name === b.name &&
    a.phone === b.phone &&
    a.email === b.email &&
    a.documentId === b.documentId &&
    a.language === b.language &&
    a.timezone === b.timezone &&
    a.country === b.country &&
    a.telegramUserId === b.telegramUserId
  );
}

/** True when both describe the invoice identically. */
export function sameInvoice(a: Invoice, b: Invoice): boolean {
  return (
    a.invoiceId === b.invoiceId &&
    a.debtorId === b.debtorId &&
    a.amount === b.amount &&
    a.currency === b.currency &&
    a.issuedAt === b.issuedAt &&
    a.dueAt === b.dueAt
  );
}

/** The ledger id of the `seq`-th import entry of an invoice. */
export function importPaymentId(invoiceId: string, seq: number): string {
  return `import:${invoiceId}:${seq}`;
}

/**
 * The ledger entries that make an invoice's "paid before import" equal what the row says.
 * The ledger is never edited: a change appends a reversal of the previous net (dated like it,
 * in its currency) and then the new amount. Entry ids follow the sequence, so two workers
 * importing the same change write the same ids and the second insert is a no-op.
 */
export function planImportedPayment(
  invoice: Invoice,
  want: { readonly amount: number; readonly paidAt?: CalendarDate },
  state: ImportedPaymentState | undefined,
  recordedAt: Date,
): Payment[] {
  const netAmount = state?.amount ?? 0;
  const unchanged =
    netAmount === want.amount && (want.amount === 0 || (state?.paidAt === want.paidAt && (state?.currency ?? invoice.currency) === invoice.currency));
  if (unchanged) return [];

  const entries: Payment[] = [];
  let seq = state?.entries ?? 0;
  const entry = (amount: number, currency: string, paidAt: CalendarDate): Payment => ({
    paymentId: importPaymentId(invoice.invoiceId, seq++),
    invoiceId: invoice.invoiceId,
    debtorId: invoice.debtorId,
    amount,
    currency,
    paidAt,
    source: 'import',
    recordedAt,
  });
  if (netAmount !== 0 && state) {
    // A net without a date cannot come from this importer; date the reversal like the
    // invoice's new payment rather than inventing one.
    entries.push(entry(-netAmount, state.currency ?? invoice.currency, state.paidAt ?? want.paidAt ?? invoice.issuedAt));
  }
  if (want.amount > 0 && want.paidAt) entries.push(entry(want.amount, invoice.currency, want.paidAt));
  return entries;
}
