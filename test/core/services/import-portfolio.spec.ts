import { expect } from 'chai';
import { Readable } from 'node:stream';
import { MongoPortfolioStore } from '../../../core/infra/mongo-portfolio-store.js';
import {
  ImportFileError,
  importPortfolio,
  MissingColumnError,
  parseCsv,
  type ImportOptions,
  type ImportReport,
} from '../../../core/services/import-portfolio.js';
import type { PortfolioStore } from '../../../core/ports/portfolio-store.port.js';
import { clearCollections, useTestDatabase } from '../../support/database.js';

const COLUMNS = [
  'debtor_id',
  'name',
  'phone',
  'email',
  'document_id',
  'language',
  'timezone',
  'country',
  'telegram_user_id',
  'invoice_id',
  'amount',
  'currency',
  'issued_at',
  'due_at',
  'paid_amount',
  'paid_at',
] as const;
type Column = (typeof COLUMNS)[number];
type Row = Partial<Record<Column, string>>;

const DEFAULTS: ImportOptions['defaults'] = { language: 'es', timezone: 'America/Mexico_City' };

/**
 * The two ways the import learns what is stored: from the ids listed at its start (small
 * portfolios), or by looking each batch's ids up (a portfolio too large to list, simulated
 * here by a store that declines to list).
 */
const LOOKUPS: Record<string, (store: MongoPortfolioStore) => PortfolioStore> = {
  'stored ids listed up front': (store) => store,
  'ids looked up batch by batch': (store) => ({
    findDebtors: (ids) => store.findDebtors(ids),
    findInvoices: (ids) => store.findInvoices(ids),
    importedPayments: (ids) => store.importedPayments(ids),
    apply: (batch) => store.apply(batch),
    isEmpty: () => store.isEmpty(),
    storedIds: async () => ({}),
  }),
};

/** A valid row of debtor D1 / invoice I1; override what a test is about. */
function row(overrides: Row = {}): Row {
  return {
    debtor_id: 'D1',
    name: 'Ana Pérez',
    phone: '+525512345678',
    email: 'ana@example.com',
    document_id: 'PEAA800101',
    language: 'es',
    timezone: 'America/Mexico_City',
    country: 'MX',
    telegram_user_id: '',
    invoice_id: 'I1',
    amount: '1500.00',
    currency: 'MXN',
    issued_at: '2026-01-10',
    due_at: '2026-02-10',
    paid_amount: '',
    paid_at: '',
    ...overrides,
  };
}

function quote(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** CSV text with the full header (or `columns`) and one line per row. */
function csv(rows: Row[], { columns = [...COLUMNS], eol = '\n' }: { columns?: string[]; eol?: string } = {}): string {
  const lines = [columns.join(','), ...rows.map((r) => columns.map((c) => quote(r[c as Column] ?? '')).join(','))];
  return lines.join(eol) + eol;
}

function stream(text: string | Buffer): Readable {
  return Readable.from([typeof text === 'string' ? Buffer.from(text, 'utf8') : text]);
}

describe('importPortfolio (CSV and JSON into FerretDB)', function () {
  this.timeout(60_000);
  const db = useTestDatabase();
  let store: PortfolioStore;

  beforeEach(async () => {
    await clearCollections(db());
    store = new MongoPortfolioStore(db().models);
  });

  /** Runs `body` once per way of looking stored ids up. */
  const forEachLookup = (body: () => void) => {
    for (const [name, wrap] of Object.entries(LOOKUPS)) {
      describe(name, () => {
        beforeEach(() => {
          store = wrap(new MongoPortfolioStore(db().models));
        });
        body();
      });
    }
  };

  const importCsv = (text: string | Buffer, options: Partial<ImportOptions> = {}): Promise<ImportReport> =>
    importPortfolio(parseCsv(stream(text)), store, { defaults: DEFAULTS, ...options });

  const ledger = async () =>
    (await db().models.Payment.find({}, { recordedAt: 0 }).lean()).sort((a, b) => a._id.localeCompare(b._id));

  describe('valid rows', () => {
    it('stores debtors, invoices in minor units, phones as E.164 and paid_amount as an import ledger entry', async () => {
      const report = await importCsv(
        csv([
          row({ phone: '55 8765 4321', paid_amount: '500.5', paid_at: '2026-01-20' }),
          row({ debtor_id: 'D2', name: 'Bob Stone', phone: '+12025550143', language: 'en', timezone: 'America/New_York', country: 'US', invoice_id: 'I2', amount: '99.99', currency: 'USD', telegram_user_id: '123456789' }),
        ]),
      );
      expect(report).to.deep.equal({
        debtors: { created: 2, updated: 0, unchanged: 0 },
        invoices: { created: 2, updated: 0, unchanged: 0 },
        rejected: [],
      });
      const d1 = await db().models.Debtor.findById('D1').lean();
      expect(d1).to.include({ name: 'Ana Pérez', phone: '+525587654321', email: 'ana@example.com', documentId: 'PEAA800101', language: 'es', country: 'MX' });
      expect(d1?.createdAt).to.be.instanceOf(Date);
      const d2 = await db().models.Debtor.findById('D2').lean();
      expect(d2).to.include({ phone: '+12025550143', language: 'en', timezone: 'America/New_York', telegramUserId: '123456789' });
      const i1 = await db().models.Invoice.findById('I1').lean();
      expect(i1).to.include({ debtorId: 'D1', amount: 150000, currency: 'MXN', issuedAt: '2026-01-10', dueAt: '2026-02-10' });
      expect((await db().models.Invoice.findById('I2').lean())?.amount).to.equal(9999);
      expect(await ledger()).to.deep.equal([
        { _id: 'import:I1:0', invoiceId: 'I1', debtorId: 'D1', amount: 50050, currency: 'MXN', paidAt: '2026-01-20', source: 'import' },
      ]);
    });

    it('gives a debtor without language or timezone the defaults', async () => {
      await importCsv(csv([row({ language: '', timezone: '' })]), { defaults: { language: 'en', timezone: 'America/Bogota' } });
      expect(await db().models.Debtor.findById('D1').lean()).to.include({ language: 'en', timezone: 'America/Bogota' });
    });

    it('counts a debtor on several rows once', async () => {
      const rows = ['I1', 'I2', 'I3', 'I4', 'I5'].map((invoice_id) => row({ invoice_id }));
      const report = await importCsv(csv(rows));
      expect(report.debtors).to.deep.equal({ created: 1, updated: 0, unchanged: 0 });
      expect(report.invoices).to.deep.equal({ created: 5, updated: 0, unchanged: 0 });
      expect(await db().models.Debtor.countDocuments()).to.equal(1);
    });

    it('keeps UTF-8 names, commas and quotes inside quoted values', async () => {
      const text =
        'debtor_id,name,invoice_id,amount,currency,issued_at,due_at\n' +
        'D1,"Ñúñez, José Ángel",I1,10.00,MXN,2026-01-01,2026-01-31\n' +
        'D2,"Zoë ""la jefa"" Müller",I2,10.00,MXN,2026-01-01,2026-01-31\n' +
        'D3,"Françoise\nD\'Aubigné",I3,10.00,MXN,2026-01-01,2026-01-31\n';
      const report = await importCsv(text);
      expect(report.rejected).to.deep.equal([]);
      expect((await db().models.Debtor.findById('D1').lean())?.name).to.equal('Ñúñez, José Ángel');
      expect((await db().models.Debtor.findById('D2').lean())?.name).to.equal('Zoë "la jefa" Müller');
      expect((await db().models.Debtor.findById('D3').lean())?.name).to.equal("Françoise\nD'Aubigné");
    });

    it('reads a file with a UTF-8 BOM and CRLF line ends', async () => {
      const text = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(csv([row({ name: 'Begoña Ibáñez' }), row({ invoice_id: 'I2', name: 'Begoña Ibáñez' })], { eol: '\r\n' }))]);
      const report = await importCsv(text);
      expect(report.rejected).to.deep.equal([]);
      expect(report.invoices.created).to.equal(2);
      const debtor = await db().models.Debtor.findById('D1').lean();
      expect(debtor?.name).to.equal('Begoña Ibáñez');
      expect((await db().models.Invoice.findById('I2').lean())?.dueAt).to.equal('2026-02-10');
    });

    it('reads a header whose names carry spaces, and ignores unknown columns', async () => {
      const text = ' debtor_id , name ,notes, invoice_id ,amount,currency,issued_at,due_at\nD1,Ana,vip,I1,1,MXN,2026-01-01,2026-01-02\n';
      const report = await importCsv(text);
      expect(report.rejected).to.deep.equal([]);
      expect(report.invoices.created).to.equal(1);
    });

    it('accepts JSON rows whose values are numbers', async () => {
      const report = await importPortfolio(
        [{ debtor_id: 'D1', name: 'Ana', invoice_id: 'I1', amount: 1234.5, currency: 'MXN', issued_at: '2026-01-01', due_at: '2026-01-31', paid_amount: 34.5, paid_at: '2026-01-05', telegram_user_id: 987654321 }],
        store,
        { defaults: DEFAULTS },
      );
      expect(report.rejected).to.deep.equal([]);
      expect((await db().models.Invoice.findById('I1').lean())?.amount).to.equal(123450);
      expect((await db().models.Debtor.findById('D1').lean())?.telegramUserId).to.equal('987654321');
      expect((await ledger())[0]?.amount).to.equal(3450);
    });

    it('skips blank lines but keeps counting them as rows', async () => {
      const text = csv([row()]) + '\n' + csv([row({ invoice_id: 'I2', amount: '-1' })]).split('\n')[1] + '\n';
      const report = await importCsv(text);
      expect(report.invoices.created).to.equal(1);
      expect(report.rejected).to.deep.equal([{ row: 3, column: 'amount', error: 'amount must be more than 0: -1' }]);
    });
  });

  describe('rejected rows', () => {
    /** Imports a valid row 1 and the row under test as row 2; returns row 2's rejections. */
    async function rejectionsOf(bad: Row): Promise<ImportReport['rejected']> {
      const report = await importCsv(csv([row({ debtor_id: 'OK', invoice_id: 'OK1' }), bad]));
      expect(report.invoices.created, 'the valid row lands').to.equal(1);
      return report.rejected;
    }

    const cases: [string, Row, { column: string; error: string }][] = [
      ['an impossible date', { issued_at: '2026-13-01' }, { column: 'issued_at', error: 'not a date: 2026-13-01' }],
      ['a date in another format', { due_at: '10/02/2026' }, { column: 'due_at', error: 'not a date (YYYY-MM-DD): 10/02/2026' }],
      ['a due date before the issue date', { issued_at: '2026-02-10', due_at: '2026-02-09' }, { column: 'due_at', error: 'due_at 2026-02-09 is before issued_at 2026-02-10' }],
      ['a zero amount', { amount: '0' }, { column: 'amount', error: 'amount must be more than 0: 0' }],
      ['a negative amount', { amount: '-5.00' }, { column: 'amount', error: 'amount must be more than 0: -5.00' }],
      ['an amount that is not a number', { amount: '1,500.00' }, { column: 'amount', error: 'not a decimal number: 1,500.00' }],
      ['more decimals than the currency has', { amount: '10.123' }, { column: 'amount', error: 'MXN allows at most 2 decimals: 10.123' }],
      ['decimals in a currency without minor units', { amount: '1500.5', currency: 'CLP' }, { column: 'amount', error: 'CLP allows at most 0 decimals: 1500.5' }],
      ['an unknown currency', { currency: 'XYZ' }, { column: 'currency', error: 'unknown currency: XYZ' }],
      ['a phone that is not valid for its country', { phone: '12345' }, { column: 'phone', error: 'not a valid phone number: 12345' }],
      [
        'national digits without a country',
        { phone: '5512345678', country: '' },
        { column: 'phone', error: 'not a phone number: 5512345678 (give E.164 such as +525512345678, or a country)' },
      ],
      ['paid_amount above amount', { paid_amount: '1500.01', paid_at: '2026-01-15' }, { column: 'paid_amount', error: 'paid_amount 1500.01 is more than amount 1500.00' }],
      ['a negative paid_amount', { paid_amount: '-1', paid_at: '2026-01-15' }, { column: 'paid_amount', error: 'paid_amount must not be negative: -1' }],
      [
        'paid_amount without paid_at',
        { paid_amount: '100' },
        { column: 'paid_at', error: 'paid_at is required when paid_amount is more than 0 (paid_amount 100)' },
      ],
      ['a bad paid_at', { paid_amount: '100', paid_at: '2026-02-30' }, { column: 'paid_at', error: 'not a date: 2026-02-30' }],
      ['a missing name', { name: '  ' }, { column: 'name', error: 'name is required' }],
      ['a missing invoice_id', { invoice_id: '' }, { column: 'invoice_id', error: 'invoice_id is required' }],
      ['a language other than es or en', { language: 'fr' }, { column: 'language', error: 'language must be es or en: fr' }],
      ['an unknown time zone', { timezone: 'Mars/Olympus_Mons' }, { column: 'timezone', error: 'unknown time zone: Mars/Olympus_Mons' }],
      ['a bad country', { country: 'XX' }, { column: 'country', error: 'not an ISO 3166-1 alpha-2 country code: XX' }],
      ['a non-numeric telegram_user_id', { telegram_user_id: '@ana' }, { column: 'telegram_user_id', error: 'not a numeric Telegram user id: @ana' }],
    ];
    for (const [what, overrides, rejection] of cases) {
      it(`rejects ${what}`, async () => {
        const rejected = await rejectionsOf(row({ debtor_id: 'BAD', invoice_id: 'BAD1', ...overrides }));
        expect(rejected).to.deep.equal([{ row: 2, ...rejection }]);
      });
    }

    it('accepts national digits with a country', async () => {
      const report = await importCsv(csv([row({ debtor_id: 'MX', invoice_id: 'MX1', phone: '5512345678', country: 'MX' })]));
      expect(report.rejected).to.deep.equal([]);
      expect((await db().models.Debtor.findById('MX').lean())?.phone).to.equal('+525512345678');
    });

    it('reports every invalid field of a row and lands nothing of it', async () => {
      const rejected = await rejectionsOf(row({ debtor_id: 'BAD', invoice_id: 'BAD1', name: '', amount: 'abc', due_at: '2026-13-01' }));
      expect(rejected).to.deep.equal([
        { row: 2, column: 'name', error: 'name is required' },
        { row: 2, column: 'amount', error: 'not a decimal number: abc' },
        { row: 2, column: 'due_at', error: 'not a date: 2026-13-01' },
      ]);
      expect(await db().models.Debtor.findById('BAD').lean()).to.equal(null);
      expect(await db().models.Invoice.findById('BAD1').lean()).to.equal(null);
    });

    it('does not create the debtor of a rejected row, even with valid debtor fields', async () => {
      await rejectionsOf(row({ debtor_id: 'BAD', invoice_id: 'BAD1', currency: 'ZZZ' }));
      expect(await db().models.Debtor.countDocuments({ _id: 'BAD' })).to.equal(0);
    });

    it('rejects an invoice_id repeated in the file for another debtor, keeping the first', async () => {
      const report = await importCsv(csv([row(), row({ debtor_id: 'D2', name: 'Otro' })]));
      expect(report.rejected).to.deep.equal([
        { row: 2, column: 'invoice_id', error: 'duplicate invoice_id I1: row 1 gives it to debtor D1, this row to D2' },
      ]);
      expect((await db().models.Invoice.findById('I1').lean())?.debtorId).to.equal('D1');
      expect(await db().models.Debtor.countDocuments({ _id: 'D2' })).to.equal(0);
    });

    it('rejects an invoice_id repeated in the file for the same debtor', async () => {
      const report = await importCsv(csv([row(), row({ amount: '9.00' })]));
      expect(report.rejected).to.deep.equal([{ row: 2, column: 'invoice_id', error: 'duplicate invoice_id I1: already on row 1' }]);
      expect((await db().models.Invoice.findById('I1').lean())?.amount).to.equal(150000);
    });

    it('rejects a duplicate invoice_id across batches', async () => {
      const report = await importCsv(csv([row(), row({ invoice_id: 'I2' }), row({ invoice_id: 'I3' }), row({ debtor_id: 'D2', invoice_id: 'I1' })]), { batchSize: 2 });
      expect(report.rejected).to.deep.equal([
        { row: 4, column: 'invoice_id', error: 'duplicate invoice_id I1: row 1 gives it to debtor D1, this row to D2' },
      ]);
    });

    it('numbers rows by record, not by line, when a quoted value spans lines', async () => {
      const report = await importCsv(csv([row({ name: 'Ana\nPérez' }), row({ invoice_id: 'I2', amount: 'x' })]));
      expect(report.rejected).to.deep.equal([{ row: 2, column: 'amount', error: 'not a decimal number: x' }]);
    });

    it('rejects a row with more values than the header has', async () => {
      const text = 'debtor_id,name,invoice_id,amount,currency,issued_at,due_at\nD1,Pérez, Ana,I1,10,MXN,2026-01-01,2026-01-02\nD2,Bo,I2,10,MXN,2026-01-01,2026-01-02\n';
      const report = await importCsv(text);
      expect(report.rejected).to.deep.equal([
        { row: 1, column: '', error: 'the row has 8 values but the header has 7 columns (a comma in an unquoted value?)' },
      ]);
      expect(report.invoices.created).to.equal(1);
    });

    it('rejects a JSON value that is neither text nor a number', async () => {
      const report = await importPortfolio(
        [{ debtor_id: 'D1', name: { first: 'Ana' }, invoice_id: 'I1', amount: '1', currency: 'MXN', issued_at: '2026-01-01', due_at: '2026-01-02' }],
        store,
        { defaults: DEFAULTS },
      );
      expect(report.rejected).to.deep.equal([{ row: 1, column: 'name', error: 'not a text or a number: {"first":"Ana"}' }]);
    });
  });

  describe('a file it refuses whole', () => {
    it('refuses a CSV without a required column and writes nothing', async () => {
      const columns = COLUMNS.filter((c) => c !== 'due_at');
      let caught: unknown;
      try {
        await importCsv(csv([row(), row({ invoice_id: 'I2' })], { columns }));
      } catch (error) {
        caught = error;
      }
      expect(caught).to.be.instanceOf(MissingColumnError);
      expect((caught as MissingColumnError).message).to.equal('missing required column: due_at');
      expect((caught as MissingColumnError).columns).to.deep.equal(['due_at']);
      expect((caught as MissingColumnError).code).to.equal('IMPORT_MISSING_COLUMN');
      expect(await db().models.Debtor.countDocuments()).to.equal(0);
      expect(await db().models.Invoice.countDocuments()).to.equal(0);
    });

    it('names every missing column', async () => {
      const error = await importCsv('debtor_id,name,invoice_id,currency,issued_at\n').then(
        () => undefined,
        (e: unknown) => e,
      );
      expect((error as Error).message).to.equal('missing required columns: amount, due_at');
    });

    it('refuses an empty CSV file', async () => {
      const error = await importCsv('').then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).to.be.instanceOf(MissingColumnError);
    });

    it('refuses JSON rows whose first row lacks a required key', async () => {
      const { due_at: _dropped, ...first } = row();
      const error = await importPortfolio([first, row({ invoice_id: 'I2' })], store, { defaults: DEFAULTS }).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).to.be.instanceOf(MissingColumnError);
      expect((error as MissingColumnError).columns).to.deep.equal(['due_at']);
      expect(await db().models.Invoice.countDocuments()).to.equal(0);
    });

    it('stops at broken CSV quoting, keeping the rows before it', async () => {
      const text = csv([row(), row({ invoice_id: 'I2' })]) + 'D1,"Ana"x,,,,,,,,I3,1,MXN,2026-01-01,2026-01-02,,\n';
      const error = await importCsv(text).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).to.be.instanceOf(ImportFileError);
      expect((error as Error).message).to.match(/^not valid CSV: Invalid Closing Quote.*data row 3; the rows before it were imported/);
      expect(await db().models.Invoice.countDocuments()).to.equal(2);
    });
  });

  describe('importing again', () => forEachLookup(() => {
    const file = () =>
      csv([
        row({ paid_amount: '500.00', paid_at: '2026-01-20' }),
        row({ invoice_id: 'I2', amount: '300.00' }),
        row({ debtor_id: 'D2', name: 'Luis Ñáñez', invoice_id: 'I3', amount: '99.99', currency: 'USD' }),
      ]);

    it('changes nothing and reports everything unchanged', async () => {
      await importCsv(file());
      const before = {
        debtors: await db().models.Debtor.find().lean(),
        invoices: await db().models.Invoice.find().lean(),
        payments: await db().models.Payment.find().lean(),
      };
      const report = await importCsv(file());
      expect(report).to.deep.equal({
        debtors: { created: 0, updated: 0, unchanged: 2 },
        invoices: { created: 0, updated: 0, unchanged: 3 },
        rejected: [],
      });
      expect(await db().models.Debtor.find().lean()).to.deep.equal(before.debtors);
      expect(await db().models.Invoice.find().lean()).to.deep.equal(before.invoices);
      expect(await db().models.Payment.find().lean()).to.deep.equal(before.payments);
    });

    it('updates an invoice whose amount changed, and only that', async () => {
      await importCsv(file());
      const report = await importCsv(file().replace('I2,300.00', 'I2,350.00'));
      expect(report.debtors).to.deep.equal({ created: 0, updated: 0, unchanged: 2 });
      expect(report.invoices).to.deep.equal({ created: 0, updated: 1, unchanged: 2 });
      expect((await db().models.Invoice.findById('I2').lean())?.amount).to.equal(35000);
    });

    it('updates a debtor whose details changed', async () => {
      await importCsv(file());
      const report = await importCsv(file().replaceAll('Luis Ñáñez', 'Luis Ñáñez Soto'));
      expect(report.debtors).to.deep.equal({ created: 0, updated: 1, unchanged: 1 });
      expect((await db().models.Debtor.findById('D2').lean())?.name).to.equal('Luis Ñáñez Soto');
    });

    it('keeps stored optional debtor fields that a later file leaves empty', async () => {
      await importCsv(csv([row({ language: 'en', telegram_user_id: '42' })]));
      const report = await importCsv(csv([row({ language: '', telegram_user_id: '', phone: '' })]));
      expect(report.debtors).to.deep.equal({ created: 0, updated: 0, unchanged: 1 });
      expect(await db().models.Debtor.findById('D1').lean()).to.include({ language: 'en', telegramUserId: '42', phone: '+525512345678' });
    });

    it('appends a reversal and a new entry when paid_amount changes, never editing the ledger', async () => {
      await importCsv(file());
      const report = await importCsv(file().replace('500.00,2026-01-20', '700.00,2026-01-25'));
      expect(report.invoices).to.deep.equal({ created: 0, updated: 1, unchanged: 2 });
      expect(await ledger()).to.deep.equal([
        { _id: 'import:I1:0', invoiceId: 'I1', debtorId: 'D1', amount: 50000, currency: 'MXN', paidAt: '2026-01-20', source: 'import' },
        { _id: 'import:I1:1', invoiceId: 'I1', debtorId: 'D1', amount: -50000, currency: 'MXN', paidAt: '2026-01-20', source: 'import' },
        { _id: 'import:I1:2', invoiceId: 'I1', debtorId: 'D1', amount: 70000, currency: 'MXN', paidAt: '2026-01-25', source: 'import' },
      ]);
      const again = await importCsv(file().replace('500.00,2026-01-20', '700.00,2026-01-25'));
      expect(again.invoices.unchanged).to.equal(3);
      expect(await db().models.Payment.countDocuments()).to.equal(3);
    });

    it('reverses the imported payment when paid_amount goes back to 0', async () => {
      await importCsv(file());
      await importCsv(file().replace('500.00,2026-01-20', ','));
      const entries = await ledger();
      expect(entries.map((e) => [e._id, e.amount, e.paidAt])).to.deep.equal([
        ['import:I1:0', 50000, '2026-01-20'],
        ['import:I1:1', -50000, '2026-01-20'],
      ]);
    });

    it('leaves ledger entries of other sources alone', async () => {
      await importCsv(file());
      await db().models.Payment.create({ _id: 'stripe:evt_1', invoiceId: 'I1', debtorId: 'D1', amount: 10000, currency: 'MXN', paidAt: '2026-02-01', source: 'stripe', recordedAt: new Date() });
      const report = await importCsv(file());
      expect(report.invoices.unchanged).to.equal(3);
      expect(await db().models.Payment.countDocuments()).to.equal(2);
    });

    it('lands each ledger entry once when two imports of the same change race', async () => {
      await importCsv(file());
      const changed = file().replace('500.00,2026-01-20', '700.00,2026-01-25');
      await Promise.all([importCsv(changed), importCsv(changed)]);
      expect((await ledger()).map((e) => e._id)).to.deep.equal(['import:I1:0', 'import:I1:1', 'import:I1:2']);
    });

    it('rejects an invoice_id stored for another debtor', async () => {
      await importCsv(csv([row()]));
      const report = await importCsv(csv([row({ debtor_id: 'D2', name: 'Otro' })]));
      expect(report.rejected).to.deep.equal([{ row: 1, column: 'invoice_id', error: 'invoice_id I1 belongs to debtor D1, not D2' }]);
      expect((await db().models.Invoice.findById('I1').lean())?.debtorId).to.equal('D1');
    });

    it('counts a debtor once across batches, and only once as updated', async () => {
      await importCsv(csv([row()]));
      const rows = ['I1', 'I2', 'I3', 'I4', 'I5'].map((invoice_id) => row({ invoice_id, name: 'Ana Pérez López' }));
      const report = await importCsv(csv(rows), { batchSize: 2 });
      expect(report.debtors).to.deep.equal({ created: 0, updated: 1, unchanged: 0 });
      expect(report.invoices).to.deep.equal({ created: 4, updated: 0, unchanged: 1 });
      expect((await db().models.Debtor.findById('D1').lean())?.name).to.equal('Ana Pérez López');
    });
  }));

  describe('dry run', () => forEachLookup(() => {
    it('writes nothing and reports what a real run then reports', async () => {
      const text = csv([
        row({ paid_amount: '1.00', paid_at: '2026-01-11' }),
        row({ invoice_id: 'I2' }),
        row({ debtor_id: 'D2', name: 'Bo', invoice_id: 'I3' }),
        row({ debtor_id: 'D3', invoice_id: 'I1' }),
        row({ debtor_id: 'D2', name: 'Bo Li', invoice_id: 'I4' }),
      ]);
      const dry = await importCsv(text, { dryRun: true, batchSize: 2 });
      expect(await db().models.Debtor.countDocuments()).to.equal(0);
      expect(await db().models.Invoice.countDocuments()).to.equal(0);
      expect(await db().models.Payment.countDocuments()).to.equal(0);
      const real = await importCsv(text, { batchSize: 2 });
      expect(dry).to.deep.equal(real);
      expect(real.debtors.created).to.equal(2);
    });

    it('matches the real run on a portfolio already stored', async () => {
      await importCsv(csv([row({ paid_amount: '1.00', paid_at: '2026-01-11' }), row({ debtor_id: 'D2', name: 'Bo', invoice_id: 'I2' })]));
      const text = csv([
        row({ paid_amount: '2.00', paid_at: '2026-01-11' }),
        row({ debtor_id: 'D2', name: 'Bo', invoice_id: 'I2' }),
        row({ debtor_id: 'D2', name: 'Bo', invoice_id: 'I3' }),
        row({ debtor_id: 'D2', name: 'Bo Li', invoice_id: 'I4' }),
        row({ debtor_id: 'D4', name: 'New', invoice_id: 'I5' }),
      ]);
      const before = await ledger();
      const dry = await importCsv(text, { dryRun: true, batchSize: 2 });
      expect(await ledger()).to.deep.equal(before);
      const real = await importCsv(text, { batchSize: 2 });
      expect(dry).to.deep.equal(real);
      expect(real.debtors).to.deep.equal({ created: 1, updated: 1, unchanged: 1 });
      expect(real.invoices).to.deep.equal({ created: 3, updated: 1, unchanged: 1 });
    });
  }));

  describe('MongoPortfolioStore', () => {
    it('upserts a "new" debtor and invoice that another writer stored first', async () => {
      await importCsv(csv([row()]));
      await new MongoPortfolioStore(db().models).apply({
        debtors: [],
        invoices: [],
        payments: [],
        newDebtors: [{ debtorId: 'D1', name: 'Ana Renamed', language: 'es', timezone: 'America/Mexico_City' }],
        newInvoices: [{ invoiceId: 'I1', debtorId: 'D1', amount: 1, currency: 'MXN', issuedAt: '2026-01-01', dueAt: '2026-01-02' }],
      });
      expect((await db().models.Debtor.findById('D1').lean())?.name).to.equal('Ana Renamed');
      expect((await db().models.Invoice.findById('I1').lean())?.amount).to.equal(1);
    });

    it('lists stored ids only up to the limit asked for', async () => {
      await importCsv(csv([row({ paid_amount: '1', paid_at: '2026-01-11' }), row({ invoice_id: 'I2' })]));
      const small = new MongoPortfolioStore(db().models);
      const listed = await small.storedIds(2);
      expect([...(listed.debtors ?? [])]).to.deep.equal(['D1']);
      expect([...(listed.invoices ?? [])].sort()).to.deep.equal(['I1', 'I2']);
      expect([...(listed.importedPaymentInvoices ?? [])]).to.deep.equal(['I1']);
      const tooMany = await small.storedIds(1);
      expect(tooMany.invoices).to.equal(undefined);
      expect(tooMany.debtors?.size).to.equal(1);
    });
  });
});
