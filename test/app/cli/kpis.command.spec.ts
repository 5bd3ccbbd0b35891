import { expect } from 'chai';
import { connectDatabase, type Database } from '../../../core/infra/database.js';
import { cobrabot } from '../../support/cli.js';
import { freshDatabaseUri } from '../../support/database.js';

describe('cobrabot kpis', function () {
  // Each run starts a Node process that compiles the CLI through tsx.
  this.timeout(60_000);
  let uri: string;
  let db: Database;

  before(async () => {
    uri = freshDatabaseUri();
    db = await connectDatabase(uri);
    // MXN 250.00 issued 2026-03-01, due 2026-03-31 (current on D), 100.00 paid 2026-03-11 (10 days):
    // open 150.00, age 30; collection 10000 x 10 / 10000 = 10.0; dso 15000 x 90 / 25000 = 54.0.
    await db.models.Invoice.insertMany([{ _id: 'M1', debtorId: 'A', amount: 250_00, currency: 'MXN', issuedAt: '2026-03-01', dueAt: '2026-03-31' }]);
    await db.models.Payment.insertMany([
      { _id: 'M1:0', invoiceId: 'M1', debtorId: 'A', amount: 100_00, currency: 'MXN', paidAt: '2026-03-11', source: 'manual', recordedAt: new Date() },
    ]);
  });
  after(async () => {
    await db.connection.dropDatabase();
    await db.close();
  });

  it('prints the report as pretty JSON on stdout', async () => {
    const out = await cobrabot(['kpis', '--as-of', '2026-03-31'], { MONGODB_URI: uri });
    expect(out.code, out.stderr).to.equal(0);
    const mxn = {
      openBalance: 150,
      overdueBalance: 0,
      overdueDebtPct: 0,
      delinquentDebtorsPct: 0,
      averageDebtAgeDays: 30,
      averageCollectionPeriodDays: 10,
      dso: 54,
      agingBuckets: { current: 150, '1-30': 0, '31-60': 0, '61-90': 0, '91+': 0 },
      openInvoices: 1,
      debtors: 1,
    };
    expect(JSON.parse(out.stdout)).to.deep.equal({ MXN: mxn });
    expect(out.stdout).to.equal(`${JSON.stringify({ MXN: mxn }, null, 2)}\n`);
  });

  it('prints the single object of --currency', async () => {
    const out = await cobrabot(['kpis', '--as-of', '2026-04-01', '--currency', 'MXN'], { MONGODB_URI: uri });
    expect(out.code, out.stderr).to.equal(0);
    // One day later M1 is 1 day past due: overdue 150.00 of 150.00.
    expect(JSON.parse(out.stdout)).to.include({ openBalance: 150, overdueBalance: 150, overdueDebtPct: 100, averageDebtAgeDays: 31 });
  });

  it('refuses a bad date in one line, exit 1', async () => {
    const out = await cobrabot(['kpis', '--as-of', '2026-13-01'], { MONGODB_URI: uri });
    expect(out.code).to.equal(1);
    expect(out.stdout).to.equal('');
    expect(out.stderr).to.equal('cobrabot: --as-of: not a date: 2026-13-01\n');
  });

  it('refuses an unknown currency in one line, exit 1', async () => {
    const out = await cobrabot(['kpis', '--currency', 'ABC'], { MONGODB_URI: uri });
    expect(out.code).to.equal(1);
    expect(out.stderr).to.equal('cobrabot: --currency: not an ISO 4217 currency code: ABC\n');
  });
});
