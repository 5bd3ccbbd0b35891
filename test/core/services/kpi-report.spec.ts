import { expect } from 'chai';
import { MongoLedgerReader } from '../../../core/infra/mongo-ledger-reader.js';
import type { InvoiceDoc, PaymentDoc } from '../../../core/infra/models.js';
import type { InvoiceFact, KpiFigures, PaymentFact } from '../../../core/kpis/kpis.js';
import type { LedgerReader } from '../../../core/ports/ledger-reader.port.js';
import { computeKpiReport } from '../../../core/services/kpi-report.js';
import { useTestDatabase } from '../../support/database.js';

// As of D = 2026-03-31. The 90-day window D-89 .. D is 2026-01-01 .. 2026-03-31.
const D = '2026-03-31';
const recordedAt = new Date('2026-04-01T00:00:00Z');

function inv(_id: string, debtorId: string, amount: number, currency: string, issuedAt: string, dueAt: string): InvoiceDoc {
  return { _id, debtorId, amount, currency, issuedAt, dueAt };
}
let seq = 0;
function pay(invoice: InvoiceDoc, amount: number, paidAt: string): PaymentDoc {
  return {
    _id: `${invoice._id}:${seq++}`,
    invoiceId: invoice._id,
    debtorId: invoice.debtorId,
    amount,
    currency: invoice.currency,
    paidAt,
    source: 'manual',
    recordedAt,
  };
}

// MXN. Per invoice: open balance on D, days past due (D - due), age (D - issued).
const mA1 = inv('M-A1', 'A', 1000_00, 'MXN', '2026-03-01', '2026-03-31'); // open 1000.00, 0 past due (current), age 30
const mH1 = inv('M-H1', 'H', 500_00, 'MXN', '2025-12-01', '2025-12-31'); //  open 500.00 - 200.00 = 300.00, 90 past due (61-90), age 120
const mB1 = inv('M-B1', 'B', 300_00, 'MXN', '2026-02-01', '2026-03-01'); //  open 300.00 (its payment is dated D+5), 30 past due (1-30), age 58
const mB2 = inv('M-B2', 'B', 250_00, 'MXN', '2025-10-01', '2025-10-31'); //  paid in full on 2026-02-10 (132 days after issue)
const mC1 = inv('M-C1', 'C', 800_00, 'MXN', '2025-06-01', '2025-07-01'); //  open 800.00, 273 past due (91+), age 303
const mC2 = inv('M-C2', 'C', 100_00, 'MXN', '2026-04-10', '2026-05-10'); //  issued after D: left out, with its prepayment
const mD1 = inv('M-D1', 'D', 400_00, 'MXN', '2026-01-10', '2026-02-20'); //  open 400.00 - 150.00 = 250.00 (a 100.00 reversed), 39 past due (31-60), age 80
const mD2 = inv('M-D2', 'D', 123_45, 'MXN', '2026-03-30', '2026-04-29'); //  open 123.45, current, age 1
const mE1 = inv('M-E1', 'E', 200_00, 'MXN', '2026-03-15', '2026-04-15'); //  paid in full on D (16 days after issue)
const mA2 = inv('M-A2', 'A', 600_00, 'MXN', '2025-09-01', '2025-09-30'); //  paid in full on 2025-12-31 = D-90, before the window
const mA3 = inv('M-A3', 'A', 55_55, 'MXN', '2026-01-01', '2026-01-31'); //   issued and paid on the window's first day (0 days)
const mA4 = inv('M-A4', 'A', 70_00, 'MXN', '2025-12-31', '2026-01-30'); //   issued and paid the day before the window
// USD.
const uF1 = inv('U-F1', 'F', 1000_00, 'USD', '2026-03-20', '2026-04-20'); // open 1000.00 - 250.00 = 750.00, current, age 11
const uG1 = inv('U-G1', 'G', 50_00, 'USD', '2025-11-15', '2025-12-15'); //   open 50.00, 106 past due (91+), age 136

const invoices = [mA1, mH1, mB1, mB2, mC1, mC2, mD1, mD2, mE1, mA2, mA3, mA4, uF1, uG1];
const payments = [
  pay(mH1, 200_00, '2026-01-15'), //  in window: 45 days after issue
  pay(mB1, 300_00, '2026-04-05'), //  after D: does not count
  pay(mB2, 250_00, '2026-02-10'), //  in window: 132 days
  pay(mC2, 50_00, '2026-03-20'), //   prepayment of an invoice not yet issued on D
  pay(mD1, 150_00, '2026-03-01'), //  in window: 50 days
  pay(mD1, 100_00, '2026-03-10'), //  in window: 59 days ...
  pay(mD1, -100_00, '2026-03-10'), // ... reversed, dated like the entry it reverses
  pay(mE1, 200_00, '2026-03-31'), //  on D, in window: 16 days
  pay(mA2, 600_00, '2025-12-31'), //  D-90: outside the window
  pay(mA3, 55_55, '2026-01-01'), //   window start: 0 days
  pay(mA4, 70_00, '2025-12-31'), //   outside the window
  pay(uF1, 250_00, '2026-03-25'), //  in window: 5 days
];

// MXN, in minor units:
// open = 100000 (A1) + 30000 (H1) + 30000 (B1) + 80000 (C1) + 25000 (D1) + 12345 (D2) = 277345 -> 2773.45
// overdue = H1 + B1 + C1 + D1 = 30000 + 30000 + 80000 + 25000 = 165000 -> 1650.00
// overdueDebtPct = 165000 / 277345 x 100 = 59.4926... -> 59.49
// debtors with an open invoice: A, H, B, C, D = 5; with an overdue one: H, B, C, D = 4 -> 80.00 %
// averageDebtAgeDays = (100000x30 + 30000x120 + 30000x58 + 80000x303 + 25000x80 + 12345x1) / 277345
//   = (3000000 + 3600000 + 1740000 + 24240000 + 2000000 + 12345) / 277345 = 34592345 / 277345 = 124.726... -> 124.7
// averageCollectionPeriodDays, payments dated 2026-01-01 .. 2026-03-31:
//   (20000x45 + 25000x132 + 15000x50 + 10000x59 - 10000x59 + 20000x16 + 5555x0)
//   / (20000 + 25000 + 15000 + 10000 - 10000 + 20000 + 5555) = 5270000 / 85555 = 61.597... -> 61.6
// dso: issued 2026-01-01 .. D = A1 100000 + B1 30000 + D1 40000 + D2 12345 + E1 20000 + A3 5555 = 207900
//   277345 x 90 / 207900 = 120.062... -> 120.1
// aging: current = A1 + D2 = 112345 -> 1123.45; 1-30 = B1 300.00; 31-60 = D1 250.00; 61-90 = H1 300.00; 91+ = C1 800.00
const expectedMXN: KpiFigures = {
  openBalance: 2773.45,
  overdueBalance: 1650,
  overdueDebtPct: 59.49,
  delinquentDebtorsPct: 80,
  averageDebtAgeDays: 124.7,
  averageCollectionPeriodDays: 61.6,
  dso: 120.1,
  agingBuckets: { current: 1123.45, '1-30': 300, '31-60': 250, '61-90': 300, '91+': 800 },
  openInvoices: 6,
  debtors: 5,
};
// USD: open = 75000 + 5000 = 80000 -> 800.00; overdue = G1 5000 -> 50.00; 5000 / 80000 x 100 = 6.25 %
// debtors F, G; overdue G -> 50.00 %; age = (75000x11 + 5000x136) / 80000 = 1505000 / 80000 = 18.8125 -> 18.8
// collection: 25000 x 5 / 25000 = 5.0; dso: issued in window = F1 100000 -> 80000 x 90 / 100000 = 72.0
const expectedUSD: KpiFigures = {
  openBalance: 800,
  overdueBalance: 50,
  overdueDebtPct: 6.25,
  delinquentDebtorsPct: 50,
  averageDebtAgeDays: 18.8,
  averageCollectionPeriodDays: 5,
  dso: 72,
  agingBuckets: { current: 750, '1-30': 0, '31-60': 0, '61-90': 0, '91+': 50 },
  openInvoices: 2,
  debtors: 2,
};
const nothing: KpiFigures = {
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
};

describe('computeKpiReport over MongoLedgerReader (FerretDB)', () => {
  describe('a hand-computed portfolio in two currencies', () => {
    const db = useTestDatabase();
    before(async () => {
      await db().models.Invoice.insertMany(invoices);
      await db().models.Payment.insertMany(payments);
    });

    it('reports every key of every currency, keyed by currency code', async () => {
      const report = await computeKpiReport(new MongoLedgerReader(db().models), { asOf: D });
      expect(report).to.deep.equal({ MXN: expectedMXN, USD: expectedUSD });
      expect(Object.keys(report)).to.deep.equal(['MXN', 'USD']);
    });

    it('reports one currency as a single object when asked for it', async () => {
      const reader = new MongoLedgerReader(db().models);
      expect(await computeKpiReport(reader, { asOf: D, currency: 'MXN' })).to.deep.equal(expectedMXN);
      expect(await computeKpiReport(reader, { asOf: D, currency: 'USD' })).to.deep.equal(expectedUSD);
    });

    it('gives zeros and nulls for a currency without invoices', async () => {
      expect(await computeKpiReport(new MongoLedgerReader(db().models), { asOf: D, currency: 'EUR' })).to.deep.equal(nothing);
    });

    it('gives the same figures when read in tiny batches with a tiny read-ahead', async () => {
      // Batches of 2 and a read-ahead of 1 invoice exercise every chunk and prefetch boundary.
      const reader = new MongoLedgerReader(db().models, { batchSize: 2 });
      for (const invoiceReadAhead of [0, 1, 1000]) {
        expect(await computeKpiReport(reader, { asOf: D }, { invoiceReadAhead }), `read-ahead ${invoiceReadAhead}`).to.deep.equal({
          MXN: expectedMXN,
          USD: expectedUSD,
        });
      }
    });

    it('moves with the as-of date', async () => {
      // As of 2025-12-31 (window 2025-10-03 .. 2025-12-31), USD: only G1 exists, 50.00 open, 16 days past due,
      // age 46, issued in the window: 5000 x 90 / 5000 = 90.0; no USD payment yet.
      const report = await computeKpiReport(new MongoLedgerReader(db().models), { asOf: '2025-12-31', currency: 'USD' });
      expect(report).to.deep.equal({
        ...nothing,
        openBalance: 50,
        overdueBalance: 50,
        overdueDebtPct: 100,
        delinquentDebtorsPct: 100,
        averageDebtAgeDays: 46,
        dso: 90,
        agingBuckets: { current: 0, '1-30': 50, '31-60': 0, '61-90': 0, '91+': 0 },
        openInvoices: 1,
        debtors: 1,
      });
    });

    it('reports nothing as of a day before the first invoice', async () => {
      expect(await computeKpiReport(new MongoLedgerReader(db().models), { asOf: '2025-05-31' })).to.deep.equal({});
    });
  });

  describe('an empty portfolio', () => {
    const db = useTestDatabase();

    it('reports no currency', async () => {
      expect(await computeKpiReport(new MongoLedgerReader(db().models), { asOf: D })).to.deep.equal({});
    });

    it('reports zeros and nulls for a currency asked for', async () => {
      expect(await computeKpiReport(new MongoLedgerReader(db().models), { asOf: D, currency: 'MXN' })).to.deep.equal(nothing);
    });
  });
});

describe('computeKpiReport streaming', () => {
  const invoiceChunk = (n: number): InvoiceFact[] =>
    [0, 1].map((i) => ({ invoiceId: `I${n}-${i}`, debtorId: 'A', amount: 100, currency: 'MXN', issuedAt: '2026-03-01', dueAt: '2026-04-01' }));

  /** A reader whose invoice side records what was pulled and whether it was closed. */
  function fakeReader(payments: () => AsyncGenerator<PaymentFact[]>, invoiceChunks: number, failInvoicesAt?: number) {
    const log = { pulled: 0, pulledBeforePaymentsEnded: -1, closed: false };
    const reader: LedgerReader = {
      async *payments() {
        yield* payments();
        log.pulledBeforePaymentsEnded = log.pulled;
      },
      async *invoices() {
        try {
          for (let n = 0; n < invoiceChunks; n++) {
            if (n === failInvoicesAt) throw new Error('invoices: connection reset');
            log.pulled++;
            yield invoiceChunk(n);
          }
        } finally {
          log.closed = true;
        }
      },
    };
    return { reader, log };
  }
  async function* slowPayments(): AsyncGenerator<PaymentFact[]> {
    for (let i = 0; i < 5; i++) {
      await new Promise((resolve) => setTimeout(resolve, 5));
      yield [{ invoiceId: 'I0-0', amount: 10, paidAt: '2026-03-02' }];
    }
  }

  it('reads invoices ahead while payments stream, up to the bound', async () => {
    // Chunks of 2 facts and a bound of 3: two chunks (4 facts) at most before the payments end.
    const { reader, log } = fakeReader(slowPayments, 10);
    const report = await computeKpiReport(reader, { asOf: D }, { invoiceReadAhead: 3 });
    expect(log.pulledBeforePaymentsEnded).to.equal(2);
    expect(log.pulled).to.equal(10);
    // 20 invoices of 1.00, one of them paid 5 x 0.10: 20.00 - 0.50 = 19.50 open.
    expect(report.MXN?.openBalance).to.equal(19.5);
    expect(log.closed).to.equal(true);
  });

  it('fails with the payments error and closes the invoice stream', async () => {
    async function* failing(): AsyncGenerator<PaymentFact[]> {
      yield [{ invoiceId: 'I0-0', amount: 10, paidAt: '2026-03-02' }];
      throw new Error('payments: connection reset');
    }
    const { reader, log } = fakeReader(failing, 10);
    let error: unknown;
    await computeKpiReport(reader, { asOf: D }).catch((e: unknown) => (error = e));
    expect(error).to.be.instanceOf(Error).with.property('message', 'payments: connection reset');
    expect(log.closed).to.equal(true);
  });

  it('fails with an error of the invoices read ahead, once the payments are in', async () => {
    const { reader } = fakeReader(slowPayments, 10, 1);
    let error: unknown;
    await computeKpiReport(reader, { asOf: D }).catch((e: unknown) => (error = e));
    expect(error).to.be.instanceOf(Error).with.property('message', 'invoices: connection reset');
  });
});
