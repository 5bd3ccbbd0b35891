import { expect } from 'chai';
import { ExactSum, roundedQuotient } from '../../../core/kpis/exact-arithmetic.js';
import {
  agingBucketOf,
  computeKpis,
  KpiAccumulator,
  type InvoiceFact,
  type KpiFigures,
  type PaymentFact,
} from '../../../core/kpis/kpis.js';

// D = 2026-03-31 throughout; the 90-day window D-89 .. D is 2026-01-01 .. 2026-03-31
// (31 days of January + 28 of February + 31 of March).
const D = '2026-03-31';

function invoice(invoiceId: string, debtorId: string, amount: number, issuedAt: string, dueAt: string, currency = 'MXN'): InvoiceFact {
  return { invoiceId, debtorId, amount, currency, issuedAt, dueAt };
}
function payment(invoiceId: string, amount: number, paidAt: string): PaymentFact {
  return { invoiceId, amount, paidAt };
}
function mxn(payments: PaymentFact[], invoices: InvoiceFact[], asOf = D): KpiFigures {
  const report = computeKpis(asOf, payments, invoices);
  expect(Object.keys(report)).to.deep.equal(['MXN']);
  return report.MXN!;
}

describe('KPI formulas (core/kpis)', () => {
  describe('balances on D', () => {
    it('subtracts payments dated on or before D and ignores later ones', () => {
      // I1 1000.00 - 250.00 (on D-1) - 100.00 (on D) = 650.00; the 300.00 of D+1 does not count yet.
      const f = mxn(
        [payment('I1', 250_00, '2026-03-30'), payment('I1', 100_00, '2026-03-31'), payment('I1', 300_00, '2026-04-01')],
        [invoice('I1', 'A', 1000_00, '2026-03-01', '2026-04-30')],
      );
      expect(f.openBalance).to.equal(650);
      expect(f.openInvoices).to.equal(1);
    });

    it('leaves out invoices issued after D, and payments made ahead on them', () => {
      // Only I1 exists on D; I2 (issued D+1) and its prepayment of D-5 are not part of the picture.
      const f = mxn(
        [payment('I2', 50_00, '2026-03-26')],
        [invoice('I1', 'A', 100_00, '2026-03-31', '2026-04-30'), invoice('I2', 'B', 900_00, '2026-04-01', '2026-05-01')],
      );
      expect(f.openBalance).to.equal(100);
      expect(f.openInvoices).to.equal(1);
      expect(f.debtors).to.equal(1);
      // DSO window sums only I1: 100.00 open / 100.00 issued x 90.
      expect(f.dso).to.equal(90);
    });

    it('does not count fully paid, overpaid or reversed-then-repaid invoices as open', () => {
      // I1 paid exactly; I2 overpaid (balance -10.00); I3: 100.00 paid, reversed, paid again = 100.00.
      const f = mxn(
        [
          payment('I1', 100_00, '2026-03-01'),
          payment('I2', 110_00, '2026-03-01'),
          payment('I3', 100_00, '2026-03-02'),
          payment('I3', -100_00, '2026-03-02'),
          payment('I3', 100_00, '2026-03-09'),
        ],
        [
          invoice('I1', 'A', 100_00, '2026-02-01', '2026-03-01'),
          invoice('I2', 'A', 100_00, '2026-02-01', '2026-03-01'),
          invoice('I3', 'B', 100_00, '2026-02-01', '2026-03-01'),
        ],
      );
      expect(f.openBalance).to.equal(0);
      expect(f.openInvoices).to.equal(0);
      expect(f.debtors).to.equal(0);
    });

    it('reopens an invoice whose payment was reversed', () => {
      // 400.00 paid then reversed (same date): balance back to 400.00.
      const f = mxn(
        [payment('I1', 400_00, '2026-03-10'), payment('I1', -400_00, '2026-03-10')],
        [invoice('I1', 'A', 400_00, '2026-03-01', '2026-03-20')],
      );
      expect(f.openBalance).to.equal(400);
      expect(f.overdueBalance).to.equal(400);
    });
  });

  describe('overdue', () => {
    it('is open with due_at before D; due on D itself is still current', () => {
      // I1 due D-1 (overdue 200.00), I2 due on D (current 300.00): 200 / 500 x 100 = 40.00 %.
      const f = mxn([], [invoice('I1', 'A', 200_00, '2026-02-01', '2026-03-30'), invoice('I2', 'B', 300_00, '2026-02-01', '2026-03-31')]);
      expect(f.overdueBalance).to.equal(200);
      expect(f.overdueDebtPct).to.equal(40);
      expect(f.agingBuckets).to.deep.equal({ current: 300, '1-30': 200, '31-60': 0, '61-90': 0, '91+': 0 });
    });

    it('rounds the overdue share to 2 decimals', () => {
      // 100.00 overdue of 300.00 open: 33.333... -> 33.33; 200.00 of 300.00 would be 66.67.
      const f = mxn([], [invoice('I1', 'A', 100_00, '2026-01-01', '2026-02-01'), invoice('I2', 'A', 200_00, '2026-03-01', '2026-04-01')]);
      expect(f.overdueDebtPct).to.equal(33.33);
    });

    it('counts delinquent debtors, not invoices', () => {
      // A: two overdue invoices; B: one current; C: one overdue and one current.
      // Debtors with an open invoice: A, B, C = 3; with an overdue one: A, C = 2 -> 66.67 %.
      const f = mxn(
        [],
        [
          invoice('A1', 'A', 10_00, '2026-01-01', '2026-01-31'),
          invoice('A2', 'A', 10_00, '2026-01-01', '2026-02-28'),
          invoice('B1', 'B', 10_00, '2026-03-01', '2026-04-30'),
          invoice('C1', 'C', 10_00, '2026-01-01', '2026-03-01'),
          invoice('C2', 'C', 10_00, '2026-03-01', '2026-04-30'),
        ],
      );
      expect(f.debtors).to.equal(3);
      expect(f.openInvoices).to.equal(5);
      expect(f.delinquentDebtorsPct).to.equal(66.67);
    });
  });

  describe('aging buckets', () => {
    it('cuts at 0, 30, 60 and 90 days past due', () => {
      const cases: [number, string][] = [
        [-5, 'current'], [0, 'current'], [1, '1-30'], [30, '1-30'], [31, '31-60'],
        [60, '31-60'], [61, '61-90'], [90, '61-90'], [91, '91+'], [400, '91+'],
      ];
      for (const [days, bucket] of cases) expect(agingBucketOf(days), `${days} days`).to.equal(bucket);
    });

    it('sums open balances by days past due', () => {
      // Days past due on D: I1 due 2026-03-01 -> 30 (1-30); I2 due 2026-02-28 -> 31 (31-60);
      // I3 due 2025-12-31 -> 90 (61-90); I4 due 2025-12-30 -> 91 (91+); I5 due 2026-04-01 -> -1 (current).
      // I2 is half paid: 80.00 - 40.00 = 40.00.
      const f = mxn(
        [payment('I2', 40_00, '2026-03-01')],
        [
          invoice('I1', 'A', 10_00, '2025-12-01', '2026-03-01'),
          invoice('I2', 'A', 80_00, '2025-12-01', '2026-02-28'),
          invoice('I3', 'A', 30_00, '2025-12-01', '2025-12-31'),
          invoice('I4', 'A', 45_50, '2025-12-01', '2025-12-30'),
          invoice('I5', 'A', 5_05, '2025-12-01', '2026-04-01'),
        ],
      );
      expect(f.agingBuckets).to.deep.equal({ current: 5.05, '1-30': 10, '31-60': 40, '61-90': 30, '91+': 45.5 });
      // 5.05 + 10 + 40 + 30 + 45.50 = 130.55 open, of which 125.50 overdue.
      expect(f.openBalance).to.equal(130.55);
      expect(f.overdueBalance).to.equal(125.5);
    });
  });

  describe('averageDebtAgeDays', () => {
    it('weights D - issued_at by the open balance', () => {
      // I1: 300.00 open, issued 2026-03-01 -> 30 days; I2: 100.00 open of 250.00, issued 2025-12-01 -> 120 days.
      // (30000 x 30 + 10000 x 120) / (30000 + 10000) = (900000 + 1200000) / 40000 = 52.5 days.
      const f = mxn(
        [payment('I2', 150_00, '2026-01-10')],
        [invoice('I1', 'A', 300_00, '2026-03-01', '2026-03-31'), invoice('I2', 'B', 250_00, '2025-12-01', '2025-12-31')],
      );
      expect(f.averageDebtAgeDays).to.equal(52.5);
    });

    it('rounds to 1 decimal', () => {
      // (100 x 1 + 200 x 0) / 300 = 0.333... -> 0.3 (issued D-1 and D).
      const f = mxn([], [invoice('I1', 'A', 1_00, '2026-03-30', '2026-04-30'), invoice('I2', 'A', 2_00, '2026-03-31', '2026-04-30')]);
      expect(f.averageDebtAgeDays).to.equal(0.3);
    });
  });

  describe('averageCollectionPeriodDays', () => {
    it('weights payment date - issued_at by amount over payments dated D-89 .. D', () => {
      // In the window: 100.00 on 2026-01-01 (window start; issued 2025-12-02: 30 days) and 300.00 on D
      // (issued 2026-03-21: 10 days). Out: 500.00 on 2025-12-31 (D-90) and 700.00 on D+1.
      // (10000 x 30 + 30000 x 10) / (10000 + 30000) = 600000 / 40000 = 15.0 days.
      const f = mxn(
        [
          payment('I1', 100_00, '2026-01-01'),
          payment('I2', 300_00, '2026-03-31'),
          payment('I3', 500_00, '2025-12-31'),
          payment('I4', 700_00, '2026-04-01'),
        ],
        [
          invoice('I1', 'A', 100_00, '2025-12-02', '2026-01-01'),
          invoice('I2', 'A', 300_00, '2026-03-21', '2026-04-21'),
          invoice('I3', 'B', 500_00, '2025-11-01', '2025-12-01'),
          invoice('I4', 'B', 700_00, '2025-11-01', '2025-12-01'),
        ],
      );
      expect(f.averageCollectionPeriodDays).to.equal(15);
    });

    it('lets a reversal cancel the entry it reverses', () => {
      // 200.00 paid 20 days after issue, reversed the same day; 100.00 paid 50 days after issue.
      // (20000 x 20 - 20000 x 20 + 10000 x 50) / (20000 - 20000 + 10000) = 50.0 days.
      const f = mxn(
        [payment('I1', 200_00, '2026-02-21'), payment('I1', -200_00, '2026-02-21'), payment('I1', 100_00, '2026-03-23')],
        [invoice('I1', 'A', 300_00, '2026-02-01', '2026-03-01')],
      );
      expect(f.averageCollectionPeriodDays).to.equal(50);
    });

    it('is null when no payment is dated in the window', () => {
      const f = mxn([payment('I1', 10_00, '2025-12-31')], [invoice('I1', 'A', 100_00, '2025-12-01', '2026-01-01')]);
      expect(f.averageCollectionPeriodDays).to.equal(null);
    });
  });

  describe('dso', () => {
    it('is open balance / amounts issued D-89 .. D x 90', () => {
      // Issued in the window: I2 (2026-01-01, 200.00) and I3 (D, 100.00) = 300.00; I1 (2025-12-31) is not.
      // Open: I1 400.00 + I2 200.00 + I3 100.00 = 700.00. 70000 x 90 / 30000 = 210.0.
      const f = mxn(
        [],
        [
          invoice('I1', 'A', 400_00, '2025-12-31', '2026-01-30'),
          invoice('I2', 'A', 200_00, '2026-01-01', '2026-01-31'),
          invoice('I3', 'A', 100_00, '2026-03-31', '2026-04-30'),
        ],
      );
      expect(f.dso).to.equal(210);
    });

    it('rounds to 1 decimal', () => {
      // 100.00 open / 700.00 issued x 90 = 12.857... -> 12.9 (I2 is paid).
      const f = mxn(
        [payment('I2', 600_00, '2026-03-10')],
        [invoice('I1', 'A', 100_00, '2026-03-01', '2026-04-01'), invoice('I2', 'A', 600_00, '2026-03-01', '2026-04-01')],
      );
      expect(f.dso).to.equal(12.9);
    });

    it('is null when nothing was issued in the window', () => {
      const f = mxn([], [invoice('I1', 'A', 100_00, '2025-12-31', '2026-01-30')]);
      expect(f.dso).to.equal(null);
    });
  });

  describe('currencies', () => {
    it('keys the report by currency code, alphabetically, and keeps each currency apart', () => {
      const report = computeKpis(
        D,
        [payment('U1', 5_00, '2026-03-01')],
        [invoice('U1', 'A', 10_00, '2026-03-01', '2026-04-01', 'USD'), invoice('M1', 'A', 10_00, '2026-03-01', '2026-04-01', 'MXN')],
      );
      expect(Object.keys(report)).to.deep.equal(['MXN', 'USD']);
      expect(report.MXN!.openBalance).to.equal(10);
      expect(report.USD!.openBalance).to.equal(5);
    });

    it('converts with the currency minor digits: CLP has none, KWD three (rounded to 2 decimals)', () => {
      // CLP 15000 is 15000 pesos; KWD 1234567 fils is 1234.567 dinars -> 1234.57.
      const report = computeKpis(
        D,
        [],
        [invoice('C1', 'A', 15000, '2026-03-01', '2026-04-01', 'CLP'), invoice('K1', 'B', 1_234_567, '2026-03-01', '2026-04-01', 'KWD')],
      );
      expect(report.CLP!.openBalance).to.equal(15000);
      expect(report.KWD!.openBalance).to.equal(1234.57);
    });

    it('reports a currency whose invoices are all paid, with zeros where nothing is open', () => {
      // EUR 80.00 issued 2026-02-01, paid 2026-02-11: 10 days to collect; nothing open, so DSO 0 / 80 x 90 = 0.
      const report = computeKpis(D, [payment('E1', 80_00, '2026-02-11')], [invoice('E1', 'A', 80_00, '2026-02-01', '2026-03-01', 'EUR')]);
      expect(report).to.deep.equal({
        EUR: {
          openBalance: 0,
          overdueBalance: 0,
          overdueDebtPct: 0,
          delinquentDebtorsPct: 0,
          averageDebtAgeDays: 0,
          averageCollectionPeriodDays: 10,
          dso: 0,
          agingBuckets: { current: 0, '1-30': 0, '31-60': 0, '61-90': 0, '91+': 0 },
          openInvoices: 0,
          debtors: 0,
        },
      });
    });
  });

  describe('empty portfolio', () => {
    it('reports no currency at all', () => {
      expect(computeKpis(D, [], [])).to.deep.equal({});
    });

    it('gives zeros and nulls for a currency asked for by name', () => {
      expect(new KpiAccumulator(D).figures('USD')).to.deep.equal({
        openBalance: 0,
        overdueBalance: 0,
        overdueDebtPct: 0,
        delinquentDebtorsPct: 0,
        averageDebtAgeDays: 0,
        averageCollectionPeriodDays: null,
        dso: null,
        agingBuckets: { current: 0, '1-30': 0, '31-60': 0, '61-90': 0, '91+': 0 },
        openInvoices: 0,
        debtors: 0,
      });
    });
  });

  describe('streaming', () => {
    it('refuses a payment after the first invoice (it could no longer be applied)', () => {
      const acc = new KpiAccumulator(D);
      acc.addInvoice(invoice('I1', 'A', 100, '2026-03-01', '2026-04-01'));
      expect(() => acc.addPayment(payment('I1', 100, '2026-03-02'))).to.throw(/before the first invoice/);
    });

    it('refuses an amount that is not an integer of minor units', () => {
      expect(() => new KpiAccumulator(D).addInvoice(invoice('I1', 'A', 10.5, '2026-03-01', '2026-04-01'))).to.throw(RangeError);
    });
  });
});

describe('exact KPI arithmetic', () => {
  it('rounds half away from zero', () => {
    expect(roundedQuotient(5n, 2n, 0)).to.equal(3);
    expect(roundedQuotient(-5n, 2n, 0)).to.equal(-3);
    expect(roundedQuotient(1n, 8n, 2)).to.equal(0.13);
    expect(roundedQuotient(2n, 3n, 2)).to.equal(0.67);
    expect(roundedQuotient(0n, 7n, 2)).to.equal(0);
    expect(Object.is(roundedQuotient(-1n, 1000n, 2), 0)).to.equal(true);
  });

  it('stays exact past 2^53', () => {
    const sum = new ExactSum();
    sum.add(Number.MAX_SAFE_INTEGER);
    sum.add(Number.MAX_SAFE_INTEGER);
    sum.addProduct(3_000_000_000_000, 5_000_000);
    expect(sum.value()).to.equal(2n * 9007199254740991n + 15_000_000_000_000_000_000n);
    // (2^53 + 1) / 2 = 4503599627370496.5 -> 4503599627370497; in floats 2^53 + 1 is already 2^53.
    expect(roundedQuotient(9007199254740993n, 2n, 0)).to.equal(4503599627370497);
  });
});
