import { expect } from 'chai';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { connectDatabase, type Database } from '../../../core/infra/database.js';
import { cobrabot } from '../../support/cli.js';
import { freshDatabaseUri } from '../../support/database.js';

const CSV = [
  'debtor_id,name,phone,country,invoice_id,amount,currency,issued_at,due_at,paid_amount,paid_at',
  'D1,"Peña, Ramón",5512345678,MX,I1,1500.00,MXN,2026-01-10,2026-02-10,500.00,2026-01-20',
  'D1,"Peña, Ramón",5512345678,MX,I2,200.00,MXN,2026-01-10,2026-02-10,,',
  'D2,Kim Doe,+12025550143,US,I3,10.00,USD,2026-13-01,2026-02-10,,',
].join('\n');

const REPORT = {
  debtors: { created: 1, updated: 0, unchanged: 0 },
  invoices: { created: 2, updated: 0, unchanged: 0 },
  rejected: [{ row: 3, column: 'issued_at', error: 'not a date: 2026-13-01' }],
};

describe('cobrabot import', function () {
  // Each run starts a Node process that compiles the CLI through tsx.
  this.timeout(60_000);
  let dir: string;
  let uri: string;
  let db: Database;

  const file = (name: string, text: string): string => {
    const target = path.join(dir, name);
    writeFileSync(target, text);
    return target;
  };

  beforeEach(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'cobrabot-import-cli-'));
    uri = freshDatabaseUri();
    db = await connectDatabase(uri);
  });
  afterEach(async () => {
    await db.connection.dropDatabase();
    await db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('imports a CSV file, prints the report as pretty JSON and exits 0 despite rejected rows', async () => {
    const out = await cobrabot(['import', file('portfolio.csv', CSV)], { MONGODB_URI: uri });
    expect(out.code, out.stderr).to.equal(0);
    expect(JSON.parse(out.stdout)).to.deep.equal(REPORT);
    expect(out.stdout).to.equal(`${JSON.stringify(REPORT, null, 2)}\n`);
    expect(await db.models.Debtor.findById('D1').lean()).to.include({ name: 'Peña, Ramón', phone: '+525512345678', language: 'es' });
    expect(await db.models.Payment.countDocuments()).to.equal(1);
  });

  it('with --dry-run prints the same report and writes nothing', async () => {
    const out = await cobrabot(['import', file('portfolio.csv', CSV), '--dry-run'], { MONGODB_URI: uri });
    expect(out.code, out.stderr).to.equal(0);
    expect(JSON.parse(out.stdout)).to.deep.equal(REPORT);
    expect(await db.models.Debtor.countDocuments()).to.equal(0);
    expect(await db.models.Invoice.countDocuments()).to.equal(0);
  });

  it('imports a JSON array of rows, taking defaults from DEFAULT_LOCALE and DEFAULT_TIMEZONE', async () => {
    const rows = [{ debtor_id: 'J1', name: 'Ann', invoice_id: 'JI1', amount: 12.5, currency: 'USD', issued_at: '2026-01-01', due_at: '2026-01-31' }];
    const out = await cobrabot(['import', file('rows.json', JSON.stringify(rows))], { MONGODB_URI: uri, DEFAULT_LOCALE: 'en', DEFAULT_TIMEZONE: 'America/Chicago' });
    expect(out.code, out.stderr).to.equal(0);
    expect(JSON.parse(out.stdout).invoices).to.deep.equal({ created: 1, updated: 0, unchanged: 0 });
    expect(await db.models.Debtor.findById('J1').lean()).to.include({ language: 'en', timezone: 'America/Chicago' });
  });

  it('refuses a file without a required column: exit 1, one line on stderr naming it, nothing written', async () => {
    const out = await cobrabot(['import', file('portfolio.csv', CSV.replace(',due_at', ''))], { MONGODB_URI: uri });
    expect(out.code).to.equal(1);
    expect(out.stdout).to.equal('');
    expect(out.stderr.trim().split('\n')).to.have.length(1);
    expect(out.stderr).to.contain('missing required column: due_at');
    expect(await db.models.Debtor.countDocuments()).to.equal(0);
  });

  it('refuses a file that does not exist and JSON that is not JSON with one line each', async () => {
    const missing = await cobrabot(['import', path.join(dir, 'nope.csv')], { MONGODB_URI: uri });
    expect(missing.code).to.equal(1);
    expect(missing.stderr.trim().split('\n')).to.have.length(1);
    expect(missing.stderr).to.match(/cannot read .*nope\.csv/);
    const bad = await cobrabot(['import', file('rows.json', '[{"debtor_id": ')], { MONGODB_URI: uri });
    expect(bad.code).to.equal(1);
    expect(bad.stderr.trim().split('\n')).to.have.length(1);
    expect(bad.stderr).to.contain('is not valid JSON');
  });
});
