import { expect } from 'chai';
import Fastify, { type FastifyInstance } from 'fastify';
import { kpisRoutes } from '../../../app/http/kpis.route.js';
import type { Runtime } from '../../../app/runtime.js';
import { calendarDateIn } from '../../../core/domain/calendar-date.js';
import { loadConfig } from '../../../core/infra/config.js';
import type { Database } from '../../../core/infra/database.js';
import { useTestDatabase } from '../../support/database.js';

function runtimeOf(db: Database, env: NodeJS.ProcessEnv = {}): Runtime {
  return { config: loadConfig(env), db, close: async () => undefined };
}

async function appWith(runtime: Runtime): Promise<FastifyInstance> {
  const app = Fastify();
  await app.register(kpisRoutes, { runtime, prefix: '/api/v1' });
  await app.ready();
  return app;
}

// As of 2026-03-31:
// MXN M1 100.00 issued 2026-03-01, due 2026-03-15, 40.00 paid 2026-03-10 (9 days after issue):
//   open 60.00, 16 days past due (1-30), age 30; collection 4000 x 9 / 4000 = 9.0; dso 6000 x 90 / 10000 = 54.0
// USD U1 20.00 issued 2026-03-30, due 2026-04-30: open 20.00, current, age 1; no payment; dso 2000 x 90 / 2000 = 90.0
const expected = {
  MXN: {
    openBalance: 60,
    overdueBalance: 60,
    overdueDebtPct: 100,
    delinquentDebtorsPct: 100,
    averageDebtAgeDays: 30,
    averageCollectionPeriodDays: 9,
    dso: 54,
    agingBuckets: { current: 0, '1-30': 60, '31-60': 0, '61-90': 0, '91+': 0 },
    openInvoices: 1,
    debtors: 1,
  },
  USD: {
    openBalance: 20,
    overdueBalance: 0,
    overdueDebtPct: 0,
    delinquentDebtorsPct: 0,
    averageDebtAgeDays: 1,
    averageCollectionPeriodDays: null,
    dso: 90,
    agingBuckets: { current: 20, '1-30': 0, '31-60': 0, '61-90': 0, '91+': 0 },
    openInvoices: 1,
    debtors: 1,
  },
};

describe('GET /api/v1/kpis', () => {
  const db = useTestDatabase();
  let app: FastifyInstance;
  before(async () => {
    const { Invoice, Payment } = db().models;
    await Invoice.insertMany([
      { _id: 'M1', debtorId: 'A', amount: 100_00, currency: 'MXN', issuedAt: '2026-03-01', dueAt: '2026-03-15' },
      { _id: 'U1', debtorId: 'B', amount: 20_00, currency: 'USD', issuedAt: '2026-03-30', dueAt: '2026-04-30' },
    ]);
    await Payment.insertMany([
      { _id: 'M1:0', invoiceId: 'M1', debtorId: 'A', amount: 40_00, currency: 'MXN', paidAt: '2026-03-10', source: 'manual', recordedAt: new Date() },
    ]);
    app = await appWith(runtimeOf(db()));
  });
  after(async () => app.close());

  it('answers the report keyed by currency for the as-of date', async () => {
    const res = await app.inject({ method: 'GET', url: '/api/v1/kpis?asOf=2026-03-31' });
    expect(res.statusCode).to.equal(200);
    expect(res.headers['content-type']).to.match(/^application\/json/);
    expect(res.json()).to.deep.equal(expected);
  });

  it('answers the single object of the currency asked for, in any letter case', async () => {
    const res = await app.inject({ method: 'GET', url: '/api/v1/kpis?asOf=2026-03-31&currency=usd' });
    expect(res.statusCode).to.equal(200);
    expect(res.json()).to.deep.equal(expected.USD);
  });

  it('refuses an impossible date with 400 naming asOf', async () => {
    const res = await app.inject({ method: 'GET', url: '/api/v1/kpis?asOf=2026-02-30' });
    expect(res.statusCode).to.equal(400);
    expect(res.json()).to.deep.equal({ error: 'asOf: not a date: 2026-02-30' });
  });

  it('refuses a date in another format with 400 naming asOf', async () => {
    const res = await app.inject({ method: 'GET', url: '/api/v1/kpis?asOf=31/03/2026' });
    expect(res.statusCode).to.equal(400);
    expect(res.json()).to.deep.equal({ error: 'asOf: not a date (YYYY-MM-DD): 31/03/2026' });
  });

  it('refuses a repeated asOf with 400', async () => {
    const res = await app.inject({ method: 'GET', url: '/api/v1/kpis?asOf=2026-03-31&asOf=2026-03-30' });
    expect(res.statusCode).to.equal(400);
    expect(res.json().error).to.match(/^asOf: /);
  });

  it('refuses an unknown currency with 400 naming currency', async () => {
    const res = await app.inject({ method: 'GET', url: '/api/v1/kpis?asOf=2026-03-31&currency=XYZ' });
    expect(res.statusCode).to.equal(400);
    expect(res.json()).to.deep.equal({ error: 'currency: not an ISO 4217 currency code: XYZ' });
  });
});

describe('GET /api/v1/kpis without asOf', () => {
  const db = useTestDatabase();
  // Kiritimati (UTC+14) is always a day or two ahead of Pago Pago (UTC-11), and UTC lies between:
  // an invoice issued today in Kiritimati is open there and not yet issued in Pago Pago.
  before(async () => {
    const issuedAt = calendarDateIn(new Date(), 'Pacific/Kiritimati');
    await db().models.Invoice.insertMany([{ _id: 'E1', debtorId: 'C', amount: 5_00, currency: 'EUR', issuedAt, dueAt: '2999-12-31' }]);
  });

  it('defaults the as-of date to today in DEFAULT_TIMEZONE', async () => {
    const ahead = await appWith(runtimeOf(db(), { DEFAULT_TIMEZONE: 'Pacific/Kiritimati' }));
    const behind = await appWith(runtimeOf(db(), { DEFAULT_TIMEZONE: 'Pacific/Pago_Pago' }));
    try {
      expect((await ahead.inject({ method: 'GET', url: '/api/v1/kpis?currency=EUR' })).json()).to.include({ openBalance: 5, openInvoices: 1 });
      expect((await behind.inject({ method: 'GET', url: '/api/v1/kpis?currency=EUR' })).json()).to.include({ openBalance: 0, openInvoices: 0 });
    } finally {
      await ahead.close();
      await behind.close();
    }
  });
});
