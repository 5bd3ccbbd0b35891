import { calendarDateIn, type CalendarDate } from '../domain/calendar-date.js';
import type { CurrencyCode } from '../domain/currency.js';
import { localeFor } from '../domain/locale.js';
import type { Outcome } from '../domain/outcome.js';
import type { Debtor, Language, Payment } from '../domain/portfolio.js';
import type { AccountLedger } from '../ports/account-ledger.port.js';
import type { Clock } from '../ports/clock.port.js';
import type { DebtorDirectory } from '../ports/debtor-directory.port.js';
import type { Messenger, NoticeDelivery } from '../ports/messenger.port.js';
import type { PaymentLinkRecord, PaymentLinkRepository } from '../ports/payment-link-repository.port.js';
import { debtorBalance } from './debtor-balance.js';

/** What the local demo payment provider needs. */
export interface LocalPaymentDeps {
  readonly creditorName: string;
  readonly clock: Clock;
  readonly debtors: DebtorDirectory;
  readonly ledger: AccountLedger;
  readonly links: PaymentLinkRepository;
  readonly messenger: Messenger;
}

/** What the pay page shows: no debtor name (a forwarded link must not disclose who owes). */
export interface PayPageView {
  readonly token: string;
  /** `stale`: its invoices were paid meanwhile by other means; paying it would pay twice. */
  readonly status: 'open' | 'paid' | 'expired' | 'stale';
  readonly creditorName: string;
  readonly language: Language;
  /** BCP 47 locale for Intl formatting (`es-MX`). */
  readonly locale: string;
  readonly timezone: string;
  readonly currency: CurrencyCode;
  /** Minor units. */
  readonly amount: number;
  readonly invoices: readonly { readonly invoiceId: string; readonly amount: number; readonly dueAt?: CalendarDate }[];
  readonly expiresAt: Date;
  readonly paidAt?: Date;
}

/** What paying a link did. */
export type LocalPaymentResult =
  /** This call recorded the payment and sent (or tried to send) the receipt. */
  | { readonly status: 'recorded'; readonly view: PayPageView; readonly receipt: NoticeDelivery }
  /** The link was paid before (a double click, a reload): nothing recorded twice. */
  | { readonly status: 'already-paid'; readonly view: PayPageView }
  | { readonly status: 'expired'; readonly view: PayPageView }
  /** Nothing recorded: the link asks for more than its invoices still owe. */
  | { readonly status: 'stale'; readonly view: PayPageView }
  | { readonly status: 'unknown' };

/** The local demo provider's side of a payment link: the page, and paying it. */
export interface LocalPayments {
  /** The link as the pay page shows it. */
  describe(token: string): Promise<Outcome<PayPageView, 'unknown'>>;
  /** Pays the link: see {@link completeLocalPayment}. */
  complete(token: string): Promise<LocalPaymentResult>;
}

/** The ledger id of a local payment's entry for one invoice: one per link and invoice, ever. */
export function localPaymentId(token: string, invoiceId: string): string {
  return `local:${token}:${invoiceId}`;
}

/** {@link LocalPayments} over its ports. */
export function createLocalPayments(deps: LocalPaymentDeps): LocalPayments {
  return {
    describe: (token) => describePaymentLink(deps, token),
    complete: (token) => completeLocalPayment(deps, token),
  };
}

/** The link behind `token` as the pay page shows it; `unknown` for a token never issued. */
export async function describePaymentLink(deps: LocalPaymentDeps, token: string): Promise<Outcome<PayPageView, 'unknown'>> {
  const found = await load(deps, token);
  if (!found) return { ok: false, reason: 'unknown' };
  const { link, debtor } = found;
  const status = link.paidAt
    ? 'paid'
    : deps.clock.now() >= link.expiresAt
      ? 'expired'
      : (await isStale(deps, link))
        ? 'stale'
        : 'open';
  return { ok: true, value: await view(deps, link, debtor, status) };
}

/**
 * Pays a local demo link (CONTRACT.md section 7) exactly once, however often it is called
 * and by however many requests at once: each invoice's ledger entry has an id derived from
 * the token ({@link localPaymentId}), so a second insert is a no-op; the receipt goes to the
 * debtor's last channel once, to whoever wins the receipt claim. When sending throws, the
 * claim is given back and the error rethrown: calling again sends the receipt and records
 * nothing twice.
 */
export async function completeLocalPayment(deps: LocalPaymentDeps, token: string): Promise<LocalPaymentResult> {
  const found = await load(deps, token);
  if (!found) return { status: 'unknown' };
  const { link, debtor } = found;
  const now = deps.clock.now();
  const invoiceIds = link.invoices.map((a) => a.invoiceId);
  if (!link.paidAt) {
    // A crash between the ledger write and `markPaid` leaves a paid link looking unpaid: the
    // ledger decides whether it was paid.
    const ids = new Set(invoiceIds.map((id) => localPaymentId(link.token, id)));
    const entries = await deps.ledger.entriesFor(invoiceIds);
    if (!entries.some((e) => ids.has(e.paymentId))) {
      if (now >= link.expiresAt) return { status: 'expired', view: await view(deps, link, debtor, 'expired') };
      if (await isStale(deps, link, entries)) return { status: 'stale', view: await view(deps, link, debtor, 'stale') };
    }
  }

  const paidAt: CalendarDate = calendarDateIn(link.paidAt ?? now, debtor.timezone);
  const entries: Payment[] = link.invoices.map((a) => ({
    paymentId: localPaymentId(link.token, a.invoiceId),
    invoiceId: a.invoiceId,
    debtorId: link.debtorId,
    amount: a.amount,
    currency: link.currency,
    paidAt,
    source: 'local',
    recordedAt: now,
  }));
  await deps.ledger.record(entries);
  await deps.links.markPaid(link.token, now);
  const paid = { ...link, paidAt: link.paidAt ?? now };
  if (!(await deps.links.claimReceipt(link.token, now))) return { status: 'already-paid', view: await view(deps, paid, debtor, 'paid') };

  let receipt: NoticeDelivery;
  try {
    const after = await debtorBalance(deps.ledger, deps.clock, debtor);
    receipt = await deps.messenger.notifyDebtor(debtor.debtorId, {
      kind: 'receipt',
      amount: link.amount,
      currency: link.currency,
      invoiceIds,
      paidAt,
      remaining: after.totals,
    });
  } catch (error) {
    await deps.links.releaseReceipt(link.token);
    throw error;
  }
  return { status: 'recorded', view: await view(deps, paid, debtor, 'paid'), receipt };
}

/**
 * True when an invoice of the link now owes less than the link would pay for it: another link
 * (the debtor asked twice) or another channel paid it meanwhile, and paying this one would pay
 * twice. Two different links paid at the same instant can both pass this check; the same link
 * never pays twice.
 */
async function isStale(deps: LocalPaymentDeps, link: PaymentLinkRecord, entries?: readonly Payment[]): Promise<boolean> {
  const invoiceIds = link.invoices.map((a) => a.invoiceId);
  const [invoices, recorded] = await Promise.all([deps.ledger.invoicesOf(link.debtorId), entries ?? deps.ledger.entriesFor(invoiceIds)]);
  const owed = new Map(invoices.map((i) => [i.invoiceId, i.amount]));
  for (const e of recorded) owed.set(e.invoiceId, (owed.get(e.invoiceId) ?? 0) - e.amount);
  return link.invoices.some((a) => a.amount > (owed.get(a.invoiceId) ?? 0));
}

async function load(deps: LocalPaymentDeps, token: string): Promise<{ link: PaymentLinkRecord; debtor: Debtor } | undefined> {
  // Tokens are base64url: anything else was never issued, and needs no database round trip.
  if (!/^[A-Za-z0-9_-]{16,128}$/.test(token)) return undefined;
  const link = await deps.links.find(token);
  if (!link || link.provider !== 'local') return undefined;
  const debtor = await deps.debtors.find(link.debtorId);
  return debtor ? { link, debtor } : undefined;
}

async function view(deps: LocalPaymentDeps, link: PaymentLinkRecord, debtor: Debtor, status: PayPageView['status']): Promise<PayPageView> {
  const dueDates = new Map((await deps.ledger.invoicesOf(debtor.debtorId)).map((i) => [i.invoiceId, i.dueAt]));
  return {
    token: link.token,
    status,
    creditorName: deps.creditorName,
    language: debtor.language,
    locale: localeFor(debtor.language, debtor.country),
    timezone: debtor.timezone,
    currency: link.currency,
    amount: link.amount,
    invoices: link.invoices.map((a) => {
      const dueAt = dueDates.get(a.invoiceId);
      return { invoiceId: a.invoiceId, amount: a.amount, ...(dueAt ? { dueAt } : {}) };
    }),
    expiresAt: link.expiresAt,
    ...(link.paidAt ? { paidAt: link.paidAt } : {}),
  };
}
