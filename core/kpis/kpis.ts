import { addDays, daysBetween, type CalendarDate } from '../domain/calendar-date.js';
import { minorUnitDigits, type CurrencyCode } from '../domain/currency.js';
import { ExactSum, roundedQuotient } from './exact-arithmetic.js';

/** Days in the trailing window of `averageCollectionPeriodDays` and `dso`: D-89 .. D. */
export const KPI_WINDOW_DAYS = 90;

/** The aging buckets of CONTRACT.md section 4, by days past due (D - due date). */
export const AGING_BUCKETS = ['current', '1-30', '31-60', '61-90', '91+'] as const;
/** One aging bucket name. */
export type AgingBucket = (typeof AGING_BUCKETS)[number];

/** A payment ledger entry as the KPIs see it. */
export interface PaymentFact {
  readonly invoiceId: string;
  /** Minor units of the invoice's currency; negative for a reversal. */
  readonly amount: number;
  readonly paidAt: CalendarDate;
}

/** An invoice as the KPIs see it. */
export interface InvoiceFact {
  readonly invoiceId: string;
  readonly debtorId: string;
  /** Minor units. */
  readonly amount: number;
  readonly currency: CurrencyCode;
  readonly issuedAt: CalendarDate;
  readonly dueAt: CalendarDate;
}

/**
 * The KPIs of one currency on one as-of date, as CONTRACT.md section 4 names them: money in
 * major units (2 decimals), percentages 0-100 (2 decimals), days (1 decimal).
 */
export interface KpiFigures {
  readonly openBalance: number;
  readonly overdueBalance: number;
  readonly overdueDebtPct: number;
  readonly delinquentDebtorsPct: number;
  readonly averageDebtAgeDays: number;
  /** Null when no payment is dated in the window. */
  readonly averageCollectionPeriodDays: number | null;
  /** Null when no invoice was issued in the window. */
  readonly dso: number | null;
  readonly agingBuckets: Readonly<Record<AgingBucket, number>>;
  readonly openInvoices: number;
  readonly debtors: number;
}

/** KPI figures keyed by currency code, codes in alphabetical order. */
export type KpiReport = Readonly<Record<CurrencyCode, KpiFigures>>;

/** Window payments of one invoice, kept until the invoice (and its issue date) arrives. */
interface WindowPayments {
  /** Sum of the amounts. */
  amount: number;
  /** Sum of amount x (payment day - window start day): the window start keeps it small. */
  weightedOffset: number;
}

/** Running sums of one currency, all in integer minor units, days and counts. */
class CurrencyTally {
  readonly open = new ExactSum();
  readonly overdue = new ExactSum();
  /** Sum of balance x (D - issued) over open invoices. */
  readonly ageWeighted = new ExactSum();
  /** Sum of window payment amounts, and of amount x (payment date - issued). */
  readonly collected = new ExactSum();
  readonly collectionWeighted = new ExactSum();
  /** Sum of amounts of invoices issued in the window. */
  readonly issuedInWindow = new ExactSum();
  readonly buckets = AGING_BUCKETS.map(() => new ExactSum());
  openInvoices = 0;
  readonly openDebtors = new Set<string>();
  readonly overdueDebtors = new Set<string>();
}

const EPOCH = '1970-01-01';

/**
 * Computes the KPIs of CONTRACT.md section 4 in one pass over the ledger, without holding the
 * invoices: feed it every payment fact first, then every invoice fact, then ask for the report.
 * It keeps one paid sum per invoice that has payments, one tally per currency, and the sets of
 * debtors with open and overdue invoices; an invoice is folded into its currency's tally the
 * moment it arrives and then forgotten.
 *
 * Facts dated after the as-of date are ignored here too, so a reader may filter or not.
 *
 * @example
 * const kpis = new KpiAccumulator('2026-03-31');
 * for (const p of payments) kpis.addPayment(p);
 * for (const i of invoices) kpis.addInvoice(i);
 * kpis.report(); // { MXN: { openBalance: 1234.5, ... } }
 */
export class KpiAccumulator {
  /** First day of the trailing window, D-89. */
  readonly windowStart: CalendarDate;
  private readonly asOfDay: number;
  private readonly windowStartDay: number;
  private readonly paid = new Map<string, number>();
  private readonly windowPaid = new Map<string, WindowPayments>();
  private readonly tallies = new Map<CurrencyCode, CurrencyTally>();
  private readonly dayCache = new Map<CalendarDate, number>();
  private invoicesStarted = false;

  constructor(readonly asOf: CalendarDate) {
    this.windowStart = addDays(asOf, -(KPI_WINDOW_DAYS - 1));
    this.asOfDay = this.day(asOf);
    this.windowStartDay = this.day(this.windowStart);
  }

  /** Adds one ledger entry. Every payment must come before the first invoice. */
  addPayment(payment: PaymentFact): void {
    if (this.invoicesStarted) throw new Error('KpiAccumulator: add every payment before the first invoice');
    if (!Number.isSafeInteger(payment.amount)) {
      throw new RangeError(`payment of invoice ${payment.invoiceId}: amount is not an integer of minor units: ${payment.amount}`);
    }
    if (payment.paidAt > this.asOf) return;
    this.paid.set(payment.invoiceId, (this.paid.get(payment.invoiceId) ?? 0) + payment.amount);
    if (payment.paidAt < this.windowStart) return;
    const offset = this.day(payment.paidAt) - this.windowStartDay;
    const w = this.windowPaid.get(payment.invoiceId);
    if (w) {
      w.amount += payment.amount;
      w.weightedOffset += payment.amount * offset;
    } else {
      this.windowPaid.set(payment.invoiceId, { amount: payment.amount, weightedOffset: payment.amount * offset });
    }
  }

  /** Adds one invoice; each invoice once. */
  addInvoice(invoice: InvoiceFact): void {
    this.invoicesStarted = true;
    if (!Number.isSafeInteger(invoice.amount)) {
      throw new RangeError(`invoice ${invoice.invoiceId}: amount is not an integer of minor units: ${invoice.amount}`);
    }
    // Not yet issued on D: as of D the invoice, and anything paid against it, does not exist.
    if (invoice.issuedAt > this.asOf) return;
    const t = this.tally(invoice.currency);
    const issuedDay = this.day(invoice.issuedAt);
    if (invoice.issuedAt >= this.windowStart) t.issuedInWindow.add(invoice.amount);

    const w = this.windowPaid.get(invoice.invoiceId);
    if (w) {
      if (!Number.isSafeInteger(w.weightedOffset)) {
        throw new RangeError(`invoice ${invoice.invoiceId}: window payments too large to weigh exactly`);
      }
      // sum of amount x (paid - issued) = sum of amount x (paid - start) + (sum of amount) x (start - issued)
      t.collected.add(w.amount);
      t.collectionWeighted.add(w.weightedOffset);
      t.collectionWeighted.addProduct(w.amount, this.windowStartDay - issuedDay);
    }

    const balance = invoice.amount - (this.paid.get(invoice.invoiceId) ?? 0);
    if (balance <= 0) return;
    t.openInvoices++;
    t.open.add(balance);
    t.openDebtors.add(invoice.debtorId);
    t.ageWeighted.addProduct(balance, this.asOfDay - issuedDay);
    const pastDue = this.asOfDay - this.day(invoice.dueAt);
    t.buckets[bucketIndex(pastDue)]!.add(balance);
    if (pastDue > 0) {
      t.overdue.add(balance);
      t.overdueDebtors.add(invoice.debtorId);
    }
  }

  /** Currencies with at least one invoice issued on or before D, alphabetically. */
  currencies(): CurrencyCode[] {
    return [...this.tallies.keys()].sort();
  }

  /** The figures of one currency; zeros (and nulls) when it has no invoice issued by D. */
  figures(currency: CurrencyCode): KpiFigures {
    return figuresOf(this.tallies.get(currency) ?? new CurrencyTally(), currency);
  }

  /** The figures of every currency with an invoice issued by D; `{}` for an empty portfolio. */
  report(): KpiReport {
    const out: Record<CurrencyCode, KpiFigures> = {};
    for (const c of this.currencies()) out[c] = this.figures(c);
    return out;
  }

  private tally(currency: CurrencyCode): CurrencyTally {
    let t = this.tallies.get(currency);
    if (!t) {
      t = new CurrencyTally();
      this.tallies.set(currency, t);
    }
    return t;
  }

  /** Days since 1970-01-01; the cache matters because 100k invoices share a few thousand dates. */
  private day(date: CalendarDate): number {
    let d = this.dayCache.get(date);
    if (d === undefined) {
      d = daysBetween(EPOCH, date);
      if (!Number.isSafeInteger(d)) throw new RangeError(`not a calendar date: ${date}`);
      this.dayCache.set(date, d);
    }
    return d;
  }
}

/** The bucket of an open balance `pastDue` days past due (0 or less: current). */
export function agingBucketOf(pastDue: number): AgingBucket {
  return AGING_BUCKETS[bucketIndex(pastDue)]!;
}

function bucketIndex(pastDue: number): number {
  if (pastDue <= 0) return 0;
  if (pastDue <= 30) return 1;
  if (pastDue <= 60) return 2;
  if (pastDue <= 90) return 3;
  return 4;
}

function figuresOf(t: CurrencyTally, currency: CurrencyCode): KpiFigures {
  const minorPerMajor = 10n ** BigInt(minorUnitDigits(currency));
  const money = (sum: ExactSum): number => roundedQuotient(sum.value(), minorPerMajor, 2);
  const open = t.open.value();
  const collected = t.collected.value();
  const issued = t.issuedInWindow.value();
  const openDebtors = BigInt(t.openDebtors.size);
  const buckets = {} as Record<AgingBucket, number>;
  AGING_BUCKETS.forEach((name, i) => {
    buckets[name] = money(t.buckets[i]!);
  });
  return {
    openBalance: money(t.open),
    overdueBalance: money(t.overdue),
    overdueDebtPct: open > 0n ? roundedQuotient(t.overdue.value() * 100n, open, 2) : 0,
    delinquentDebtorsPct: openDebtors > 0n ? roundedQuotient(BigInt(t.overdueDebtors.size) * 100n, openDebtors, 2) : 0,
    averageDebtAgeDays: open > 0n ? roundedQuotient(t.ageWeighted.value(), open, 1) : 0,
    // A payment reversed in the window nets to nothing: with no net collection there is no period.
    averageCollectionPeriodDays: collected > 0n ? roundedQuotient(t.collectionWeighted.value(), collected, 1) : null,
    dso: issued > 0n ? roundedQuotient(open * BigInt(KPI_WINDOW_DAYS), issued, 1) : null,
    agingBuckets: buckets,
    openInvoices: t.openInvoices,
    debtors: t.openDebtors.size,
  };
}

/**
 * The KPIs of in-memory facts (tests, small portfolios): the same as feeding a
 * {@link KpiAccumulator} the payments, then the invoices.
 */
export function computeKpis(asOf: CalendarDate, payments: Iterable<PaymentFact>, invoices: Iterable<InvoiceFact>): KpiReport {
  const acc = new KpiAccumulator(asOf);
  for (const p of payments) acc.addPayment(p);
  for (const i of invoices) acc.addInvoice(i);
  return acc.report();
}
